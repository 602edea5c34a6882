// The shipped host configs are documentation users copy: each must load without a problem.
#include <gtest/gtest.h>

#include <filesystem>
#include <vector>

#include "config/host_config.hpp"
#include "support/process.hpp"

namespace kph::host {
namespace {

std::vector<std::filesystem::path> shipped_configs() {
  const auto config_dir = kph::testing::source_dir() / "config";
  std::vector<std::filesystem::path> files = {config_dir / "keptn-host.yaml"};
  for (const auto& entry : std::filesystem::directory_iterator(config_dir / "examples")) {
    const auto extension = entry.path().extension();
    if (entry.is_regular_file() && (extension == ".yaml" || extension == ".yml")) {
      files.push_back(entry.path());
    }
  }
  return files;
}

TEST(ShippedConfigs, EveryOneLoadsCleanly) {
  const auto files = shipped_configs();
  ASSERT_GE(files.size(), 2u) << "expected config/keptn-host.yaml and at least one example";
  for (const auto& file : files) {
    SCOPED_TRACE(file.string());
    ASSERT_TRUE(std::filesystem::exists(file));
    auto config = load_host_config(file);
    ASSERT_TRUE(config.ok()) << config.error().message;
    EXPECT_FALSE(config->plugins.empty()) << "an example without plugins shows nothing";
    // Every route names a configured instance (the loader checks it; this guards the files).
    for (const auto& route : config->routes) {
      bool found = false;
      for (const auto& plugin : config->plugins) found = found || plugin.name == route.plugin;
      EXPECT_TRUE(found) << route.plugin;
    }
  }
}

TEST(ShippedConfigs, TheDefaultRunsEveryFirstPartyPluginInLocalMode) {
  auto config = load_host_config(kph::testing::source_dir() / "config" / "keptn-host.yaml");
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->control_plane.mode, "local");
  std::vector<std::string> names;
  for (const auto& plugin : config->plugins) names.push_back(plugin.name);
  for (const char* expected : {"lighthouse", "prometheus-sli", "approval"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), expected), names.end()) << expected;
  }
}

}  // namespace
}  // namespace kph::host
