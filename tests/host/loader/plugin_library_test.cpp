// Refusals that need no plugin build. Loading real plugins, good and bad, is tested in
// tests/abi/ with one tiny plugin per failure mode.
#include "loader/plugin_library.hpp"

#include <gtest/gtest.h>

#include "support/temp_dir.hpp"

namespace kph::host {
namespace {

TEST(PluginLibrary, RefusesAMissingFile) {
  testing::TempDir dir;
  const auto file = dir.path() / "absent.so";
  const auto loaded = PluginLibrary::load(file);
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(loaded.error().message.find(file.string()), std::string::npos);
  EXPECT_NE(loaded.error().message.find("no such file"), std::string::npos);
}

TEST(PluginLibrary, RefusesADirectory) {
  testing::TempDir dir;
  const auto loaded = PluginLibrary::load(dir.path());
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(loaded.error().message.find("found a directory"), std::string::npos)
      << loaded.error().message;
}

TEST(PluginLibrary, RefusesAFileThatIsNotAnElfLibraryWithoutThrowing) {
  testing::TempDir dir;
  for (const std::string& content :
       {std::string(), std::string("#!/bin/sh\necho hi\n"), std::string(4096, '\x7f')}) {
    const auto file = dir.write("fake.so", content);
    const auto loaded = PluginLibrary::load(file);
    ASSERT_FALSE(loaded.ok());
    const auto& message = loaded.error().message;
    EXPECT_NE(message.find("cannot load plugin " + file.string()), std::string::npos) << message;
    EXPECT_NE(message.find("the dynamic loader refused it"), std::string::npos) << message;
    EXPECT_NE(message.find("not a shared library"), std::string::npos) << message;
  }
}

TEST(PluginLibrary, RefusesASharedLibraryThatIsNotAPlugin) {
  // libm is on every system the host runs on, and exports no kph_plugin_* symbol.
  const auto loaded = PluginLibrary::load("/lib/x86_64-linux-gnu/libm.so.6");
  if (!std::filesystem::exists("/lib/x86_64-linux-gnu/libm.so.6")) {
    GTEST_SKIP() << "no libm at the Debian multiarch path";
  }
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(loaded.error().message.find("does not export kph_plugin_get_required_api_version"),
            std::string::npos)
      << loaded.error().message;
}

TEST(PluginLibrary, NamesARelativeFileByItsAbsolutePath) {
  testing::TempDir dir;
  dir.write("rel.so", "x");
  const auto cwd = std::filesystem::current_path();
  std::filesystem::current_path(dir.path());
  const auto loaded = PluginLibrary::load("rel.so");
  std::filesystem::current_path(cwd);
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(loaded.error().message.find((dir.path() / "rel.so").string()), std::string::npos)
      << loaded.error().message;
}

}  // namespace
}  // namespace kph::host
