#include "resources/local_directory_provider.hpp"

#include <gtest/gtest.h>

#include "support/temp_dir.hpp"

namespace kph::host {
namespace {

class LocalDirectoryProviderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_.write("resources/shop/slo.yaml", "project");
    dir_.write("resources/shop/dev/slo.yaml", "stage");
    dir_.write("resources/shop/dev/carts/slo.yaml", "service");
    dir_.write("resources/shop/dev/carts/job/config.yaml", "job");
    dir_.write("resources/shop/only-project.yaml", "p-only");
    dir_.write("secret.txt", "outside");
  }

  Result<std::optional<std::string>> get(const std::string& uri,
                                         kph_resource_scope scope = KPH_SCOPE_INHERIT,
                                         const std::string& service = "carts") {
    LocalDirectoryProvider provider(dir_.path() / "resources");
    return provider.get({"shop", "dev", service, "", uri, scope});
  }

  kph::testing::TempDir dir_;
};

TEST_F(LocalDirectoryProviderTest, FallsBackServiceStageProject) {
  EXPECT_EQ(**get("slo.yaml"), "service");
  EXPECT_EQ(**get("slo.yaml", KPH_SCOPE_INHERIT, "orders"), "stage");
  EXPECT_EQ(**get("only-project.yaml"), "p-only");
  EXPECT_EQ(**get("job/config.yaml"), "job");
}

TEST_F(LocalDirectoryProviderTest, ExactScopesDoNotFallBack) {
  EXPECT_EQ(**get("slo.yaml", KPH_SCOPE_PROJECT), "project");
  EXPECT_EQ(**get("slo.yaml", KPH_SCOPE_STAGE), "stage");
  EXPECT_EQ(**get("slo.yaml", KPH_SCOPE_SERVICE), "service");
  auto missing = get("only-project.yaml", KPH_SCOPE_SERVICE);
  ASSERT_TRUE(missing);
  EXPECT_FALSE(missing->has_value());
}

TEST_F(LocalDirectoryProviderTest, MissingIsNotFoundNeverEmpty) {
  auto missing = get("nothing.yaml");
  ASSERT_TRUE(missing);
  EXPECT_FALSE(missing->has_value());
}

TEST_F(LocalDirectoryProviderTest, RefusesTraversal) {
  for (const char* uri : {"../../../secret.txt", "/etc/passwd", "job/../../../../secret.txt", "",
                          "a//b", "./slo.yaml", "job/"}) {
    auto refused = get(uri);
    ASSERT_FALSE(refused) << uri;
    EXPECT_NE(refused.error().message.find("refused"), std::string::npos) << uri;
  }
  LocalDirectoryProvider provider(dir_.path() / "resources");
  EXPECT_FALSE(provider.get({"..", "dev", "carts", "", "secret.txt", KPH_SCOPE_PROJECT}));
  EXPECT_FALSE(provider.get({"shop", "dev/../..", "carts", "", "x", KPH_SCOPE_STAGE}));
}

TEST_F(LocalDirectoryProviderTest, RefusesSymlinksThatLeaveTheRoot) {
  std::filesystem::create_symlink(dir_.path() / "secret.txt",
                                  dir_.path() / "resources/shop/dev/carts/link.txt");
  auto refused = get("link.txt");
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("outside the project's resource folder"),
            std::string::npos);
}

TEST_F(LocalDirectoryProviderTest, RefusesSymlinksIntoAnotherProject) {
  dir_.write("resources/other/secret.yaml", "other project");
  std::filesystem::create_symlink(dir_.path() / "resources/other/secret.yaml",
                                  dir_.path() / "resources/shop/dev/carts/other.yaml");
  EXPECT_FALSE(get("other.yaml"));
}

TEST_F(LocalDirectoryProviderTest, RefusesDanglingSymlinksThatLeaveTheRoot) {
  std::filesystem::create_symlink("/nonexistent/keptn-host/probe",
                                  dir_.path() / "resources/shop/dev/carts/probe.yaml");
  EXPECT_FALSE(get("probe.yaml"));
}

TEST_F(LocalDirectoryProviderTest, FollowsSymlinksInsideTheProject) {
  std::filesystem::create_symlink("../slo.yaml", dir_.path() / "resources/shop/dev/carts/up.yaml");
  EXPECT_EQ(**get("up.yaml"), "stage");
}

TEST_F(LocalDirectoryProviderTest, ARequestWithoutServiceOrStageReadsTheLevelsAbove) {
  EXPECT_EQ(**get("slo.yaml", KPH_SCOPE_INHERIT, ""), "stage");
  LocalDirectoryProvider provider(dir_.path() / "resources");
  EXPECT_EQ(**provider.get({"shop", "", "", "", "slo.yaml", KPH_SCOPE_INHERIT}), "project");
  auto none = provider.get({"shop", "", "", "", "slo.yaml", KPH_SCOPE_SERVICE});
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->has_value());
}

TEST_F(LocalDirectoryProviderTest, AFolderIsNotAResource) {
  auto folder = get("job");
  ASSERT_TRUE(folder);
  EXPECT_FALSE(folder->has_value());
}

TEST_F(LocalDirectoryProviderTest, AnUnknownProjectHasNothing) {
  LocalDirectoryProvider provider(dir_.path() / "resources");
  auto missing = provider.get({"nope", "dev", "carts", "", "slo.yaml", KPH_SCOPE_INHERIT});
  ASSERT_TRUE(missing);
  EXPECT_FALSE(missing->has_value());
}

TEST_F(LocalDirectoryProviderTest, AnEmptyFileIsFoundAndEmpty) {
  dir_.write("resources/shop/dev/carts/empty.yaml", "");
  auto empty = get("empty.yaml");
  ASSERT_TRUE(empty && empty->has_value());
  EXPECT_EQ(**empty, "");
}

}  // namespace
}  // namespace kph::host
