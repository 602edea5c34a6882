#include "go_strconv.hpp"

#include <locale.h>
#include <stdlib.h>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>

namespace kph::plugins::lighthouse {
namespace {

char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Length of the common prefix of text and word, ignoring ASCII case.
size_t common_prefix_ignore_case(std::string_view text, std::string_view word) {
  size_t n = 0;
  while (n < text.size() && n < word.size() && lower(text[n]) == word[n]) ++n;
  return n;
}

// Go's underscoreOK: '_' may only stand between digits, or between a base prefix and a digit.
bool underscores_ok(std::string_view s) {
  char saw = '^';
  size_t i = 0;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  bool hex = false;
  if (s.size() >= 2 && s[0] == '0' &&
      (lower(s[1]) == 'b' || lower(s[1]) == 'o' || lower(s[1]) == 'x')) {
    i = 2;
    saw = '0';
    hex = lower(s[1]) == 'x';
  }
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (is_digit(c) || (hex && lower(c) >= 'a' && lower(c) <= 'f')) {
      saw = '0';
      continue;
    }
    if (c == '_') {
      if (saw != '0') return false;
      saw = '_';
      continue;
    }
    if (saw == '_') return false;
    saw = '!';
  }
  return saw != '_';
}

// Go's "special" values; returns the number of bytes consumed, 0 when there is none.
size_t special_float(std::string_view s, double& out) {
  if (s.empty()) return 0;
  double sign = 1;
  size_t nsign = 0;
  std::string_view rest = s;
  if (s[0] == '+' || s[0] == '-') {
    if (s[0] == '-') sign = -1;
    nsign = 1;
    rest.remove_prefix(1);
  } else if (lower(s[0]) == 'n') {
    if (common_prefix_ignore_case(s, "nan") == 3) {
      out = std::numeric_limits<double>::quiet_NaN();
      return 3;
    }
    return 0;
  } else if (lower(s[0]) != 'i') {
    return 0;
  }
  size_t n = common_prefix_ignore_case(rest, "infinity");
  if (n > 3 && n < 8) n = 3;
  if (n == 3 || n == 8) {
    out = sign * std::numeric_limits<double>::infinity();
    return nsign + n;
  }
  return 0;
}

// Go's readFloat, as a syntax check: returns the length of the float at the start of s (0 when
// there is none) and whether it is hexadecimal.
size_t float_syntax_length(std::string_view s) {
  size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  bool hex = false;
  char exp_char = 'e';
  if (i + 2 < s.size() && s[i] == '0' && lower(s[i + 1]) == 'x') {
    i += 2;
    hex = true;
    exp_char = 'p';
  }
  bool underscores = false;
  bool saw_dot = false;
  bool saw_digits = false;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '_') {
      underscores = true;
      continue;
    }
    if (c == '.') {
      if (saw_dot) break;
      saw_dot = true;
      continue;
    }
    if (is_digit(c) || (hex && lower(c) >= 'a' && lower(c) <= 'f')) {
      saw_digits = true;
      continue;
    }
    break;
  }
  if (!saw_digits) return 0;
  if (i < s.size() && lower(s[i]) == exp_char) {
    ++i;
    if (i >= s.size()) return 0;
    if (s[i] == '+' || s[i] == '-') ++i;
    if (i >= s.size() || !is_digit(s[i])) return 0;
    for (; i < s.size() && (is_digit(s[i]) || s[i] == '_'); ++i) {
      if (s[i] == '_') underscores = true;
    }
  } else if (hex) {
    return 0;  // Go requires a 'p' exponent on a hexadecimal mantissa
  }
  if (underscores && !underscores_ok(s.substr(0, i))) return 0;
  return i;
}

