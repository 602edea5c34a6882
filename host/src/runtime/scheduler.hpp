// One timer thread for every deadline in the host: task timeouts, reply timeouts, retry
// backoff. It sleeps until the next deadline (no polling); callbacks run on it and must be
// short and must not block.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <thread>

namespace kph::host {

class Scheduler {
 public:
  using Clock = std::chrono::steady_clock;
  using TimerId = uint64_t;

  Scheduler();
  ~Scheduler();
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // Runs callback once, after delay. Thread: any thread.
  TimerId schedule(std::chrono::milliseconds delay, std::function<void()> callback);
  // Cancels a timer that has not fired; harmless for one that has. Thread: any thread.
  void cancel(TimerId id);
  // Stops the thread; timers that have not fired are dropped.
  void stop();

 private:
  void run();

  std::mutex mutex_;
  std::condition_variable wake_;
  std::multimap<Clock::time_point, TimerId> due_;
  std::map<TimerId, std::pair<Clock::time_point, std::function<void()>>> timers_;
  TimerId next_id_ = 1;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace kph::host
