// Intake of CloudEvents: both JSON shapes Keptn puts on the wire (CloudEvents structured JSON
// with "datacontenttype", and Keptn's own model with "contenttype") become one normalised
// shape, checked for what the host relies on.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace kph::host {

// The size above which an event is refused: Keptn events are small, and a bigger one is
// either a mistake or an attack.
inline constexpr size_t kMaxEventBytes = 1024 * 1024;

// Parses and checks one event. Requires "id", "type" and "source" as non-empty strings and a
// "data" object when present; a .triggered event also needs data.project, data.stage and
// data.service. Keptn's "contenttype" is renamed "datacontenttype" and "specversion" defaults
// to "1.0"; unknown top-level keys are kept. The error names the event id when there is one.
Result<nlohmann::json> parse_cloud_event(std::string_view text);
Result<nlohmann::json> normalise_cloud_event(nlohmann::json event);

// Small accessors that never throw: "" when the field is absent or not a string.
std::string event_string(const nlohmann::json& event, const char* key);
std::string event_data_string(const nlohmann::json& event, const char* key);

}  // namespace kph::host