// Go's ParseUint with base 0, on text without a sign. Returns nothing on syntax or range errors.
std::optional<uint64_t> parse_uint_base0(std::string_view s) {
  if (s.empty()) return std::nullopt;
  const std::string_view original = s;
  unsigned base = 10;
  if (s[0] == '0') {
    if (s.size() >= 3 && lower(s[1]) == 'b') {
      base = 2;
      s.remove_prefix(2);
    } else if (s.size() >= 3 && lower(s[1]) == 'o') {
      base = 8;
      s.remove_prefix(2);
    } else if (s.size() >= 3 && lower(s[1]) == 'x') {
      base = 16;
      s.remove_prefix(2);
    } else {
      base = 8;
      s.remove_prefix(1);
    }
  }
  uint64_t n = 0;
  bool underscores = false;
  for (const char c : s) {
    unsigned d = 0;
    if (c == '_') {
      underscores = true;
      continue;
    }
    if (is_digit(c)) {
      d = static_cast<unsigned>(c - '0');
    } else if (lower(c) >= 'a' && lower(c) <= 'z') {
      d = static_cast<unsigned>(lower(c) - 'a' + 10);
    } else {
      return std::nullopt;
    }
    if (d >= base) return std::nullopt;
    if (n > (std::numeric_limits<uint64_t>::max() - d) / base) return std::nullopt;
    n = n * base + d;
  }
  if (underscores && !underscores_ok(original)) return std::nullopt;
  return n;
}

}  // namespace

std::optional<double> go_parse_float(std::string_view text) {
  double special = 0;
  if (const size_t n = special_float(text, special); n > 0) {
    if (n != text.size()) return std::nullopt;
    return special;
  }
  const size_t n = float_syntax_length(text);
  if (n == 0 || n != text.size()) return std::nullopt;
  // The syntax is Go's; the conversion is glibc's strtod, which rounds correctly like Go's.
  std::string clean;
  clean.reserve(text.size());
  for (const char c : text) {
    if (c != '_') clean.push_back(c);
  }
  // strtod_l with the C locale: the host's locale must not change the decimal point.
  static const locale_t c_locale = newlocale(LC_ALL_MASK, "C", static_cast<locale_t>(nullptr));
  char* end = nullptr;
  const double value = strtod_l(clean.c_str(), &end, c_locale);
  if (end != clean.c_str() + clean.size()) return std::nullopt;
  if (std::isinf(value)) return std::nullopt;  // Go reports overflow as ErrRange
  return value;
}

std::optional<uint64_t> go_parse_uint(std::string_view text) { return parse_uint_base0(text); }

std::optional<int64_t> go_parse_int(std::string_view text) {
  if (text.empty()) return std::nullopt;
  bool negative = false;
  if (text[0] == '+' || text[0] == '-') {
    negative = text[0] == '-';
    text.remove_prefix(1);
  }
  const auto magnitude = parse_uint_base0(text);
  if (!magnitude) return std::nullopt;
  constexpr uint64_t cutoff = uint64_t{1} << 63;
  if (!negative && *magnitude >= cutoff) return std::nullopt;
  if (negative && *magnitude > cutoff) return std::nullopt;
  if (negative) {
    return *magnitude == cutoff ? std::numeric_limits<int64_t>::min()
                                : -static_cast<int64_t>(*magnitude);
  }
  return static_cast<int64_t>(*magnitude);
}

std::string go_format_float(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  // The shortest round-trip digits, as "-d.ddde+XX"; Go's %v then picks %e or %f.
  char buffer[64];
  const auto written =
      std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific);
  const std::string_view text(buffer, static_cast<size_t>(written.ptr - buffer));
  const size_t e = text.find('e');
  std::string_view mantissa = text.substr(0, e);
  const int exponent = std::atoi(std::string(text.substr(e + 1)).c_str());
  std::string sign;
  if (!mantissa.empty() && mantissa[0] == '-') {
    sign = "-";
    mantissa.remove_prefix(1);
  }
  std::string digits;
  for (const char c : mantissa) {
    if (c != '.') digits.push_back(c);
  }
  if (exponent < -4 || exponent >= 6) {
    std::string out = sign + digits.substr(0, 1);
    if (digits.size() > 1) out += "." + digits.substr(1);
    const int magnitude = exponent < 0 ? -exponent : exponent;
    out += exponent < 0 ? "e-" : "e+";
    if (magnitude < 10) out += "0";
    out += std::to_string(magnitude);
    return out;
  }
  if (exponent < 0) {
    return sign + "0." + std::string(static_cast<size_t>(-exponent - 1), '0') + digits;
  }
  const auto integer_digits = static_cast<size_t>(exponent) + 1;
  if (digits.size() <= integer_digits) {
    return sign + digits + std::string(integer_digits - digits.size(), '0');
  }
  return sign + digits.substr(0, integer_digits) + "." + digits.substr(integer_digits);
}

}  // namespace kph::plugins::lighthouse
