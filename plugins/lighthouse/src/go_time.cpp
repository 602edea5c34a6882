#include "go_time.hpp"

#include <array>
#include <limits>
#include <unordered_map>

namespace kph::plugins::lighthouse {
namespace {

// The layout elements the three layouts use (Go's std* constants).
enum class Std {
  end,
  long_year,
  zero_month,
  zero_day,
  hour,
  zero_minute,
  zero_second,
  frac3,
  colon_tz
};

struct Chunk {
  std::string_view prefix;  // literal text before the element
  Std std;
  std::string_view text;  // the element as written in the layout, for error messages
};

constexpr std::array<Chunk, 7> kDateTime = {{
    {"", Std::long_year, "2006"},
    {"-", Std::zero_month, "01"},
    {"-", Std::zero_day, "02"},
    {"T", Std::hour, "15"},
    {":", Std::zero_minute, "04"},
    {":", Std::zero_second, "05"},
    {"", Std::end, ""},
}};

struct Layout {
  std::string_view text;
  std::array<Chunk, 8> chunks;
  size_t size;
};

const Layout& layout_of(GoLayout layout) {
  static const Layout keptn = {
      "2006-01-02T15:04:05.000Z",
      {kDateTime[0], kDateTime[1], kDateTime[2], kDateTime[3], kDateTime[4], kDateTime[5],
       Chunk{"", Std::frac3, ".000"}, Chunk{"Z", Std::end, ""}},
      8};
  static const Layout rfc3339 = {
      "2006-01-02T15:04:05Z07:00",
      {kDateTime[0], kDateTime[1], kDateTime[2], kDateTime[3], kDateTime[4], kDateTime[5],
       Chunk{"", Std::colon_tz, "Z07:00"}, Chunk{"", Std::end, ""}},
      8};
  static const Layout fallback = {"2006-01-02T15:04:05",
                                  {kDateTime[0], kDateTime[1], kDateTime[2], kDateTime[3],
                                   kDateTime[4], kDateTime[5], kDateTime[6], Chunk{}},
                                  7};
  switch (layout) {
    case GoLayout::keptn:
      return keptn;
    case GoLayout::rfc3339:
      return rfc3339;
    case GoLayout::fallback:
      break;
  }
  return fallback;
}

bool is_digit(std::string_view s, size_t i) { return i < s.size() && s[i] >= '0' && s[i] <= '9'; }

// Go's leadingInt: the leading decimal digits, or nothing on overflow past 1<<63.
bool leading_int(std::string_view& s, uint64_t& x) {
  x = 0;
  size_t i = 0;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
    if (x > (uint64_t{1} << 63) / 10) return false;
    x = x * 10 + static_cast<uint64_t>(s[i] - '0');
    if (x > (uint64_t{1} << 63)) return false;
  }
  s.remove_prefix(i);
  return true;
}

// Go's atoi in the time package: optional sign, digits, nothing after.
bool go_atoi(std::string_view s, int64_t& out) {
  bool negative = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  uint64_t q = 0;
  if (!leading_int(s, q) || !s.empty()) return false;
  out = static_cast<int64_t>(q);
  if (negative) out = -out;
  return true;
}

bool getnum(std::string_view& s, bool fixed, int64_t& out) {
  if (!is_digit(s, 0)) return false;
  if (!is_digit(s, 1)) {
    if (fixed) return false;
    out = s[0] - '0';
    s.remove_prefix(1);
    return true;
  }
  out = (s[0] - '0') * 10 + (s[1] - '0');
  s.remove_prefix(2);
  return true;
}

bool comma_or_period(char c) { return c == '.' || c == ','; }

// Go's parseNanoseconds: value[0] is the separator, value[1:nbytes] the digits.
bool parse_nanoseconds(std::string_view value, size_t nbytes, int64_t& ns, std::string& range) {
  if (!comma_or_period(value[0])) return false;
  if (nbytes > 10) nbytes = 10;
  if (!go_atoi(value.substr(1, nbytes - 1), ns)) return false;
  if (ns < 0) {
    range = "fractional second";
    return true;
  }
  for (size_t i = 0; i < 10 - nbytes; ++i) ns *= 10;
  return true;
}

bool is_leap(int64_t year) { return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0); }

int64_t days_in(int64_t month, int64_t year) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && is_leap(year)) return 29;
  return kDays[month - 1];
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
int64_t days_from_civil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void civil_from_days(int64_t z, int64_t& y, int64_t& m, int64_t& d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = yoe + era * 400 + (m <= 2);
}

int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// Go's appendInt: a '-' for negatives, then at least width digits.
void append_int(std::string& out, int64_t x, size_t width) {
  uint64_t u = static_cast<uint64_t>(x);
  if (x < 0) {
    out.push_back('-');
    u = 0 - u;
  }
  std::string digits = std::to_string(u);
  if (digits.size() < width) out.append(width - digits.size(), '0');
  out += digits;
}

