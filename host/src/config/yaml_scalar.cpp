#include "config/yaml_scalar.hpp"

#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <string_view>

#include "config/message_text.hpp"

namespace kph::host::config {
namespace {

constexpr std::string_view kTagPrefix = "tag:yaml.org,2002:";

bool is_null_text(const std::string& text) {
  return text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL";
}

std::optional<bool> bool_of(const std::string& text) {
  if (text == "true" || text == "True" || text == "TRUE") return true;
  if (text == "false" || text == "False" || text == "FALSE") return false;
  return std::nullopt;
}

bool all_of(std::string_view text, bool (*accept)(char)) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!accept(c)) return false;
  }
  return true;
}

bool decimal_digit(char c) { return c >= '0' && c <= '9'; }
bool octal_digit(char c) { return c >= '0' && c <= '7'; }
bool hex_digit(char c) {
  return decimal_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// Integer forms of the core schema: [-+]?[0-9]+, 0o[0-7]+, 0x[0-9a-fA-F]+. nullopt when the
// text is not an integer at all; a string when it is one that JSON numbers here cannot hold.
std::optional<ScalarValue> integer_of(const std::string& text) {
  std::string_view digits = text;
  int base = 10;
  bool negative = false;
  if (digits.starts_with("0o") && all_of(digits.substr(2), octal_digit)) {
    base = 8;
    digits.remove_prefix(2);
  } else if (digits.starts_with("0x") && all_of(digits.substr(2), hex_digit)) {
    base = 16;
    digits.remove_prefix(2);
  } else {
    if (!digits.empty() && (digits[0] == '-' || digits[0] == '+')) {
      negative = digits[0] == '-';
      digits.remove_prefix(1);
    }
    if (!all_of(digits, decimal_digit)) return std::nullopt;
  }
  uint64_t magnitude = 0;
  for (char c : digits) {
    const uint64_t digit = decimal_digit(c) ? c - '0' : (c | 0x20) - 'a' + 10;
    if (magnitude > (std::numeric_limits<uint64_t>::max() - digit) / base) {
      return ScalarProblem{negative
                               ? "is an integer too small for JSON (the range is -2^63 to 2^64-1)"
                               : "is an integer too large for JSON (the range is -2^63 to 2^64-1)"};
    }
    magnitude = magnitude * base + digit;
  }
  if (!negative) return ScalarValue(nlohmann::json(magnitude));
  const uint64_t limit = static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) + 1;
  if (magnitude > limit) {
    return ScalarProblem{"is an integer too small for JSON (the range is -2^63 to 2^64-1)"};
  }
  // -magnitude computed without overflowing at -2^63.
  const int64_t value =
      magnitude == limit ? std::numeric_limits<int64_t>::min() : -static_cast<int64_t>(magnitude);
  return ScalarValue(nlohmann::json(value));
}

bool is_special_float(const std::string& text) {
  std::string_view rest = text;
  if (!rest.empty() && (rest[0] == '-' || rest[0] == '+')) rest.remove_prefix(1);
  return rest == ".inf" || rest == ".Inf" || rest == ".INF" || text == ".nan" || text == ".NaN" ||
         text == ".NAN";
}

// [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
bool is_float_text(const std::string& text) {
  size_t i = 0;
  const auto digits = [&] {
    const size_t start = i;
    while (i < text.size() && decimal_digit(text[i])) ++i;
    return i - start;
  };
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) ++i;
  size_t mantissa = digits();
  if (i < text.size() && text[i] == '.') {
    ++i;
    mantissa += digits();
  }
  if (mantissa == 0) return false;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) ++i;
    if (digits() == 0) return false;
  }
  return i == text.size();
}

std::optional<ScalarValue> float_of(const std::string& text) {
  if (is_special_float(text)) {
    return ScalarProblem{"is infinity or not-a-number, which JSON cannot hold"};
  }
  if (!is_float_text(text)) return std::nullopt;
  errno = 0;
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (errno == ERANGE && std::isinf(value)) {
    return ScalarProblem{"is a number too large for JSON"};
  }
  return ScalarValue(nlohmann::json(value));
}

ScalarValue resolve_plain(const std::string& text) {
  if (is_null_text(text)) return nlohmann::json(nullptr);
  if (auto value = bool_of(text)) return nlohmann::json(*value);
  if (auto value = integer_of(text)) return *value;
  if (auto value = float_of(text)) return *value;
  return nlohmann::json(text);
}

}  // namespace

bool is_plain(const YAML::Node& node) { return node.IsScalar() && node.Tag() == "?"; }

ScalarValue resolve_scalar(const YAML::Node& node) {
  if (node.IsNull()) return nlohmann::json(nullptr);
  if (!node.IsScalar()) return ScalarProblem{"is not a single value"};
  const std::string& text = node.Scalar();
  const std::string& tag = node.Tag();
  if (tag == "?") return resolve_plain(text);
  // "!" is what yaml-cpp gives quoted and block scalars.
  if (tag == "!" || tag == std::string(kTagPrefix) + "str") return nlohmann::json(text);
  if (tag == std::string(kTagPrefix) + "null") {
    if (is_null_text(text)) return nlohmann::json(nullptr);
    return ScalarProblem{"is tagged !!null but is not null"};
  }
  if (tag == std::string(kTagPrefix) + "bool") {
    if (auto value = bool_of(text)) return nlohmann::json(*value);
    return ScalarProblem{"is tagged !!bool but is neither true nor false"};
  }
  if (tag == std::string(kTagPrefix) + "int") {
    if (auto value = integer_of(text)) return *value;
    return ScalarProblem{"is tagged !!int but is not an integer"};
  }
  if (tag == std::string(kTagPrefix) + "float") {
    if (auto value = integer_of(text)) {
      if (auto* number = std::get_if<nlohmann::json>(&*value)) {
        return nlohmann::json(number->get<double>());
      }
      return *value;
    }
    if (auto value = float_of(text)) return *value;
    return ScalarProblem{"is tagged !!float but is not a number"};
  }
  return ScalarProblem{"has the tag " + quote_text(tag) + ", which this host does not support"};
}

}  // namespace kph::host::config
