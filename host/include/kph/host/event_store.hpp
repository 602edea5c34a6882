// Past events, for the plugins' comparisons with earlier results (lighthouse). The host
// records every event it reads and every event it emits.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/result.hpp"

namespace kph::host {

// Exact matches; an empty field matches anything. project/stage/service match data.*.
struct EventQuery {
  std::string type;
  std::string project;
  std::string stage;
  std::string service;
  std::string shkeptncontext;
  std::string triggeredid;
  uint32_t limit = 100;
};

// Reads the query a plugin passed to kph_host_api.query_events.
Result<EventQuery> parse_event_query(const nlohmann::json& query);

bool event_matches(const nlohmann::json& event, const EventQuery& query);

class EventStore {
 public:
  virtual ~EventStore() = default;
  // Thread: any thread, thread-safe.
  virtual Status record(const nlohmann::json& event) = 0;
  // Newest first, at most query.limit events. Thread: any thread, thread-safe.
  virtual Result<std::vector<nlohmann::json>> query(const EventQuery& query) = 0;
};

}  // namespace kph::host
