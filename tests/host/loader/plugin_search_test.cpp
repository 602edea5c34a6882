#include <gtest/gtest.h>
#include <stdlib.h>

#include <optional>

#include "loader/plugin_library.hpp"
#include "support/temp_dir.hpp"

namespace kph::host {
namespace {

// Sets KPH_PLUGIN_PATH for one test and puts the old value back afterwards.
class ScopedPluginPath {
 public:
  explicit ScopedPluginPath(const std::optional<std::string>& value) {
    if (const char* old = ::getenv("KPH_PLUGIN_PATH")) old_ = old;
    if (value) {
      ::setenv("KPH_PLUGIN_PATH", value->c_str(), 1);
    } else {
      ::unsetenv("KPH_PLUGIN_PATH");
    }
  }
  ~ScopedPluginPath() {
    if (old_) {
      ::setenv("KPH_PLUGIN_PATH", old_->c_str(), 1);
    } else {
      ::unsetenv("KPH_PLUGIN_PATH");
    }
  }

 private:
  std::optional<std::string> old_;
};

TEST(PluginSearch, BuildTreeThenInstallPrefixWithoutEnvironment) {
  ScopedPluginPath env(std::nullopt);
  const auto folders = plugin_search_path();
  ASSERT_EQ(folders.size(), 2u);
  EXPECT_EQ(folders[0], std::filesystem::path(KPH_BUILD_PLUGIN_DIR));
  EXPECT_EQ(folders[1], std::filesystem::path(KPH_INSTALL_PLUGIN_DIR));
}

TEST(PluginSearch, AppendsEachEnvironmentFolderInOrderSkippingEmptyOnes) {
  ScopedPluginPath env(std::string(":/a/b::/c:"));
  const auto folders = plugin_search_path();
  ASSERT_EQ(folders.size(), 4u);
  EXPECT_EQ(folders[2], std::filesystem::path("/a/b"));
  EXPECT_EQ(folders[3], std::filesystem::path("/c"));
}

TEST(PluginSearch, FindsANameInTheFirstEnvironmentFolderThatHasIt) {
  testing::TempDir first, second;
  second.write("vendor-x.so", "not really a library; resolving does not open it");
  first.write("other.so", "");
  ScopedPluginPath env(first.path().string() + ":" + second.path().string());
  const auto found = resolve_plugin("vendor-x");
  ASSERT_TRUE(found.ok()) << found.error().message;
  EXPECT_EQ(*found, second.path() / "vendor-x.so");

  first.write("vendor-x.so", "");
  const auto again = resolve_plugin("vendor-x");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, first.path() / "vendor-x.so");
}

TEST(PluginSearch, IgnoresAFolderNamedLikeThePlugin) {
  testing::TempDir dir;
  std::filesystem::create_directories(dir.path() / "sneaky.so");
  ScopedPluginPath env(dir.path().string());
  EXPECT_FALSE(resolve_plugin("sneaky").ok());
}

TEST(PluginSearch, NotFoundListsEveryFolderSearched) {
  testing::TempDir a, b;
  ScopedPluginPath env(a.path().string() + ":" + b.path().string());
  const auto found = resolve_plugin("no-such-plugin-xyz");
  ASSERT_FALSE(found.ok());
  const auto& message = found.error().message;
  EXPECT_NE(message.find("no-such-plugin-xyz.so"), std::string::npos) << message;
  for (const auto& folder : plugin_search_path()) {
    EXPECT_NE(message.find(folder.string()), std::string::npos) << message;
  }
  EXPECT_NE(message.find("KPH_PLUGIN_PATH"), std::string::npos) << message;
}

TEST(PluginSearch, PathsAreTakenAsGiven) {
  testing::TempDir dir;
  const auto file = dir.write("lib/custom.so", "");
  ScopedPluginPath env(std::nullopt);
  const auto found = resolve_plugin(file.string());
  ASSERT_TRUE(found.ok()) << found.error().message;
  EXPECT_EQ(*found, file);
}

TEST(PluginSearch, AMissingPathIsNotSearchedFor) {
  testing::TempDir dir;
  ScopedPluginPath env(dir.path().string());
  dir.write("x.so", "");
  // "x.so" ends in .so, so it is a path relative to the working directory, not a name.
  const auto found = resolve_plugin("./missing-dir/x.so");
  ASSERT_FALSE(found.ok());
  EXPECT_NE(found.error().message.find("missing-dir/x.so"), std::string::npos);
  EXPECT_NE(found.error().message.find("Fix: "), std::string::npos);
}

TEST(PluginSearch, RefusesAnEmptyValue) {
  const auto found = resolve_plugin("");
  ASSERT_FALSE(found.ok());
  EXPECT_NE(found.error().message.find("empty"), std::string::npos);
}

}  // namespace
}  // namespace kph::host
