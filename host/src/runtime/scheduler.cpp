#include "runtime/scheduler.hpp"

namespace kph::host {

Scheduler::Scheduler() : thread_([this] { run(); }) {}

Scheduler::~Scheduler() { stop(); }

Scheduler::TimerId Scheduler::schedule(std::chrono::milliseconds delay,
                                       std::function<void()> callback) {
  std::lock_guard<std::mutex> lock(mutex_);
  const TimerId id = next_id_++;
  const auto when = Clock::now() + delay;
  timers_.emplace(id, std::make_pair(when, std::move(callback)));
  due_.emplace(when, id);
  wake_.notify_one();
  return id;
}

void Scheduler::cancel(TimerId id) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = timers_.find(id);
  if (it == timers_.end()) return;
  auto [first, last] = due_.equal_range(it->second.first);
  for (auto d = first; d != last; ++d) {
    if (d->second == id) {
      due_.erase(d);
      break;
    }
  }
  timers_.erase(it);
}

void Scheduler::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
    wake_.notify_one();
  }
  if (thread_.joinable()) thread_.join();
}

void Scheduler::run() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stopping_) {
    if (due_.empty()) {
      wake_.wait(lock);
      continue;
    }
    const auto next = due_.begin()->first;
    if (Clock::now() < next) {
      wake_.wait_until(lock, next);
      continue;
    }
    const TimerId id = due_.begin()->second;
    due_.erase(due_.begin());
    auto callback = std::move(timers_[id].second);
    timers_.erase(id);
    lock.unlock();
    callback();
    lock.lock();
  }
}

}  // namespace kph::host
