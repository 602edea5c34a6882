// The SDK templates build the way a vendor builds them: against an installed plugin API, out
// of the source tree, with their own test running the plugin through keptn-host.
#include <gtest/gtest.h>

#include <memory>
#include <sstream>

#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace kph::testing {
namespace {

// Runs a step and fails the test with its whole output when it does not exit 0.
bool step(const std::string& what, const std::string& program,
          const std::vector<std::string>& args) {
  const auto result = run_process(program, args);
  EXPECT_EQ(result.exit_code, 0) << what << " failed:\n" << result.out << "\n" << result.err;
  return result.exit_code == 0;
}

class SdkTemplates : public ::testing::TestWithParam<const char*> {
 protected:
  // One install of the plugin API serves every template.
  static void SetUpTestSuite() {
    install_ = std::make_unique<TempDir>();
    const auto build = install_->path() / "plugin-api-build";
    installed_ =
        step("configuring plugin-api on its own", KPH_CMAKE_COMMAND,
             {"-S", (source_dir() / "plugin-api").string(), "-B", build.string(),
              "-DCMAKE_INSTALL_PREFIX=" + prefix().string(), "-DCMAKE_C_COMPILER=" KPH_C_COMPILER,
              "-DCMAKE_CXX_COMPILER=" KPH_CXX_COMPILER}) &&
        step("installing plugin-api", KPH_CMAKE_COMMAND, {"--install", build.string()});
  }
  static void TearDownTestSuite() { install_.reset(); }

  static std::filesystem::path prefix() { return install_->path() / "prefix"; }

  static std::unique_ptr<TempDir> install_;
  static bool installed_;
};

std::unique_ptr<TempDir> SdkTemplates::install_;
bool SdkTemplates::installed_ = false;

TEST_F(SdkTemplates, PluginApiInstallsHeadersAndPackage) {
  ASSERT_TRUE(installed_);
  EXPECT_TRUE(std::filesystem::exists(prefix() / "include/kph/plugin_api.h"));
  EXPECT_TRUE(std::filesystem::exists(prefix() / "include/kph/sdk.hpp"));
  bool found_config = false;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(prefix())) {
    if (entry.path().filename() == "KeptnPluginApiConfig.cmake") found_config = true;
  }
  EXPECT_TRUE(found_config) << "no KeptnPluginApiConfig.cmake under " << prefix();
}

TEST_P(SdkTemplates, BuildsAgainstTheInstalledApiAndPassesItsOwnTest) {
  ASSERT_TRUE(installed_);
  TempDir work;
  // A copy, as a vendor starts: nothing may point back into this source tree.
  const auto project = work.path() / GetParam();
  std::filesystem::copy(source_dir() / "sdk-templates" / GetParam(), project,
                        std::filesystem::copy_options::recursive);
  const auto build = work.path() / "build";

  ASSERT_TRUE(
      step("configuring the template", KPH_CMAKE_COMMAND,
           {"-S", project.string(), "-B", build.string(),
            "-DCMAKE_PREFIX_PATH=" + prefix().string(), "-DKEPTN_HOST_EXECUTABLE=" + host_binary(),
            "-DCMAKE_C_COMPILER=" KPH_C_COMPILER, "-DCMAKE_CXX_COMPILER=" KPH_CXX_COMPILER}));
  const std::string cache = read_file(build / "CMakeCache.txt");
  EXPECT_NE(cache.find("KeptnPluginApi_DIR:PATH=" + prefix().string()), std::string::npos)
      << "the template found a plugin API outside the temporary install";

  ASSERT_TRUE(step("building the template", KPH_CMAKE_COMMAND,
                   {"--build", build.string(), "--parallel", "2"}));

  // Only the hooks are exported from what the vendor ships.
  std::filesystem::path plugin;
  for (const auto& entry : std::filesystem::directory_iterator(build)) {
    if (entry.path().extension() == ".so") plugin = entry.path();
  }
  ASSERT_FALSE(plugin.empty()) << "no .so in " << build;
  const auto symbols = run_process(KPH_NM, {"--dynamic", "--defined-only", plugin.string()});
  std::istringstream lines(symbols.out);
  std::string line;
  while (std::getline(lines, line)) {
    EXPECT_NE(line.find(" kph_plugin_"), std::string::npos) << plugin << " exports " << line;
  }

  const auto tested =
      run_process(KPH_CTEST_COMMAND, {"--test-dir", build.string(), "--output-on-failure"});
  EXPECT_EQ(tested.exit_code, 0) << tested.out << tested.err;
  EXPECT_NE(tested.out.find("100% tests passed"), std::string::npos) << tested.out;
}

INSTANTIATE_TEST_SUITE_P(Templates, SdkTemplates, ::testing::Values("cpp-plugin", "c-plugin"),
                         [](const auto& info) {
                           return std::string(info.param) == "cpp-plugin" ? "Cpp" : "C";
                         });

}  // namespace
}  // namespace kph::testing
