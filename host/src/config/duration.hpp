// Durations in config files ("500ms", "30s", "10m", "1h30m"), with the parts of a failure kept
// apart so the config loader can place them in its "expected ..., found ..." messages.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <variant>

namespace kph::host::config {

// Why a text is not a duration: `what` says what is wrong, `todo` how to fix it.
struct DurationProblem {
  std::string what;
  std::string todo;
};

// What a duration looks like, for "expected ..." parts of messages.
inline constexpr std::string_view kDurationForm = "a duration such as 500ms, 30s, 10m or 1h30m";

// The longest accepted duration. Deadlines are computed in nanoseconds on a 64-bit clock;
// a hundred years stays far from that clock's overflow.
inline constexpr std::chrono::hours kMaxDuration{876000};

// Parses whole numbers each followed by a unit (h, m, s, ms), largest unit first, each unit
// at most once. Never throws.
std::variant<std::chrono::milliseconds, DurationProblem> read_duration(std::string_view text);

// "1h30m", "500ms", "0s": the text that read_duration reads back to the same value (for a
// negative duration, that text with a leading "-", which read_duration refuses).
std::string format_duration(std::chrono::milliseconds duration);

}  // namespace kph::host::config
