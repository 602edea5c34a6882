// What the engine reports about tasks, for metrics. Every call is quick and non-blocking.
#pragma once

#include <chrono>
#include <string>

namespace kph::host {

class TaskObserver {
 public:
  virtual ~TaskObserver() = default;
  // Thread: any thread, thread-safe (for every method).
  virtual void task_received(const std::string& plugin) = 0;
  virtual void task_started(const std::string& plugin) = 0;
  // status/result as sent in the .finished; duration from the task taking its .triggered (queue
  // wait included) to its .finished.
  virtual void task_finished(const std::string& plugin, const std::string& status,
                             const std::string& result, std::chrono::duration<double> duration) = 0;
  // A .triggered that the transport delivered again (redelivery after a crash or nak).
  virtual void task_redelivered(const std::string& plugin) = 0;
};

}  // namespace kph::host
