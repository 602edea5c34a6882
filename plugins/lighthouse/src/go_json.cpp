#include "go_json.hpp"

#include <cctype>
#include <cmath>

namespace kph::plugins::lighthouse {
namespace {

// The Value of Go's UnmarshalTypeError for a JSON value.
std::string go_kind(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::string:
      return "string";
    case nlohmann::json::value_t::boolean:
      return "bool";
    case nlohmann::json::value_t::array:
      return "array";
    case nlohmann::json::value_t::object:
      return "object";
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
    case nlohmann::json::value_t::number_float:
      return "number";
    default:
      break;
  }
  return "null";
}

bool equal_fold(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

}  // namespace

GoPlace GoPlace::field(std::string_view holder, std::string_view name) const {
  GoPlace out;
  out.struct_name = std::string(holder);
  out.path = path.empty() ? std::string(name) : path + "." + std::string(name);
  return out;
}

void GoJsonDecoder::type_error(const nlohmann::json& found, std::string_view go_type,
                               const GoPlace& place) {
  if (!error_.empty()) return;
  if (place.struct_name.empty() && place.path.empty()) {
    error_ = "json: cannot unmarshal " + go_kind(found) + " into Go value of type " +
             std::string(go_type);
    return;
  }
  error_ = "json: cannot unmarshal " + go_kind(found) + " into Go struct field " +
           place.struct_name + "." + place.path + " of type " + std::string(go_type);
}

const nlohmann::json* GoJsonDecoder::member(const nlohmann::json& object, std::string_view name) {
  if (!object.is_object()) return nullptr;
  // Go applies every matching key in input order, so the last one wins; nlohmann keeps keys in
  // byte order, which is the order used here.
  const nlohmann::json* found = nullptr;
  for (auto it = object.begin(); it != object.end(); ++it) {
    if (equal_fold(it.key(), name)) found = &*it;
  }
  return found;
}

void GoJsonDecoder::read(const nlohmann::json& value, std::string& out, const GoPlace& place) {
  if (value.is_null()) return;
  if (value.is_string()) {
    out = value.get<std::string>();
    return;
  }
  type_error(value, "string", place);
}

void GoJsonDecoder::read(const nlohmann::json& value, double& out, const GoPlace& place) {
  if (value.is_null()) return;
  if (value.is_number()) {
    const double number = value.get<double>();
    // A literal beyond the float64 range (1e400) is a type error in Go.
    if (std::isfinite(number)) {
      out = number;
      return;
    }
  }
  type_error(value, "float64", place);
}

void GoJsonDecoder::read(const nlohmann::json& value, bool& out, const GoPlace& place) {
  if (value.is_null()) return;
  if (value.is_boolean()) {
    out = value.get<bool>();
    return;
  }
  type_error(value, "bool", place);
}

void GoJsonDecoder::read(const nlohmann::json& value, std::map<std::string, std::string>& out,
                         const GoPlace& place) {
  if (!object(value, "map[string]string", place)) return;
  for (auto it = value.begin(); it != value.end(); ++it) {
    std::string text;
    read(it.value(), text, place);  // Go reports map values at the map's own field
    out[it.key()] = text;
  }
}

void GoJsonDecoder::read(const nlohmann::json& value, std::vector<std::string>& out,
                         const GoPlace& place) {
  if (!array(value, "[]string", place)) return;
  out.clear();
  for (const auto& item : value) {
    std::string text;
    read(item, text, place);
    out.push_back(text);
  }
}

bool GoJsonDecoder::object(const nlohmann::json& value, std::string_view go_type,
                           const GoPlace& place) {
  if (value.is_null()) return false;
  if (value.is_object()) return true;
  type_error(value, go_type, place);
  return false;
}

bool GoJsonDecoder::array(const nlohmann::json& value, std::string_view go_type,
                          const GoPlace& place) {
  if (value.is_null()) return false;
  if (value.is_array()) return true;
  type_error(value, go_type, place);
  return false;
}

}  // namespace kph::plugins::lighthouse
