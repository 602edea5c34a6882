// The pieces of the Prometheus text exposition format 0.0.4 that are easy to get subtly wrong:
// escaping, number spelling and the naming rules. Kept apart from the registry so each rule
// has one place and one test.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace kph::host {

// Appends a label value between its quotes: backslash, double quote and line feed escaped as
// \\, \" and \n. Invalid UTF-8 becomes U+FFFD, because Prometheus refuses a whole scrape that
// holds one invalid label value.
void append_label_value(std::string& out, std::string_view value);

// Appends a HELP docstring: backslash and line feed escaped as \\ and \n (quotes stay as they
// are, as the format says), invalid UTF-8 replaced as above.
void append_help_text(std::string& out, std::string_view text);

// Appends a sample value or an `le` bound the way Prometheus' own Go client spells it:
// "+Inf", "-Inf", "NaN", the shortest digits that read back to the same double, in plain
// notation for exponents -4..5 ("0.005", "2.5", "300") and in exponent notation otherwise
// ("1e-05", "1e+06").
void append_number(std::string& out, double value);
void append_number(std::string& out, uint64_t value);

// Metric names: [a-zA-Z_:][a-zA-Z0-9_:]*. Label names: [a-zA-Z_][a-zA-Z0-9_]*, and not
// starting with "__" (reserved for Prometheus itself).
bool is_valid_metric_name(std::string_view name);
bool is_valid_label_name(std::string_view name);

}  // namespace kph::host
