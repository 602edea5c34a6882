// Keeps the newest events in memory: local mode's default store, and the index behind the
// file store.
#pragma once

#include <kph/host/event_store.hpp>

#include <deque>
#include <mutex>

namespace kph::host {

class MemoryEventStore : public EventStore {
 public:
  explicit MemoryEventStore(size_t max_events) : max_events_(max_events) {}

  Status record(const nlohmann::json& event) override;
  Result<std::vector<nlohmann::json>> query(const EventQuery& query) override;
  size_t size() const;

 private:
  const size_t max_events_;
  mutable std::mutex mutex_;
  std::deque<nlohmann::json> events_;  // oldest first
};

}  // namespace kph::host
