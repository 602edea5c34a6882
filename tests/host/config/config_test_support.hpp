// Writes a config text into a temporary directory and loads it: the shape of almost every
// config test.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "config/host_config.hpp"
#include "support/temp_dir.hpp"

namespace kph::host::testing {

class ConfigFile {
 public:
  // Writes `text` to <temp>/conf/host.yaml.
  explicit ConfigFile(const std::string& text, const std::string& name = "conf/host.yaml")
      : file_(dir_.write(name, text)) {}

  const std::filesystem::path& file() const { return file_; }
  std::filesystem::path folder() const { return file_.parent_path(); }
  Result<HostConfig> load() const { return load_host_config(file_); }

 private:
  kph::testing::TempDir dir_;
  std::filesystem::path file_;
};

inline std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// Loads text that must be valid; fails the test with every message otherwise.
inline HostConfig load_valid(const ConfigFile& file) {
  auto config = file.load();
  EXPECT_TRUE(config.ok()) << (config.ok() ? "" : config.error().message);
  return config.ok() ? std::move(*config) : HostConfig{};
}

// Loads text that must be refused and returns the message lines.
inline std::vector<std::string> load_errors(const ConfigFile& file) {
  auto config = file.load();
  EXPECT_FALSE(config.ok()) << "expected the config to be refused:\n"
                            << kph::testing::read_file(file.file());
  return config.ok() ? std::vector<std::string>{} : lines_of(config.error().message);
}

// A config that must be refused, and what its one error line must say.
struct MalformedConfig {
  std::string name;
  std::string text;
  std::string location;               // "line:column"
  std::vector<std::string> keywords;  // each must appear in the message
};

// Loads c.text and expects exactly one error line, starting "FILE:location: " and holding every
// keyword. Returns that line for further checks, or "" when there was not exactly one.
inline std::string expect_one_error(const MalformedConfig& c) {
  SCOPED_TRACE(c.name);
  ConfigFile file(c.text);
  const auto lines = load_errors(file);
  EXPECT_EQ(lines.size(), 1u) << ::testing::PrintToString(lines);
  if (lines.size() != 1) return "";
  const std::string& message = lines[0];
  const std::string prefix = file.file().string() + ":" + c.location + ": ";
  EXPECT_EQ(message.substr(0, prefix.size()), prefix) << message;
  for (const auto& keyword : c.keywords) {
    EXPECT_NE(message.find(keyword), std::string::npos)
        << "missing \"" << keyword << "\" in: " << message;
  }
  return message;
}

}  // namespace kph::host::testing
