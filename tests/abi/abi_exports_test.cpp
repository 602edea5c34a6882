// Every plugin built with kph_add_plugin exports only the kph_plugin_* hooks: its version
// script hides everything else, so two plugins can never clash and the host can never bind
// to a plugin's internals.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "abi_plugins.hpp"
#include "support/process.hpp"

namespace kph::testing {
namespace {

std::vector<std::string> exported_symbols(const std::filesystem::path& file) {
  const auto result = run_process(KPH_NM, {"--dynamic", "--defined-only", file.string()});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  std::vector<std::string> names;
  std::istringstream lines(result.out);
  std::string line;
  while (std::getline(lines, line)) {
    // "<address> <kind> <name>"
    const auto space = line.rfind(' ');
    if (space == std::string::npos) continue;
    names.push_back(line.substr(space + 1));
  }
  return names;
}

class AbiExports : public ::testing::TestWithParam<const char*> {};

TEST_P(AbiExports, OnlyPluginHooksAreExported) {
  const auto names = exported_symbols(abi::plugin(GetParam()));
  EXPECT_FALSE(names.empty());
  for (const auto& name : names) {
    EXPECT_EQ(name.rfind("kph_plugin_", 0), 0u) << GetParam() << " exports " << name;
  }
}

INSTANTIATE_TEST_SUITE_P(Plugins, AbiExports,
                         ::testing::Values("no_op", "c_plugin", "frozen_1_0", "create_fails",
                                           "throws", "hangs_past_timeout", "finishes_twice",
                                           "never_finishes", "emits_after_destroy"));

TEST(AbiExports, SdkPluginExportsExactlyTheNineHooks) {
  auto names = exported_symbols(abi::plugin("no_op"));
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{
                       "kph_plugin_accept_task", "kph_plugin_cancel_task", "kph_plugin_create",
                       "kph_plugin_destroy", "kph_plugin_get_last_error", "kph_plugin_get_metadata",
                       "kph_plugin_get_required_api_version", "kph_plugin_handle_task",
                       "kph_plugin_on_child_event"}));
}

}  // namespace
}  // namespace kph::testing