std::string parse_error(std::string_view layout, std::string_view value, std::string_view elem,
                        std::string_view value_elem, const std::string& message) {
  if (message.empty()) {
    return "parsing time " + go_time_quote(value) + " as " + go_time_quote(layout) +
           ": cannot parse " + go_time_quote(value_elem) + " as " + go_time_quote(elem);
  }
  return "parsing time " + go_time_quote(value) + message;
}

}  // namespace

std::string go_time_quote(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    // Go escapes each byte of a non-ASCII or control rune as \xNN, so byte by byte is the same.
    if (c >= 0x80 || c < 0x20) {
      out += "\\x";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
      continue;
    }
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(ch);
  }
  out.push_back('"');
  return out;
}

GoTimeParse go_parse_time(GoLayout which, std::string_view value_in) {
  const Layout& layout = layout_of(which);
  std::string_view value = value_in;
  int64_t year = 0, month = -1, day = -1, hour = 0, minute = 0, second = 0, nsec = 0;
  bool utc = false;
  int64_t zone_offset = -1;

  for (size_t c = 0; c < layout.size; ++c) {
    const Chunk& chunk = layout.chunks[c];
    for (const char p : chunk.prefix) {
      if (value.empty() || value[0] != p) {
        return {std::nullopt, parse_error(layout.text, value_in, chunk.prefix, value, "")};
      }
      value.remove_prefix(1);
    }
    if (chunk.std == Std::end) {
      if (!value.empty()) {
        return {std::nullopt, parse_error(layout.text, value_in, "", value,
                                          ": extra text: " + go_time_quote(value))};
      }
      break;
    }
    const std::string_view hold = value;
    bool ok = true;
    std::string range;
    switch (chunk.std) {
      case Std::long_year:
        if (value.size() < 4 || !is_digit(value, 0)) {
          ok = false;
          break;
        }
        ok = go_atoi(value.substr(0, 4), year);
        value.remove_prefix(4);
        break;
      case Std::zero_month:
        ok = getnum(value, true, month);
        if (ok && (month <= 0 || month > 12)) range = "month";
        break;
      case Std::zero_day:
        ok = getnum(value, true, day);
        break;
      case Std::hour:
        ok = getnum(value, false, hour);
        if (hour < 0 || hour >= 24) range = "hour";
        break;
      case Std::zero_minute:
        ok = getnum(value, true, minute);
        if (minute < 0 || minute >= 60) range = "minute";
        break;
      case Std::zero_second: {
        ok = getnum(value, true, second);
        if (!ok) break;
        if (second < 0 || second >= 60) {
          range = "second";
          break;
        }
        // A fraction after the seconds is read even when the layout has none; when the layout
        // has one, its own element reads it.
        const Std next = layout.chunks[c + 1].std;
        if (value.size() >= 2 && comma_or_period(value[0]) && is_digit(value, 1) &&
            next != Std::frac3) {
          size_t n = 2;
          while (n < value.size() && is_digit(value, n)) ++n;
          ok = parse_nanoseconds(value, n, nsec, range);
          value.remove_prefix(n);
        }
        break;
      }
      case Std::frac3:
        if (value.size() < 4) {
          ok = false;
          break;
        }
        ok = parse_nanoseconds(value, 4, nsec, range);
        value.remove_prefix(4);
        break;
      case Std::colon_tz: {
        if (!value.empty() && value[0] == 'Z') {
          value.remove_prefix(1);
          utc = true;
          break;
        }
        if (value.size() < 6 || value[3] != ':') {
          ok = false;
          break;
        }
        const char sign = value[0];
        std::string_view hh = value.substr(1, 2);
        std::string_view mm = value.substr(4, 2);
        value.remove_prefix(6);
        int64_t hr = 0, mn = 0;
        ok = getnum(hh, true, hr) && getnum(mm, true, mn);
        if (hr > 24) range = "time zone offset hour";
        if (mn > 60) range = "time zone offset minute";
        zone_offset = (hr * 60 + mn) * 60;
        if (sign == '-') {
          zone_offset = -zone_offset;
        } else if (sign != '+') {
          ok = false;
        }
        break;
      }
      case Std::end:
        break;
    }
    if (!range.empty()) {
      return {std::nullopt, parse_error(layout.text, value_in, chunk.text, value,
                                        ": " + range + " out of range")};
    }
    if (!ok) return {std::nullopt, parse_error(layout.text, value_in, chunk.text, hold, "")};
  }

  if (month < 0) month = 1;
  if (day < 0) day = 1;
  if (day < 1 || day > days_in(month, year)) {
    return {std::nullopt, parse_error(layout.text, value_in, "", value, ": day out of range")};
  }
  GoTime out;
  out.offset = utc || zone_offset == -1 ? 0 : static_cast<int32_t>(zone_offset);
  out.seconds =
      days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - out.offset;
  out.nanos = static_cast<int32_t>(nsec);
  return {out, ""};
}

