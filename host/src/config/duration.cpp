#include "config/duration.hpp"

#include <array>
#include <cctype>
#include <cstdint>
#include <limits>

#include "config/host_config.hpp"
#include "config/message_text.hpp"

namespace kph::host {
namespace config {
namespace {

struct Unit {
  std::string_view name;
  int64_t millis;
};

// Largest first: a duration must list its units in this order.
constexpr std::array<Unit, 4> kUnits = {{{"h", 3600000}, {"m", 60000}, {"s", 1000}, {"ms", 1}}};

constexpr std::string_view kUnitList = "h, m, s or ms";

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

DurationProblem too_long() {
  return {"the duration is longer than the " + std::to_string(kMaxDuration.count()) +
              "h (100 years) this host accepts",
          "use a shorter duration"};
}

}  // namespace

std::variant<std::chrono::milliseconds, DurationProblem> read_duration(std::string_view text) {
  if (text.empty()) return DurationProblem{"the duration is empty", "write e.g. 30s or 10m"};
  if (text.front() == '-') {
    return DurationProblem{"negative durations are not allowed",
                           "write a positive duration without the '-'"};
  }
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      return DurationProblem{"the duration contains a space",
                             "write number and unit together, e.g. 1h30m"};
    }
  }
  const int64_t max_millis = std::chrono::milliseconds(kMaxDuration).count();
  int64_t total = 0;
  size_t next_unit = 0;  // index into kUnits of the smallest unit still allowed
  size_t i = 0;
  while (i < text.size()) {
    if (!is_digit(text[i])) {
      return DurationProblem{"expected a number at " + quote_text(text.substr(i)),
                             "write whole numbers each followed by a unit (" +
                                 std::string(kUnitList) + "), e.g. 1h30m"};
    }
    int64_t number = 0;
    const size_t number_start = i;
    while (i < text.size() && is_digit(text[i])) {
      if (number > (std::numeric_limits<int64_t>::max() - 9) / 10) return too_long();
      number = number * 10 + (text[i] - '0');
      ++i;
    }
    const std::string number_text(text.substr(number_start, i - number_start));
    if (i < text.size() && (text[i] == '.' || text[i] == ',')) {
      return DurationProblem{"fractions are not supported",
                             "use whole numbers of a smaller unit, e.g. 1h30m instead of 1.5h"};
    }
    const size_t unit_start = i;
    while (i < text.size() && is_letter(text[i])) ++i;
    const std::string_view unit_text = text.substr(unit_start, i - unit_start);
    if (unit_text.empty()) {
      return DurationProblem{
          "the number " + number_text + " has no unit",
          "add a unit (" + std::string(kUnitList) + "), e.g. " + number_text + "s"};
    }
    size_t unit_index = kUnits.size();
    for (size_t u = 0; u < kUnits.size(); ++u) {
      if (kUnits[u].name == unit_text) unit_index = u;
    }
    if (unit_index == kUnits.size()) {
      return DurationProblem{"unknown unit \"" + std::string(unit_text) + "\"",
                             "use " + std::string(kUnitList) + ", e.g. 48h instead of 2d"};
    }
    if (unit_index < next_unit) {
      return DurationProblem{
          "the unit \"" + std::string(unit_text) + "\" is repeated or comes after a smaller unit",
          "write each unit once, largest first, e.g. 1h30m10s"};
    }
    next_unit = unit_index + 1;
    const int64_t factor = kUnits[unit_index].millis;
    if (number > max_millis / factor) return too_long();
    total += number * factor;
    if (total > max_millis) return too_long();
  }
  return std::chrono::milliseconds(total);
}

std::string format_duration(std::chrono::milliseconds duration) {
  if (duration.count() == 0) return "0s";
  std::string text = duration.count() < 0 ? "-" : "";
  // The magnitude as unsigned, so that the most negative value has one too.
  uint64_t rest = duration.count() < 0 ? 0 - static_cast<uint64_t>(duration.count())
                                       : static_cast<uint64_t>(duration.count());
  for (const auto& unit : kUnits) {
    const auto millis = static_cast<uint64_t>(unit.millis);
    if (rest >= millis) {
      text += std::to_string(rest / millis) + std::string(unit.name);
      rest %= millis;
    }
  }
  return text;
}

}  // namespace config

Result<std::chrono::milliseconds> parse_duration(const std::string& text) {
  auto parsed = config::read_duration(text);
  if (auto* value = std::get_if<std::chrono::milliseconds>(&parsed)) return *value;
  const auto& problem = std::get<config::DurationProblem>(parsed);
  return Error{problem.what + "; expected " + std::string(config::kDurationForm) + ", found " +
               config::quote_text(text) + "; " + problem.todo};
}

}  // namespace kph::host
