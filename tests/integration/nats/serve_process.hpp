// A `keptn-host serve` process for the serve-mode tests: started with arguments, its output
// going to a log file, and stopped the way an orchestrator does it (SIGTERM, or kill -9). The
// destructor kills it if it still runs, pass or fail.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace kph::testing {

class ServeProcess {
 public:
  // Starts `keptn-host serve <args> --metrics-port <free port> --metrics-address 127.0.0.1`;
  // its output goes to `log_file`. Throws std::runtime_error when it cannot be started.
  ServeProcess(std::vector<std::string> args, std::filesystem::path log_file);
  ~ServeProcess();
  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;

  pid_t pid() const { return pid_; }
  uint16_t metrics_port() const { return metrics_port_; }

  void signal(int signal_number);
  void kill_hard();  // SIGKILL and reap
  // The exit code (or 128 + signal) once it exited, nothing if it still runs at the deadline.
  std::optional<int> wait_exit(std::chrono::milliseconds deadline);
  bool running();

  // GET /readyz answers 200.
  bool ready() const;
  // GET /metrics, or "" when it does not answer.
  std::string metrics() const;
  // The value of one metric line `name{labels}` (the whole text before the value), or -1.
  double metric(const std::string& series) const;

  std::string log() const;

 private:
  pid_t pid_ = -1;
  uint16_t metrics_port_ = 0;
  std::filesystem::path log_file_;
  std::optional<int> exit_code_;
};

// The plugin file of a test plugin ("noop", "slow") in this build.
std::string test_plugin(const std::string& name);

}  // namespace kph::testing
