#include "sli_file.hpp"

#include <yaml-cpp/yaml.h>

namespace kph::plugins::prometheus_sli {
namespace {

std::string kind_of(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "a map";
    case YAML::NodeType::Scalar:
      return "the text '" + node.Scalar() + "'";
    case YAML::NodeType::Null:
      return "nothing";
    default:
      return "an undefined node";
  }
}

std::string at(const std::string& where, const YAML::Node& node) {
  return where + ", line " + std::to_string(node.Mark().line + 1);
}

}  // namespace

Parsed<SliFile> parse_sli_file(const std::string& content, const std::string& where) {
  YAML::Node loaded;
  try {
    loaded = YAML::Load(content);
  } catch (const YAML::Exception& e) {
    return Parsed<SliFile>::failure(where + ", line " + std::to_string(e.mark.line + 1) +
                                    ", column " + std::to_string(e.mark.column + 1) +
                                    ": not valid YAML: " + e.msg +
                                    ". Fix the YAML syntax (a map with key 'indicators').");
  }
  // Read through a const node: operator[] on a mutable one may add the key it looks up.
  const YAML::Node& root = loaded;
  SliFile file;
  if (root.IsNull()) return Parsed<SliFile>::success(file);
  if (!root.IsMap()) {
    return Parsed<SliFile>::failure(
        at(where, root) + ": expected a map with key 'indicators', found " + kind_of(root) + ".");
  }
  const YAML::Node indicators = root["indicators"];
  if (!indicators || indicators.IsNull()) return Parsed<SliFile>::success(file);
  if (!indicators.IsMap()) {
    return Parsed<SliFile>::failure(
        at(where, indicators) +
        ": field 'indicators': expected a map of indicator name to PromQL query, found " +
        kind_of(indicators) + ". Write one `<name>: <query>` line per indicator.");
  }
  for (const auto& entry : indicators) {
    const YAML::Node& key = entry.first;
    const YAML::Node& value = entry.second;
    if (!key.IsScalar()) {
      return Parsed<SliFile>::failure(at(where, key) +
                                      ": field 'indicators': expected an indicator name, found " +
                                      kind_of(key) + ".");
    }
    const std::string field = "indicators." + key.Scalar();
    if (value.IsNull()) {
      file.indicators.emplace_back(key.Scalar(), "");
      continue;
    }
    if (!value.IsScalar()) {
      return Parsed<SliFile>::failure(
          at(where, value) + ": field '" + field + "': expected a PromQL query (text), found " +
          kind_of(value) + ". Write the query as one string, quoted if it contains ': '.");
    }
    file.indicators.emplace_back(key.Scalar(), value.Scalar());
  }
  return Parsed<SliFile>::success(file);
}

Parsed<IndicatorQueries> merge_sli_files(const std::vector<SliFileSource>& levels) {
  IndicatorQueries merged;
  for (const auto& level : levels) {
    if (!level.content) continue;
    auto file = parse_sli_file(*level.content, level.where);
    if (!file.ok()) return Parsed<IndicatorQueries>::failure(file.error);
    for (const auto& [name, query] : file.value->indicators) merged[name] = query;
    if (merged.empty()) {
      return Parsed<IndicatorQueries>::failure(
          level.where +
          ": missing required field 'indicators' (a map of indicator name to PromQL query), "
          "and no less specific level defines any. Add at least one indicator, or delete the "
          "file to use the built-in queries.");
    }
  }
  return Parsed<IndicatorQueries>::success(merged);
}

}  // namespace kph::plugins::prometheus_sli
