// The evaluation window of a get-sli request: its two timestamps, the `$DURATION_SECONDS`
// value derived from them, and the `time` parameter of the instant query.
#pragma once

#include <cstdint>
#include <string>

#include "parsed.hpp"

namespace kph::plugins::prometheus_sli {

// A point in time as nanoseconds since the Unix epoch (UTC). int64 covers 1678..2262.
using UnixNanos = int64_t;

// Parses a get-sli start/end value as Keptn's provider accepts it: RFC 3339 with any fraction
// and a `Z` or numeric offset (2022-04-06T14:36:19.667Z, 2022-04-06T16:36:19+02:00), or else a
// base-10 count of Unix seconds with an optional sign. `field` names the value in the error,
// e.g. "get-sli.start".
Parsed<UnixNanos> parse_timestamp(const std::string& text, const std::string& field);

// `$DURATION_SECONDS`: the window length in whole seconds, rounded up, with `s` appended
// (75.905 s -> "76s", exactly 300 s -> "300s"). Never converted to minutes or hours.
std::string duration_seconds_text(UnixNanos start, UnixNanos end);

// The instant query's `time` parameter: Unix seconds in shortest decimal form, keeping any
// fraction ("1649255779.667", "1683195600").
std::string query_time_text(UnixNanos at);

}  // namespace kph::plugins::prometheus_sli
