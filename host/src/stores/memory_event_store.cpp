#include "stores/memory_event_store.hpp"

namespace kph::host {

Status MemoryEventStore::record(const nlohmann::json& event) {
  std::lock_guard<std::mutex> lock(mutex_);
  events_.push_back(event);
  while (events_.size() > max_events_) events_.pop_front();
  return ok_status();
}

Result<std::vector<nlohmann::json>> MemoryEventStore::query(const EventQuery& query) {
  std::vector<nlohmann::json> found;
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto it = events_.rbegin(); it != events_.rend() && found.size() < query.limit; ++it) {
    if (event_matches(*it, query)) found.push_back(*it);
  }
  return found;
}

size_t MemoryEventStore::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return events_.size();
}

}  // namespace kph::host
