#include "time_window.hpp"

#include <cctype>
#include <charconv>
#include <limits>

namespace kph::plugins::prometheus_sli {
namespace {

constexpr int64_t kNanosPerSecond = 1'000'000'000;

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's civil algorithm), so
// parsing never depends on the process's time zone or locale.
int64_t days_from_civil(int64_t year, unsigned month, unsigned day) {
  year -= month <= 2 ? 1 : 0;
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const auto year_of_era = static_cast<unsigned>(year - era * 400);
  const unsigned day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const unsigned day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + static_cast<int64_t>(day_of_era) - 719468;
}

bool leap_year(int64_t year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

unsigned days_in_month(int64_t year, unsigned month) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && leap_year(year) ? 29 : kDays[month - 1];
}

// Reads exactly `width` digits at text[pos]; advances pos.
bool read_digits(const std::string& text, size_t& pos, size_t width, unsigned& out) {
  if (pos + width > text.size()) return false;
  out = 0;
  for (size_t i = 0; i < width; ++i) {
    const char c = text[pos + i];
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    out = out * 10 + static_cast<unsigned>(c - '0');
  }
  pos += width;
  return true;
}

bool expect_char(const std::string& text, size_t& pos, const char* allowed) {
  if (pos >= text.size()) return false;
  for (const char* a = allowed; *a != '\0'; ++a) {
    if (text[pos] == *a) {
      ++pos;
      return true;
    }
  }
  return false;
}

std::optional<UnixNanos> parse_rfc3339(const std::string& text) {
  size_t pos = 0;
  unsigned year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!read_digits(text, pos, 4, year) || !expect_char(text, pos, "-") ||
      !read_digits(text, pos, 2, month) || !expect_char(text, pos, "-") ||
      !read_digits(text, pos, 2, day) || !expect_char(text, pos, "Tt") ||
      !read_digits(text, pos, 2, hour) || !expect_char(text, pos, ":") ||
      !read_digits(text, pos, 2, minute) || !expect_char(text, pos, ":") ||
      !read_digits(text, pos, 2, second)) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month) || hour > 23 ||
      minute > 59 || second > 59) {
    return std::nullopt;
  }
  int64_t nanos = 0;
  if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
    ++pos;
    int64_t scale = kNanosPerSecond / 10;
    size_t digits = 0;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
      // Digits past nanoseconds cannot change the result and are dropped, as Go does.
      nanos += (text[pos] - '0') * scale;
      scale /= 10;
      ++pos;
      ++digits;
    }
    if (digits == 0) return std::nullopt;
  }
  int64_t offset_seconds = 0;
  if (expect_char(text, pos, "Zz")) {
    offset_seconds = 0;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    const int sign = text[pos] == '-' ? -1 : 1;
    ++pos;
    unsigned offset_hours = 0, offset_minutes = 0;
    if (!read_digits(text, pos, 2, offset_hours) || !expect_char(text, pos, ":") ||
        !read_digits(text, pos, 2, offset_minutes) || offset_hours > 23 || offset_minutes > 59) {
      return std::nullopt;
    }
    offset_seconds = sign * static_cast<int64_t>(offset_hours * 3600 + offset_minutes * 60);
  } else {
    return std::nullopt;
  }
  if (pos != text.size()) return std::nullopt;
  const int64_t seconds = days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 +
                          second - offset_seconds;
  if (seconds > std::numeric_limits<int64_t>::max() / kNanosPerSecond - 1 ||
      seconds < std::numeric_limits<int64_t>::min() / kNanosPerSecond + 1) {
    return std::nullopt;
  }
  return seconds * kNanosPerSecond + nanos;
}

}  // namespace

Parsed<UnixNanos> parse_timestamp(const std::string& text, const std::string& field) {
  if (auto rfc = parse_rfc3339(text)) return Parsed<UnixNanos>::success(*rfc);
  int64_t seconds = 0;
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  if (begin != end && *begin == '+') ++begin;  // from_chars takes '-' but not '+'
  const auto [ptr, ec] = std::from_chars(begin, end, seconds);
  const std::string expected =
      "expected an RFC 3339 timestamp such as 2022-04-06T14:36:19.667Z, or whole Unix seconds";
  if (ec == std::errc() && ptr == end && begin != end) {
    if (seconds > std::numeric_limits<int64_t>::max() / kNanosPerSecond ||
        seconds < std::numeric_limits<int64_t>::min() / kNanosPerSecond) {
      return Parsed<UnixNanos>::failure("unable to parse " + field + " '" + text +
                                        "': Unix seconds out of range (years 1678 to 2262)");
    }
    return Parsed<UnixNanos>::success(seconds * kNanosPerSecond);
  }
  if (ec == std::errc::result_out_of_range) {
    return Parsed<UnixNanos>::failure("unable to parse " + field + " '" + text +
                                      "': Unix seconds out of range (years 1678 to 2262)");
  }
  return Parsed<UnixNanos>::failure("unable to parse " + field + " '" + text + "': " + expected);
}

std::string duration_seconds_text(UnixNanos start, UnixNanos end) {
  const int64_t span = end - start;
  int64_t seconds = span / kNanosPerSecond;
  // Integer division truncates toward zero; ceil only differs for a positive remainder.
  if (span % kNanosPerSecond > 0) ++seconds;
  return std::to_string(seconds) + "s";
}

std::string query_time_text(UnixNanos at) {
  const bool negative = at < 0;
  // Work in unsigned so that the most negative value has a magnitude.
  const uint64_t magnitude =
      negative ? static_cast<uint64_t>(-(at + 1)) + 1 : static_cast<uint64_t>(at);
  std::string text = (negative ? "-" : "") + std::to_string(magnitude / kNanosPerSecond);
  uint64_t fraction = magnitude % kNanosPerSecond;
  if (fraction != 0) {
    std::string digits = std::to_string(fraction);
    digits.insert(0, 9 - digits.size(), '0');
    while (digits.back() == '0') digits.pop_back();
    text += "." + digits;
  }
  return text;
}

}  // namespace kph::plugins::prometheus_sli
