#include "transport/nats/publish_key.hpp"

#include "common/cloud_event.hpp"
#include "common/event_type.hpp"

namespace kph::host::nats {

std::string publish_key(const nlohmann::json& event) {
  const std::string type = event_string(event, "type");
  const std::string triggered_id = event_string(event, "triggeredid");
  const auto parsed = parse_event_type(type);
  if (parsed && !triggered_id.empty() &&
      (parsed->kind == "started" || parsed->kind == "finished")) {
    return triggered_id + "|" + type + "|" + event_string(event, "source");
  }
  return event_string(event, "id");
}

}  // namespace kph::host::nats
