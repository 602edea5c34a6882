// The slo.yaml model, with the fields and defaults of go-utils' ServiceLevelObjectives as
// lighthouse-service 1.4.5 fills them in after parsing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace kph::plugins::lighthouse {

// One `{criteria: [...]}` entry of an objective's pass or warning list: its strings are ANDed.
struct CriteriaSet {
  std::vector<std::string> criteria;
};

struct Objective {
  std::string sli;
  std::string display_name;
  std::vector<CriteriaSet> pass;  // empty: an informative objective
  std::vector<CriteriaSet> warning;
  int64_t weight = 1;  // 0 or missing in the file becomes 1; negative weights stay
  bool key_sli = false;
};

struct Comparison {
  std::string compare_with = "single_result";
  std::string include_result_with_score = "all";
  int64_t number_of_comparison_results = 1;
  std::string aggregate_function = "avg";
};

struct TotalScore {
  std::string pass;     // "90%" or "90"; checked only when scoring
  std::string warning;  // optional
};

struct Slo {
  std::string spec_version;
  std::vector<std::pair<std::string, std::string>> filter;  // in file order
  Comparison comparison;                                    // defaults applied
  std::vector<Objective> objectives;                        // null entries dropped
  std::optional<TotalScore> total_score;
};

}  // namespace kph::plugins::lighthouse
