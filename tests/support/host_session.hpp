// A live keptn-host process for black-box tests that need a conversation rather than one batch
// of input: the test writes event lines to its standard input while it runs, waits (with a
// deadline) for the JSON lines it prints, answers them, and finally closes the input and
// collects the exit code. Reader threads drain stdout and stderr all the time, so the process
// never blocks on a full pipe; waiting is done on a condition variable, never by polling.
#pragma once

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

namespace Poco {
class Pipe;
class PipeOutputStream;
class ProcessHandle;
}  // namespace Poco

namespace kph::testing {

class HostSession {
 public:
  // Starts `<program> <args>`; program defaults to this build's keptn-host. Throws
  // std::runtime_error when it cannot be started.
  explicit HostSession(const std::vector<std::string>& args, std::string program = "");
  // Closes the input, gives the process a grace period to exit, then kills it; joins every
  // thread. Safe after a failed assertion.
  ~HostSession();
  HostSession(const HostSession&) = delete;
  HostSession& operator=(const HostSession&) = delete;

  // Writes one line (a newline is added) and flushes it. False when the input is closed or the
  // process stopped reading.
  bool write_line(const std::string& line);
  bool write_json(const nlohmann::json& value) { return write_line(value.dump()); }

  // The first stdout line, read so far or arriving before the deadline, that is a JSON value
  // for which match returns true. Lines that are not JSON are kept in stdout_text() only.
  std::optional<nlohmann::json> wait_for_json(
      const std::function<bool(const nlohmann::json&)>& match, std::chrono::milliseconds deadline);

  // The first event of that type (and, when given, with that triggeredid).
  std::optional<nlohmann::json> wait_for_event(const std::string& type,
                                               std::chrono::milliseconds deadline,
                                               const std::string& triggered_id = "");

  // Closes standard input: keptn-host run ends once its input ended and no task runs.
  void close_input();

  // The exit code once the process exited, or nothing if it still runs at the deadline.
  std::optional<int> wait_for_exit(std::chrono::milliseconds deadline);

  std::vector<nlohmann::json> json_lines() const;
  std::string stdout_text() const;
  std::string stderr_text() const;

 private:
  struct State;
  std::shared_ptr<State> state_;
  std::unique_ptr<Poco::ProcessHandle> process_;
  std::unique_ptr<Poco::Pipe> input_pipe_;
  std::unique_ptr<Poco::PipeOutputStream> input_;
  std::thread out_reader_;
  std::thread err_reader_;
  std::thread waiter_;
};

}  // namespace kph::testing
