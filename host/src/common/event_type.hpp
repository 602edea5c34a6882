// Keptn event types: "sh.keptn.event.<task>.<kind>". Classification follows the type string
// only, as Keptn's go-utils does, but treats "status.changed" as the kind it is.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kph::host {

inline constexpr std::string_view kKeptnEventPrefix = "sh.keptn.event.";

struct EventType {
  std::string task;  // "evaluation", "get-sli", or "<stage>.<sequence>" for sequence events
  std::string kind;  // "triggered", "started", "status.changed", "finished", "invalidated", ...
};

// Splits a Keptn event type; nullopt when it does not start with "sh.keptn.event." or has no
// task or kind.
std::optional<EventType> parse_event_type(std::string_view type);

// "sh.keptn.event.<task>.<kind>".
std::string make_event_type(std::string_view task, std::string_view kind);

// True for a pattern with '*' matching any run of characters (dots included).
bool matches_pattern(std::string_view pattern, std::string_view text);

}  // namespace kph::host
