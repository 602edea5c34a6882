#include "runtime/scheduler.hpp"

#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <vector>

namespace kph::host {
namespace {

TEST(Scheduler, RunsTimersInDeadlineOrder) {
  Scheduler scheduler;
  std::mutex mutex;
  std::condition_variable done;
  std::vector<int> order;
  for (int i : {3, 1, 2}) {
    scheduler.schedule(std::chrono::milliseconds(i * 20), [&, i] {
      std::lock_guard<std::mutex> lock(mutex);
      order.push_back(i);
      done.notify_all();
    });
  }
  std::unique_lock<std::mutex> lock(mutex);
  done.wait(lock, [&] { return order.size() == 3; });
  EXPECT_EQ(order, (std::vector<int>{1, 2, 3}));
}

TEST(Scheduler, CancelledTimersNeverRun) {
  Scheduler scheduler;
  std::mutex mutex;
  std::condition_variable done;
  bool cancelled_ran = false, later_ran = false;
  auto id = scheduler.schedule(std::chrono::milliseconds(10), [&] {
    std::lock_guard<std::mutex> lock(mutex);
    cancelled_ran = true;
  });
  scheduler.cancel(id);
  scheduler.schedule(std::chrono::milliseconds(40), [&] {
    std::lock_guard<std::mutex> lock(mutex);
    later_ran = true;
    done.notify_all();
  });
  std::unique_lock<std::mutex> lock(mutex);
  done.wait(lock, [&] { return later_ran; });
  EXPECT_FALSE(cancelled_ran);
}

TEST(Scheduler, StopDropsPendingTimers) {
  bool ran = false;
  {
    Scheduler scheduler;
    scheduler.schedule(std::chrono::hours(1), [&] { ran = true; });
    scheduler.stop();
  }
  EXPECT_FALSE(ran);
}

}  // namespace
}  // namespace kph::host
