// Builds the events the host emits, with the correlation Keptn requires (keptn-protocol.md
// section 2.3): shkeptncontext and gitcommitid copied from the .triggered event, triggeredid
// set to its id, source the plugin's name, a fresh id, specversion 1.0, an RFC 3339 time, and
// data.project/stage/service/labels equal to the trigger's.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace kph::host {

// The response of kind "started", "status.changed" or "finished" to a .triggered event.
// data must be an object; for "finished" a missing status becomes "succeeded" and a missing
// result "pass" (as Keptn's go-sdk does).
nlohmann::json make_response_event(const nlohmann::json& triggered, const std::string& kind,
                                   const std::string& source, nlohmann::json data);

// A further event of any type in the trigger's Keptn context (e.g. get-sli.triggered). Its
// data gets the trigger's project/stage/service/labels where it has none.
nlohmann::json make_context_event(const nlohmann::json& triggered, const std::string& type,
                                  const std::string& source, nlohmann::json data);

// The .finished the host sends on a plugin's behalf when the task failed.
nlohmann::json errored_finished_data(const std::string& message);

}  // namespace kph::host
