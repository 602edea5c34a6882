// Real processes for black-box tests: run keptn-host (or any program) with arguments and
// standard input, and collect its exit code, standard output and standard error.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace kph::testing {

struct ProcessResult {
  int exit_code = -1;
  bool killed = false;  // it outlived ProcessOptions::kill_after
  std::string out;
  std::string err;

  // Every line of standard output parsed as JSON; a line that is not JSON fails the test.
  std::vector<nlohmann::json> out_json_lines() const;
};

struct ProcessOptions {
  std::string input;                               // written to standard input, then closed
  std::map<std::string, std::string> environment;  // added to the inherited environment
  std::filesystem::path working_directory;         // empty: the test's own
  // A safety net, not an assertion: a child still running after this is killed, so a broken
  // build fails its test instead of hanging the suite.
  std::chrono::seconds kill_after{300};
};

// Runs the program to completion. Throws std::runtime_error when it cannot be started.
ProcessResult run_process(const std::string& program, const std::vector<std::string>& args,
                          const ProcessOptions& options = {});

// The keptn-host binary of this build.
std::string host_binary();
// The build tree's directory of first-party and test plugins.
std::filesystem::path build_dir();
std::filesystem::path source_dir();

// Convenience: runs `keptn-host <args>` with the given standard input.
ProcessResult run_host(const std::vector<std::string>& args, const std::string& input = "");

}  // namespace kph::testing
