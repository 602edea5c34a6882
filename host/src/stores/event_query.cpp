#include <kph/host/event_store.hpp>

#include "common/cloud_event.hpp"

namespace kph::host {

Result<EventQuery> parse_event_query(const nlohmann::json& query) {
  if (!query.is_object()) {
    return Error{"event query: expected a JSON object, found " + std::string(query.type_name())};
  }
  EventQuery out;
  for (const auto& [key, value] : query.items()) {
    std::string* field = nullptr;
    if (key == "type") field = &out.type;
    if (key == "project") field = &out.project;
    if (key == "stage") field = &out.stage;
    if (key == "service") field = &out.service;
    if (key == "shkeptncontext") field = &out.shkeptncontext;
    if (key == "triggeredid") field = &out.triggeredid;
    if (field != nullptr) {
      if (!value.is_string()) return Error{"event query: \"" + key + "\" must be a string"};
      *field = value.get<std::string>();
    } else if (key == "limit") {
      if (!value.is_number_integer() || value.get<int64_t>() <= 0) {
        return Error{"event query: \"limit\" must be a positive integer, found " + value.dump()};
      }
      out.limit = static_cast<uint32_t>(std::min<int64_t>(value.get<int64_t>(), 100000));
    } else {
      return Error{"event query: unknown key \"" + key +
                   "\"; use type, project, stage, service, shkeptncontext, triggeredid, limit"};
    }
  }
  return out;
}

bool event_matches(const nlohmann::json& event, const EventQuery& query) {
  auto same = [](const std::string& wanted, const std::string& found) {
    return wanted.empty() || wanted == found;
  };
  return same(query.type, event_string(event, "type")) &&
         same(query.shkeptncontext, event_string(event, "shkeptncontext")) &&
         same(query.triggeredid, event_string(event, "triggeredid")) &&
         same(query.project, event_data_string(event, "project")) &&
         same(query.stage, event_data_string(event, "stage")) &&
         same(query.service, event_data_string(event, "service"));
}

}  // namespace kph::host
