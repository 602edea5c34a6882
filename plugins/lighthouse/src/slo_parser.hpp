// Reads slo.yaml the way lighthouse-service does (gopkg.in/yaml.v3 into go-utils' structs):
// unknown keys are ignored, a value of the wrong type is an error, Go's scalar rules decide what
// is an integer or a boolean, and duplicate keys are errors. Each error names the line, the
// column and the field, so a user can fix the file; Keptn itself only says that the file could
// not be parsed.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "slo.hpp"

namespace kph::plugins::lighthouse {

struct SloIssue {
  int line = 0;         // 1-based; 0 when the issue is about the whole file
  int column = 0;       // 1-based
  std::string field;    // e.g. "objectives[1].weight"; empty for the document
  std::string message;  // what was expected and what was found

  // "slo.yaml:4:13: objectives[0].weight: expected an integer, found \"abc\""
  std::string to_string(std::string_view file = "slo.yaml") const;
};

struct SloParse {
  std::optional<Slo> slo;        // set when there are no issues
  std::vector<SloIssue> issues;  // every problem found, in document order
};

SloParse parse_slo(std::string_view text);

}  // namespace kph::plugins::lighthouse
