// Starting a real server (nats-server, prometheus, git daemon) for a test: standard input from
// /dev/null, its output in a log file, and a wait until it answers, exits or runs out of time.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace kph::testing {

struct ServerLaunch {
  std::string name;                // in messages: "nats-server"
  std::vector<std::string> args;   // args[0] is the program, looked up on PATH
  std::vector<std::string> env;    // "NAME=value" entries; empty: the test's environment
  std::filesystem::path log_file;  // standard output and error
  bool append_log = false;
  std::function<bool()> ready;  // true once the server answers
  std::chrono::milliseconds deadline{std::chrono::seconds(30)};
  std::chrono::milliseconds interval{20};
};

// Starts the server and waits until ready() holds. Returns its pid, or -1 when it exited
// because its port was taken meanwhile (the caller picks another port). Throws
// std::runtime_error with the log otherwise; a server that never got ready is killed first.
pid_t launch_server(const ServerLaunch& launch);

}  // namespace kph::testing
