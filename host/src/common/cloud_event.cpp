#include "common/cloud_event.hpp"

#include "common/event_type.hpp"
#include "common/ids.hpp"

namespace kph::host {
namespace {

std::string describe(const nlohmann::json& event) {
  const auto id = event_string(event, "id");
  const auto type = event_string(event, "type");
  if (id.empty() && type.empty()) return "event";
  return "event " + (id.empty() ? std::string("without id") : id) +
         (type.empty() ? "" : " (" + type + ")");
}

}  // namespace

std::string event_string(const nlohmann::json& event, const char* key) {
  if (!event.is_object()) return {};
  auto it = event.find(key);
  return it != event.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string event_data_string(const nlohmann::json& event, const char* key) {
  if (!event.is_object()) return {};
  auto data = event.find("data");
  if (data == event.end() || !data->is_object()) return {};
  return event_string(*data, key);
}

Result<nlohmann::json> parse_cloud_event(std::string_view text) {
  if (text.size() > kMaxEventBytes) {
    return Error{"event of " + std::to_string(text.size()) + " bytes refused: the limit is " +
                 std::to_string(kMaxEventBytes) + " bytes; send smaller events"};
  }
  nlohmann::json event = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (event.is_discarded()) {
    return Error{"not valid JSON: expected one CloudEvent as a JSON object per line"};
  }
  return normalise_cloud_event(std::move(event));
}

Result<nlohmann::json> normalise_cloud_event(nlohmann::json event) {
  if (!event.is_object()) {
    return Error{"expected a CloudEvent JSON object, found " + std::string(event.type_name())};
  }
  for (const char* key : {"id", "type", "source"}) {
    auto it = event.find(key);
    if (it == event.end() || !it->is_string() || it->get_ref<const std::string&>().empty()) {
      return Error{describe(event) + ": field \"" + key +
                   "\" must be a non-empty string; add it to the event"};
    }
  }
  if (auto data = event.find("data"); data != event.end() && !data->is_object()) {
    if (data->is_null()) {
      event.erase(data);
    } else {
      return Error{describe(event) + ": field \"data\" must be a JSON object, found " +
                   std::string(data->type_name())};
    }
  }
  if (!event.contains("datacontenttype")) {
    if (auto legacy = event.find("contenttype"); legacy != event.end()) {
      event["datacontenttype"] = *legacy;
      event.erase("contenttype");
    } else {
      event["datacontenttype"] = "application/json";
    }
  }
  if (!event.contains("specversion")) event["specversion"] = "1.0";

  const auto type = parse_event_type(event_string(event, "type"));
  if (type && type->kind == "triggered") {
    for (const char* key : {"project", "stage", "service"}) {
      if (event_data_string(event, key).empty()) {
        return Error{describe(event) + ": a .triggered event needs data." + key +
                     " as a non-empty string; Keptn sets it on every task event"};
      }
    }
    // Keptn's api-service gives a context to events that arrive without one; so does the host,
    // so that the task's responses can still be correlated.
    if (event_string(event, "shkeptncontext").empty()) event["shkeptncontext"] = new_uuid();
  }
  return event;
}

}  // namespace kph::host
