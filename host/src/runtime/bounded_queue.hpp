// A bounded multi-producer, multi-consumer queue. Producers block while it is full, which is
// how back-pressure reaches the transport; consumers block while it is empty. No spinning.
// Urgent items (the next step of work already under way, pushed from threads that must not
// wait) skip the bound and the line: the work they continue bounds them.
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>

namespace kph::host {

template <typename T>
class BoundedQueue {
 public:
  explicit BoundedQueue(size_t capacity) : capacity_(capacity) {}

  // Blocks while full. Returns false once the queue is closed.
  bool push(T item) {
    std::unique_lock<std::mutex> lock(mutex_);
    not_full_.wait(lock, [&] { return closed_ || items_.size() < capacity_; });
    if (closed_) return false;
    items_.push_back(std::move(item));
    not_empty_.notify_one();
    return true;
  }

  // Never blocks; popped before every ordinary item. Returns false once the queue is closed.
  bool push_urgent(T item) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (closed_) return false;
    urgent_.push_back(std::move(item));
    not_empty_.notify_one();
    return true;
  }

  // Blocks until there is an urgent item, or an ordinary one that `may_take()` lets this
  // consumer have (it is asked under the queue's lock and may take a resource for the item,
  // e.g. a slot, when it says yes). `urgent` tells which kind came. Returns nullopt once the
  // queue is closed and nothing is left that may be taken.
  template <typename Gate>
  std::optional<T> pop(Gate&& may_take, bool& urgent) {
    std::unique_lock<std::mutex> lock(mutex_);
    bool take_ordinary = false;
    not_empty_.wait(lock, [&] {
      if (!urgent_.empty()) return true;
      if (items_.empty()) return closed_;
      take_ordinary = may_take();
      return take_ordinary || closed_;
    });
    urgent = !urgent_.empty();
    if (urgent) {
      T item = std::move(urgent_.front());
      urgent_.pop_front();
      return item;
    }
    if (!take_ordinary) return std::nullopt;
    T item = std::move(items_.front());
    items_.pop_front();
    not_full_.notify_one();
    return item;
  }

  // Wakes the consumers of a gated pop, to ask their gate again.
  void recheck() {
    std::lock_guard<std::mutex> lock(mutex_);
    not_empty_.notify_all();
  }

  // Blocks while empty. Returns nullopt once the queue is closed and drained.
  std::optional<T> pop() {
    bool urgent = false;
    return pop([] { return true; }, urgent);
  }

  // Wakes every waiter; pending items can still be popped, nothing more can be pushed.
  void close() {
    std::lock_guard<std::mutex> lock(mutex_);
    closed_ = true;
    not_empty_.notify_all();
    not_full_.notify_all();
  }

  // Removes and returns everything still queued.
  std::deque<T> drain() {
    std::lock_guard<std::mutex> lock(mutex_);
    std::deque<T> out;
    out.swap(urgent_);
    for (auto& item : items_) out.push_back(std::move(item));
    items_.clear();
    not_full_.notify_all();
    return out;
  }

  size_t size() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return urgent_.size() + items_.size();
  }

 private:
  const size_t capacity_;
  mutable std::mutex mutex_;
  std::condition_variable not_empty_;
  std::condition_variable not_full_;
  std::deque<T> urgent_;
  std::deque<T> items_;
  bool closed_ = false;
};

}  // namespace kph::host
