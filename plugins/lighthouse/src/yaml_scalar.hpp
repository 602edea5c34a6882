// How gopkg.in/yaml.v3 turns a scalar into a Go int or bool, applied to yaml-cpp nodes.
// yaml-cpp keeps every scalar as text; these functions add the YAML 1.2 resolution rules that
// yaml.v3 uses, so that `weight: 1.5` is 1, `weight: "2"` is an error and `key_sli: yes` is
// true, exactly as in Keptn.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include <yaml-cpp/yaml.h>

namespace kph::plugins::lighthouse {

// True when the scalar is resolved by content (plain, or a core tag such as !!int) rather than
// being a string by its style or tag (quoted, block, !!str, a custom tag).
bool yaml_is_plain(const YAML::Node& scalar);

// The Go int a scalar decodes to, or nothing when yaml.v3 reports a type error.
std::optional<int64_t> yaml_scalar_to_int(const YAML::Node& scalar);

// The Go bool a scalar decodes to, or nothing when yaml.v3 reports a type error.
std::optional<bool> yaml_scalar_to_bool(const YAML::Node& scalar);

// yaml.v3's yamlStyleFloat pattern: ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$
bool yaml_style_float(std::string_view text);

}  // namespace kph::plugins::lighthouse
