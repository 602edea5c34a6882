// Turns a config text into its YAML tree, working around yaml-cpp 0.7 (Debian 12): its
// YAML::LoadAll loops forever, allocating, on text such as a stray ',' (the parser reports
// an empty document without consuming the token, again and again; fixed upstream in 2024).
// Here the parser is driven one document at a time and stopped when it makes no progress.
#pragma once

#include <cstddef>
#include <string>
#include <variant>

#include <yaml-cpp/yaml.h>

namespace kph::host::config {

struct YamlDocuments {
  YAML::Node first;        // the first document; a null node when there is none
  size_t count = 0;        // 0, 1, or 2 for "more than one"
  YAML::Mark second_mark;  // where the second document starts, when count is 2
};

struct YamlSyntaxError {
  YAML::Mark mark;      // 0-based; -1 parts when unknown
  std::string message;  // yaml-cpp's message, or this file's for the cases it catches
  int too_deep_at = 0;  // the nesting depth yaml-cpp refused, when that was the problem
  bool stuck = false;   // the parser stopped making progress at `mark`
};

// Never throws; never loops.
std::variant<YamlDocuments, YamlSyntaxError> parse_yaml_documents(const std::string& text);

}  // namespace kph::host::config
