// lighthouse's two steps as pure functions over what the host provides, so that every branch
// of Keptn 1.4.5's handlers can be tested without a host:
//   start_evaluation   on sh.keptn.event.evaluation.triggered: the time window, slo.yaml and the
//                      SLI provider; either the evaluation.finished data at once, or the data of
//                      the sh.keptn.event.get-sli.triggered to send.
//   finish_evaluation  on the matching sh.keptn.event.get-sli.finished: the evaluation.finished
//                      data (slo.yaml read again, previous evaluations compared).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "evaluation_window.hpp"
#include "go_time.hpp"
#include "lighthouse_config.hpp"

namespace kph::plugins::lighthouse {

struct ResourceFetch {
  enum class Status { found, not_found, failed };
  Status status = Status::not_found;
  std::string content;  // when found
  std::string error;    // when failed: the host's reason
};
// Reads slo.yaml for the task.
using SloReader = std::function<ResourceFetch()>;

struct EventQuery {
  bool ok = false;
  nlohmann::json events = nlohmann::json::array();  // CloudEvents, newest first
  std::string error;
};
// Runs an event-store query (kph_host_api.query_events) and returns its events.
using EventReader = std::function<EventQuery(const nlohmann::json& query)>;

// How many events a history query asks the store for; the result and invalidation filters run
// on them afterwards, so it is well above the 100 evaluations Keptn can compare with.
inline constexpr int kHistoryQueryLimit = 1000;

struct StartOutcome {
  std::optional<nlohmann::json> finished;  // finish the task now with this data
  nlohmann::json get_sli;                  // otherwise: send get-sli.triggered with this data
  EvaluationWindow window;
  std::string sli_provider;
  std::vector<std::string> details;  // lines for the log (e.g. where slo.yaml is wrong)
};

StartOutcome start_evaluation(const nlohmann::json& triggered_data, const LighthouseConfig& config,
                              const SloReader& read_slo, const GoTime& now);

struct FinishOutcome {
  nlohmann::json finished;
  std::vector<std::string> details;
};

FinishOutcome finish_evaluation(const nlohmann::json& get_sli_finished_data,
                                const SloReader& read_slo, const EventReader& read_events);

// The errored evaluation.finished data for an evaluation whose SLI provider never answered
// (timed out, or the host is stopping).
nlohmann::json unanswered_evaluation(const nlohmann::json& triggered_data,
                                     const EvaluationWindow& window, const std::string& message);

}  // namespace kph::plugins::lighthouse