std::string go_format_keptn_time(const GoTime& time) {
  const int64_t local = time.seconds + time.offset;
  const int64_t days = floor_div(local, 86400);
  const int64_t in_day = local - days * 86400;
  int64_t y = 0, m = 0, d = 0;
  civil_from_days(days, y, m, d);
  std::string out;
  append_int(out, y, 4);
  out += "-";
  append_int(out, m, 2);
  out += "-";
  append_int(out, d, 2);
  out += "T";
  append_int(out, in_day / 3600, 2);
  out += ":";
  append_int(out, in_day / 60 % 60, 2);
  out += ":";
  append_int(out, in_day % 60, 2);
  out += ".";
  append_int(out, time.nanos / 1000000, 3);
  out += "Z";
  return out;
}

GoTime go_add(const GoTime& time, int64_t nanos) {
  GoTime out = time;
  int64_t dsec = nanos / 1000000000;
  int64_t nsec = time.nanos + nanos % 1000000000;
  if (nsec >= 1000000000) {
    ++dsec;
    nsec -= 1000000000;
  } else if (nsec < 0) {
    --dsec;
    nsec += 1000000000;
  }
  out.seconds += dsec;
  out.nanos = static_cast<int32_t>(nsec);
  return out;
}

int64_t go_sub(const GoTime& end, const GoTime& start) {
  const __int128 d =
      static_cast<__int128>(end.seconds - start.seconds) * 1000000000 + (end.nanos - start.nanos);
  if (d > std::numeric_limits<int64_t>::max()) return std::numeric_limits<int64_t>::max();
  if (d < std::numeric_limits<int64_t>::min()) return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(d);
}

GoTime go_now(std::chrono::system_clock::time_point now) {
  const int64_t ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch()).count();
  GoTime out;
  out.seconds = floor_div(ns, 1000000000);
  out.nanos = static_cast<int32_t>(ns - out.seconds * 1000000000);
  return out;
}

GoDurationParse go_parse_duration(std::string_view text) {
  static const std::unordered_map<std::string_view, uint64_t> kUnits = {
      {"ns", 1},           {"us", 1000},      {"\xC2\xB5s", 1000},  // U+00B5 micro sign
      {"\xCE\xBCs", 1000},                                          // U+03BC Greek mu
      {"ms", 1000000},     {"s", 1000000000}, {"m", 60000000000},  {"h", 3600000000000},
  };
  constexpr uint64_t kLimit = uint64_t{1} << 63;
  const std::string invalid = "time: invalid duration " + go_time_quote(text);
  std::string_view s = text;
  bool negative = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == "0") return {0, ""};
  if (s.empty()) return {std::nullopt, invalid};
  uint64_t total = 0;
  while (!s.empty()) {
    if (!(s[0] == '.' || (s[0] >= '0' && s[0] <= '9'))) return {std::nullopt, invalid};
    const size_t before = s.size();
    uint64_t v = 0;
    if (!leading_int(s, v)) return {std::nullopt, invalid};
    const bool pre = before != s.size();
    uint64_t f = 0;
    double scale = 1;
    bool post = false;
    if (!s.empty() && s[0] == '.') {
      s.remove_prefix(1);
      const size_t fraction_start = s.size();
      bool overflow = false;
      size_t i = 0;
      for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
        if (overflow) continue;
        if (f > (kLimit - 1) / 10) {
          overflow = true;
          continue;
        }
        const uint64_t y = f * 10 + static_cast<uint64_t>(s[i] - '0');
        if (y > kLimit) {
          overflow = true;
          continue;
        }
        f = y;
        scale *= 10;
      }
      s.remove_prefix(i);
      post = fraction_start != s.size();
    }
    if (!pre && !post) return {std::nullopt, invalid};
    size_t i = 0;
    while (i < s.size() && s[i] != '.' && !(s[i] >= '0' && s[i] <= '9')) ++i;
    if (i == 0) return {std::nullopt, "time: missing unit in duration " + go_time_quote(text)};
    const std::string_view unit_text = s.substr(0, i);
    s.remove_prefix(i);
    const auto unit = kUnits.find(unit_text);
    if (unit == kUnits.end()) {
      return {std::nullopt, "time: unknown unit " + go_time_quote(unit_text) + " in duration " +
                                go_time_quote(text)};
    }
    if (v > kLimit / unit->second) return {std::nullopt, invalid};
    v *= unit->second;
    if (f > 0) {
      v += static_cast<uint64_t>(static_cast<double>(f) *
                                 (static_cast<double>(unit->second) / scale));
      if (v > kLimit) return {std::nullopt, invalid};
    }
    total += v;
    if (total > kLimit) return {std::nullopt, invalid};
  }
  if (negative) return {static_cast<int64_t>(0 - total), ""};
  if (total > kLimit - 1) return {std::nullopt, invalid};
  return {static_cast<int64_t>(total), ""};
}

}  // namespace kph::plugins::lighthouse
