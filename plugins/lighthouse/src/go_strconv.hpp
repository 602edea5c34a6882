// Number parsing and printing with the exact rules of Go's strconv and fmt, because Keptn's
// lighthouse-service is written in Go and its results (criteria targets, score messages) depend
// on them to the last digit.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kph::plugins::lighthouse {

// strconv.ParseFloat(s, 64): decimal or hexadecimal (with a 'p' exponent) floats, '_' digit
// separators, "inf"/"infinity"/"nan" in any case. Nothing else may follow the number, and no
// white space is allowed. Overflow to infinity is an error, as in Go; underflow is not.
std::optional<double> go_parse_float(std::string_view text);

// strconv.ParseInt(s, 0, 64): an optional sign, then a 0x/0o/0b/0 base prefix or decimal
// digits; '_' only as a digit separator after a base prefix rule check.
std::optional<int64_t> go_parse_int(std::string_view text);

// strconv.ParseUint(s, 0, 64): like go_parse_int without a sign.
std::optional<uint64_t> go_parse_uint(std::string_view text);

// fmt's %v for a float64: the shortest text that reads back as the same double, in exponent
// form ("1e-05", "1.5e+06") when the decimal exponent is below -4 or at least 6, "+Inf",
// "-Inf" and "NaN" for the special values.
std::string go_format_float(double value);

}  // namespace kph::plugins::lighthouse
