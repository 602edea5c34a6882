// Scores SLI values against an SLO: every objective in file order (pass, warning, fail, info),
// the key-SLI rule, and the total score against total_score, with lighthouse-service 1.4.5's
// rules and messages (see the README's list of quirks that are kept on purpose).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "history.hpp"
#include "keptn_events.hpp"
#include "slo.hpp"

namespace kph::plugins::lighthouse {

struct KeySliFailure {
  bool failed = false;
  std::string name;     // the objective's displayName (may be empty)
  std::string message;  // the SLI's message, or "failed evaluation with score 0.000000"
};

struct ObjectivesOutcome {
  // "error with <displayName or sli>: <criteria error>" when a pass criterion does not parse;
  // then nothing else is set.
  std::optional<std::string> error;
  std::vector<IndicatorResult> results;  // one per objective, in file order
  double max_score = 0;
  KeySliFailure key_sli;
  // "Lighthouse received additional SLIs, ..." when values were left over; else empty.
  std::string leftover_message;
};

// `values` are the received indicatorValues; `previous` the selected earlier evaluations.
ObjectivesOutcome evaluate_objectives(const Slo& slo, std::vector<SliValue> values,
                                      const std::vector<PreviousEvaluation>& previous);

struct ScoreOutcome {
  std::optional<std::string> error;    // a total_score problem; the evaluation is then errored
  std::string result;                  // "pass", "warning" or "fail"
  double score = 0;                    // 100 * (total / max), unrounded
  std::optional<std::string> message;  // set when scoring words the outcome
};

ScoreOutcome calculate_score(double max_score, const std::vector<IndicatorResult>& results,
                             const std::optional<TotalScore>& total_score,
                             const KeySliFailure& key_sli);

}  // namespace kph::plugins::lighthouse
