// Which earlier evaluations lighthouse compares with: the newest evaluation.finished events of
// the same project, stage and service, optionally only those that passed (or warned), never an
// invalidated one, as many as the SLO's comparison block asks for.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "keptn_events.hpp"
#include "slo.hpp"

namespace kph::plugins::lighthouse {

struct PreviousEvaluation {
  std::string id;  // the event id, listed in comparedEvents
  EvaluationFinished data;
};

// 1 for single_result, number_of_comparison_results for several_results, 3 for anything else.
int64_t comparison_count(const Comparison& comparison);

// Keptn's datastore takes 1..100 results; outside that range lighthouse fails the evaluation
// with this message.
bool comparison_count_supported(int64_t count);
inline constexpr const char* kHistoryUnavailable =
    "could not retrieve previous evaluation.finished events";

struct HistoryScope {
  std::string project;
  std::string stage;
  std::string service;
};

// Picks the previous evaluations from what the event store returned:
// finished_events are sh.keptn.event.evaluation.finished CloudEvents, invalidated_events
// sh.keptn.event.evaluation.invalidated CloudEvents (their triggeredid names the evaluation whose
// result is void). Newest first by the events' time, then the result filter of
// include_result_with_score, then the first `count`; events whose data does not decode are
// dropped after counting, as the datastore's limit applies before lighthouse decodes.
std::vector<PreviousEvaluation> select_previous_evaluations(
    const nlohmann::json& finished_events, const nlohmann::json& invalidated_events,
    const HistoryScope& scope, const Comparison& comparison);

}  // namespace kph::plugins::lighthouse
