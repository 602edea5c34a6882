#include "runtime/event_factory.hpp"

#include "common/event_type.hpp"
#include "common/ids.hpp"

namespace kph::host {
namespace {

// The version of the Keptn event specification whose shapes the host emits.
constexpr const char* kKeptnSpecVersion = "0.2.4";

nlohmann::json envelope(const nlohmann::json& triggered, const std::string& type,
                        const std::string& source) {
  nlohmann::json event = {
      {"specversion", "1.0"},
      {"id", new_uuid()},
      {"source", source},
      {"type", type},
      {"time", now_rfc3339()},
      {"datacontenttype", "application/json"},
      {"shkeptnspecversion", kKeptnSpecVersion},
  };
  for (const char* key : {"shkeptncontext", "gitcommitid"}) {
    if (auto it = triggered.find(key); it != triggered.end() && it->is_string()) {
      event[key] = *it;
    }
  }
  return event;
}

const nlohmann::json& trigger_data(const nlohmann::json& triggered) {
  static const nlohmann::json kEmpty = nlohmann::json::object();
  auto it = triggered.find("data");
  return it != triggered.end() && it->is_object() ? *it : kEmpty;
}

}  // namespace

nlohmann::json make_response_event(const nlohmann::json& triggered, const std::string& kind,
                                   const std::string& source, nlohmann::json data) {
  const auto type = parse_event_type(triggered.value("type", ""));
  const std::string task = type ? type->task : "unknown";
  nlohmann::json event = envelope(triggered, make_event_type(task, kind), source);
  event["triggeredid"] = triggered.value("id", "");
  if (!data.is_object()) data = nlohmann::json::object();
  // The control plane drops a response whose scope differs from its trigger's, so the scope
  // is always the trigger's, whatever the plugin wrote.
  const auto& scope = trigger_data(triggered);
  for (const char* key : {"project", "stage", "service"}) {
    if (auto it = scope.find(key); it != scope.end()) data[key] = *it;
  }
  if (!data.contains("labels")) {
    if (auto it = scope.find("labels"); it != scope.end()) data["labels"] = *it;
  }
  if (kind == "finished") {
    auto non_empty = [&](const char* key) {
      auto it = data.find(key);
      return it != data.end() && it->is_string() && !it->get_ref<const std::string&>().empty();
    };
    if (!non_empty("status")) data["status"] = "succeeded";
    if (!non_empty("result")) data["result"] = "pass";
  }
  event["data"] = std::move(data);
  return event;
}

nlohmann::json make_context_event(const nlohmann::json& triggered, const std::string& type,
                                  const std::string& source, nlohmann::json data) {
  nlohmann::json event = envelope(triggered, type, source);
  if (!data.is_object()) data = nlohmann::json::object();
  const auto& scope = trigger_data(triggered);
  for (const char* key : {"project", "stage", "service", "labels"}) {
    if (data.contains(key)) continue;
    if (auto it = scope.find(key); it != scope.end()) data[key] = *it;
  }
  event["data"] = std::move(data);
  return event;
}

nlohmann::json errored_finished_data(const std::string& message) {
  return {{"status", "errored"}, {"result", "fail"}, {"message", message}};
}

}  // namespace kph::host
