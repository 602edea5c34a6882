// What a YAML scalar means. yaml-cpp hands out every scalar as text; the plugin `config:`
// values must reach plugins as the JSON types the user wrote, so they are resolved here by
// the YAML 1.2 core schema: plain true/false, integers, floats and null become those types,
// quoted or block text stays a string, and explicit tags (!!str, !!int, ...) are obeyed.
#pragma once

#include <string>
#include <variant>

#include <yaml-cpp/yaml.h>
#include <nlohmann/json.hpp>

namespace kph::host::config {

// Why a scalar has no JSON value, as a phrase that follows the value's name:
// "is tagged !!int but is not an integer".
struct ScalarProblem {
  std::string what;
};
using ScalarValue = std::variant<nlohmann::json, ScalarProblem>;

// The JSON value of a scalar or null node, or why it has none (an integer out of range, a
// float JSON cannot hold, a tag this host does not know), as a phrase that follows the
// value's name: "is tagged !!int but is not an integer". Never throws.
ScalarValue resolve_scalar(const YAML::Node& node);

// True for a scalar that was written without quotes and without a tag.
bool is_plain(const YAML::Node& node);

}  // namespace kph::host::config
