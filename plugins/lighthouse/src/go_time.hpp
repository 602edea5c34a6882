// The parts of Go's time package that decide lighthouse's evaluation window: parsing the three
// timestamp layouts go-utils tries, Go durations ("5m", "1h30m"), and the Keptn timestamp format.
// Error texts are Go's, byte for byte, because Keptn puts them in evaluation.finished messages.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kph::plugins::lighthouse {

// An instant plus the zone offset it was written in. Go formats a time in its own zone, so the
// offset is kept for formatting only; comparisons use the instant.
struct GoTime {
  int64_t seconds = 0;  // Unix seconds of the instant
  int32_t nanos = 0;    // 0..999999999
  int32_t offset = 0;   // seconds east of UTC
};

// The layouts go-utils' ParseTimestamp tries, in its order.
enum class GoLayout {
  keptn,     // "2006-01-02T15:04:05.000Z": exactly three fraction digits, literal Z
  rfc3339,   // "2006-01-02T15:04:05Z07:00": any fraction, Z or a numeric offset
  fallback,  // "2006-01-02T15:04:05": no zone, read as UTC
};

struct GoTimeParse {
  std::optional<GoTime> time;
  std::string error;  // Go's *time.ParseError text when time is empty
};

// time.Parse(layout, value).
GoTimeParse go_parse_time(GoLayout layout, std::string_view value);

// time.Time.Format("2006-01-02T15:04:05.000Z"): wall clock in the time's own zone, milliseconds
// truncated, and a literal Z whatever the offset.
std::string go_format_keptn_time(const GoTime& time);

// time.Time.Add and time.Time.Sub (saturating, in nanoseconds).
GoTime go_add(const GoTime& time, int64_t nanos);
int64_t go_sub(const GoTime& end, const GoTime& start);

// The current time as Go's time.Now().UTC().
GoTime go_now(std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

struct GoDurationParse {
  std::optional<int64_t> nanos;
  std::string error;  // "time: invalid duration \"x\"" and the like
};

// time.ParseDuration.
GoDurationParse go_parse_duration(std::string_view text);

// The time package's quote(): Go's quoting of values in its error texts.
std::string go_time_quote(std::string_view text);

}  // namespace kph::plugins::lighthouse
