// `keptn-host plugin inspect` and `keptn-host config check` as a user runs them.
#include <gtest/gtest.h>

#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace kph::testing {
namespace {

std::string noop_plugin() { return std::string(KPH_TEST_PLUGIN_DIR) + "/noop.so"; }

TEST(PluginInspect, PrintsTheMetadataAsJson) {
  auto result = run_host({"plugin", "inspect", noop_plugin()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  auto metadata = nlohmann::json::parse(result.out);
  EXPECT_EQ(metadata["name"], "noop");
  EXPECT_EQ(metadata["subscriptions"], nlohmann::json::array({"sh.keptn.event.noop.triggered"}));
}

TEST(PluginInspect, ABadPluginExitsNonZeroWithTheReason) {
  TempDir dir;
  const auto file = dir.write("broken.so",
                              "\x7f"
                              "ELF but not really");
  auto result = run_host({"plugin", "inspect", file.string()});
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.err.find("broken.so"), std::string::npos) << result.err;
}

TEST(ConfigCheck, AcceptsAGoodConfig) {
  TempDir dir;
  const auto config = dir.write("host.yaml", "plugins:\n  - library: " + noop_plugin() + "\n");
  auto result = run_host({"config", "check", config.string()});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("ok"), std::string::npos);
}

TEST(ConfigCheck, PrintsEveryErrorWithItsLocation) {
  TempDir dir;
  const auto config = dir.write("host.yaml",
                                "plugins:\n  - library: x\n    maxConcurrency: lots\n"
                                "routes:\n  - plugin: nobody\n");
  auto result = run_host({"config", "check", config.string()});
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.err.find("host.yaml:3:"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("host.yaml:5:"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace kph::testing
