#include "yaml_scalar.hpp"

#include <cmath>
#include <string>

#include "go_strconv.hpp"

namespace kph::plugins::lighthouse {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// What yaml.v3's resolve() makes of a plain scalar, as far as an int target cares.
struct Resolved {
  enum class Kind { string, int_value, uint_value, float_value, other } kind = Kind::string;
  int64_t int_value = 0;
  double float_value = 0;
};

Resolved resolve_plain(std::string_view text) {
  Resolved out;
  // yaml.v3's resolve map: booleans, nulls (yaml-cpp already made those null nodes), the
  // special floats and the merge key.
  static constexpr std::string_view kTrue[] = {"true",  "True",  "TRUE", "false",
                                               "False", "FALSE", "<<"};
  for (const auto word : kTrue) {
    if (text == word) {
      out.kind = Resolved::Kind::other;
      return out;
    }
  }
  static constexpr std::string_view kNan[] = {".nan", ".NaN", ".NAN"};
  static constexpr std::string_view kInf[] = {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"};
  static constexpr std::string_view kNegInf[] = {"-.inf", "-.Inf", "-.INF"};
  for (const auto word : kNan) {
    if (text == word) return {Resolved::Kind::float_value, 0, std::nan("")};
  }
  for (const auto word : kInf) {
    if (text == word) return {Resolved::Kind::float_value, 0, HUGE_VAL};
  }
  for (const auto word : kNegInf) {
    if (text == word) return {Resolved::Kind::float_value, 0, -HUGE_VAL};
  }
  if (text.empty()) return out;
  const char hint = text[0];
  if (hint == '.') {
    if (const auto f = go_parse_float(text)) return {Resolved::Kind::float_value, 0, *f};
    return out;
  }
  if (!(is_digit(hint) || hint == '+' || hint == '-')) return out;
  std::string plain;
  for (const char c : text) {
    if (c != '_') plain.push_back(c);
  }
  if (const auto i = go_parse_int(plain)) return {Resolved::Kind::int_value, *i, 0};
  if (go_parse_uint(plain)) return {Resolved::Kind::uint_value, 0, 0};
  if (yaml_style_float(plain)) {
    if (const auto f = go_parse_float(plain)) return {Resolved::Kind::float_value, 0, *f};
  }
  return out;
}

}  // namespace

bool yaml_style_float(std::string_view s) {
  size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  if (i < s.size() && s[i] == '.') {
    ++i;
    const size_t digits = i;
    while (i < s.size() && is_digit(s[i])) ++i;
    if (i == digits) return false;
  } else {
    const size_t digits = i;
    while (i < s.size() && is_digit(s[i])) ++i;
    if (i == digits) return false;
    if (i < s.size() && s[i] == '.') {
      ++i;
      while (i < s.size() && is_digit(s[i])) ++i;
    }
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    const size_t digits = i;
    while (i < s.size() && is_digit(s[i])) ++i;
    if (i == digits) return false;
  }
  return i == s.size();
}

bool yaml_is_plain(const YAML::Node& scalar) {
  const std::string& tag = scalar.Tag();
  if (tag == "?" || tag.empty()) return true;
  static constexpr std::string_view kCore = "tag:yaml.org,2002:";
  if (tag.compare(0, kCore.size(), kCore) != 0) return false;
  const std::string_view kind = std::string_view(tag).substr(kCore.size());
  return kind == "int" || kind == "float" || kind == "bool" || kind == "null" ||
         kind == "timestamp";
}

std::optional<int64_t> yaml_scalar_to_int(const YAML::Node& scalar) {
  if (!yaml_is_plain(scalar)) return std::nullopt;
  const Resolved r = resolve_plain(scalar.Scalar());
  switch (r.kind) {
    case Resolved::Kind::int_value:
      return r.int_value;
    case Resolved::Kind::float_value: {
      // Go: `resolved <= math.MaxInt64` (which is 2^63 as a float64), then int64(f), which on
      // amd64 gives the most negative int64 for anything out of range.
      constexpr double kTwo63 = 9223372036854775808.0;
      const double f = r.float_value;
      if (!(f <= kTwo63)) return std::nullopt;
      if (f >= kTwo63 || f < -kTwo63) return INT64_MIN;
      return static_cast<int64_t>(f);
    }
    case Resolved::Kind::uint_value:  // only reached above the int64 range
    case Resolved::Kind::string:
    case Resolved::Kind::other:
      break;
  }
  return std::nullopt;
}

std::optional<bool> yaml_scalar_to_bool(const YAML::Node& scalar) {
  const std::string& text = scalar.Scalar();
  if (yaml_is_plain(scalar)) {
    if (text == "true" || text == "True" || text == "TRUE") return true;
    if (text == "false" || text == "False" || text == "FALSE") return false;
    if (resolve_plain(text).kind != Resolved::Kind::string) return std::nullopt;
  }
  // yaml.v3 still takes YAML 1.1 words for a Go bool, quoted or not.
  static constexpr std::string_view kYes[] = {"y", "Y", "yes", "Yes", "YES", "on", "On", "ON"};
  static constexpr std::string_view kNo[] = {"n", "N", "no", "No", "NO", "off", "Off", "OFF"};
  for (const auto word : kYes) {
    if (text == word) return true;
  }
  for (const auto word : kNo) {
    if (text == word) return false;
  }
  return std::nullopt;
}

}  // namespace kph::plugins::lighthouse
