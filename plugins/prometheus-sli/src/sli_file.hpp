// prometheus/sli.yaml: the indicator queries of a project, stage or service, and how the three
// levels merge.
//
//   spec_version: '1.0'
//   indicators:
//     <indicator name>: <PromQL query template>
//
// Only `indicators` is read; other keys are ignored, as Keptn's provider does.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "parsed.hpp"

namespace kph::plugins::prometheus_sli {

// Indicator name -> query template, after merging every level.
using IndicatorQueries = std::map<std::string, std::string>;

// One file, in file order. A repeated name keeps its last query, as in YAML maps read by Keptn.
struct SliFile {
  std::vector<std::pair<std::string, std::string>> indicators;
};

// One level's file as the resources gave it.
struct SliFileSource {
  std::string where;  // names the file in errors: "prometheus/sli.yaml (stage level)"
  std::optional<std::string> content;  // nullopt: the level has no such file
};

// Parses one file. Scalars are taken as text (`a: 1` -> "1"); an empty value (`cpu:`) is ""
// and later falls back to the built-in query of that name. Errors name the file, the line, the
// field, what was expected and what was found.
Parsed<SliFile> parse_sli_file(const std::string& content, const std::string& where);

// Merges the levels in the order given (project, stage, service): a later level overwrites the
// same indicator name, other names survive. A file that exists but leaves the merged map empty
// is an error (`indicators` missing), as in Keptn; no file at any level is fine (built-in
// queries only). Any parse error is fatal even when other levels are valid.
Parsed<IndicatorQueries> merge_sli_files(const std::vector<SliFileSource>& levels);

}  // namespace kph::plugins::prometheus_sli
