#include "resources/project_resource_provider.hpp"

#include <gtest/gtest.h>

#include "resources/local_directory_provider.hpp"
#include "support/temp_dir.hpp"

namespace kph::host {
namespace {

TEST(ProjectResourceProvider, SendsEachProjectToItsProviderAndTheRestToTheFallback) {
  kph::testing::TempDir dir;
  dir.write("default/shop/slo.yaml", "default shop");
  dir.write("default/other/slo.yaml", "default other");
  dir.write("special/shop/slo.yaml", "special shop");
  std::map<std::string, std::unique_ptr<ResourceProvider>> projects;
  projects.emplace("shop", std::make_unique<LocalDirectoryProvider>(dir.path() / "special"));
  ProjectResourceProvider provider(std::make_unique<LocalDirectoryProvider>(dir.path() / "default"),
                                   std::move(projects));
  EXPECT_EQ(**provider.get({"shop", "dev", "carts", "", "slo.yaml", KPH_SCOPE_INHERIT}),
            "special shop");
  EXPECT_EQ(**provider.get({"other", "dev", "carts", "", "slo.yaml", KPH_SCOPE_INHERIT}),
            "default other");
}

TEST(ProjectResourceProvider, AProjectWithoutProviderIsAnErrorThatSaysWhatToAdd) {
  kph::testing::TempDir dir;
  std::map<std::string, std::unique_ptr<ResourceProvider>> projects;
  projects.emplace("shop", std::make_unique<LocalDirectoryProvider>(dir.path()));
  ProjectResourceProvider provider(nullptr, std::move(projects));
  auto result = provider.get({"other", "dev", "carts", "", "slo.yaml", KPH_SCOPE_INHERIT});
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("project other has no resource provider"),
            std::string::npos);
  EXPECT_NE(result.error().message.find("resources.projects"), std::string::npos);
}

}  // namespace
}  // namespace kph::host
