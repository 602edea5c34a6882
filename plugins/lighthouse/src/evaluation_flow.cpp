#include "evaluation_flow.hpp"

#include "base64.hpp"
#include "evaluator.hpp"
#include "history.hpp"
#include "keptn_events.hpp"
#include "slo_parser.hpp"

namespace kph::plugins::lighthouse {
namespace {

using nlohmann::json;

EventData common_fields(const EventData& from) {
  EventData out;
  out.project = from.project;
  out.stage = from.stage;
  out.service = from.service;
  out.labels = from.labels;
  return out;
}

// evaluation.finished data with no indicator results: the shape of every early exit.
json early_finish(const EventData& from, const std::string& status, const std::string& result,
                  const std::string& message, const std::string& time_start,
                  const std::string& time_end, const std::string& evaluation_result,
                  const std::string& slo_file_content = "") {
  EvaluationFinished out;
  static_cast<EventData&>(out) = common_fields(from);
  out.status = status;
  out.result = result;
  out.message = message;
  out.evaluation.time_start = time_start;
  out.evaluation.time_end = time_end;
  out.evaluation.result = evaluation_result;
  out.evaluation.slo_file_content = slo_file_content;
  return to_json(out);
}

std::string slo_parse_failure(const EventData& data) {
  return "Could not parse SLO file for service " + data.service + " in stage " + data.stage +
         " in project " + data.project;
}

void add_issues(const std::vector<SloIssue>& issues, std::vector<std::string>& details) {
  for (const auto& issue : issues) details.push_back(issue.to_string());
}

}  // namespace

StartOutcome start_evaluation(const json& triggered_data, const LighthouseConfig& config,
                              const SloReader& read_slo, const GoTime& now) {
  StartOutcome out;
  const auto decoded = decode_evaluation_triggered(triggered_data);
  const EvaluationTriggered& e = decoded.value;
  if (!decoded.error.empty()) {
    // Keptn drops such an event without a word; here the task still gets its .finished.
    out.finished = early_finish(e, "errored", "fail",
                                "Could not parse event payload: " + decoded.error, "", "", "fail");
    return out;
  }

  const WindowResult window = evaluation_window(
      {e.evaluation_start, e.evaluation_end, e.timeframe, e.test_start, e.test_end}, now);
  if (!window.window) {
    out.finished = early_finish(e, "errored", "fail", window.error, "", "", "fail");
    return out;
  }
  out.window = *window.window;

  json indicators = json::array();
  json filters = json::array();
  const ResourceFetch slo_file = read_slo();
  if (slo_file.status == ResourceFetch::Status::failed) {
    out.finished =
        early_finish(e, "errored", "fail", "error retrieving SLO file: " + slo_file.error,
                     out.window.start, out.window.end, "fail");
    return out;
  }
  // An empty file is no file for Keptn's resource client either.
  if (slo_file.status == ResourceFetch::Status::found && !slo_file.content.empty()) {
    const SloParse parsed = parse_slo(slo_file.content);
    if (!parsed.slo) {
      add_issues(parsed.issues, out.details);
      out.finished =
          early_finish(e, "errored", "fail", "error retrieving SLO file: " + slo_parse_failure(e),
                       out.window.start, out.window.end, "fail");
      return out;
    }
    for (const auto& objective : parsed.slo->objectives) indicators.push_back(objective.sli);
    for (const auto& [key, value] : parsed.slo->filter) {
      filters.push_back({{"key", key}, {"value", value}});
    }
  }

  const auto provider = config.provider_for(e.project);
  if (!provider) {
    out.finished = early_finish(
        e, "succeeded", "pass",
        "no evaluation performed by lighthouse because no SLI-provider configured for project " +
            e.project,
        out.window.start, out.window.end, "pass");
    return out;
  }
  out.sli_provider = *provider;

  json get_sli = {{"sliProvider", *provider}, {"start", out.window.start}, {"end", out.window.end}};
  if (!indicators.empty()) get_sli["indicators"] = indicators;
  if (!filters.empty()) get_sli["customFilters"] = filters;
  out.get_sli = to_json(common_fields(e));
  out.get_sli["get-sli"] = get_sli;
  out.get_sli["deployment"] = e.deployment_names.empty() ? "" : e.deployment_names.front();
  return out;
}

FinishOutcome finish_evaluation(const json& get_sli_finished_data, const SloReader& read_slo,
                                const EventReader& read_events) {
  FinishOutcome out;
  const auto decoded = decode_get_sli_finished(get_sli_finished_data);
  const GetSliFinished& e = decoded.value;
  if (!decoded.error.empty()) {
    out.finished =
        early_finish(e, "errored", "fail", "Could not parse event payload: " + decoded.error,
                     e.start, e.end, "fail");
    return out;
  }
  if (e.status == "aborted") {
    out.finished =
        early_finish(e, "errored", "fail", "evaluation performed by lighthouse was aborted",
                     e.start, e.end, "pass");
    return out;
  }
  if (e.status == "errored") {
    out.finished = early_finish(
        e, "errored", "fail",
        "evaluation performed by lighthouse received an unexpected error: " + e.message, e.start,
        e.end, "pass");
    return out;
  }

  const ResourceFetch slo_file = read_slo();
  if (slo_file.status == ResourceFetch::Status::failed) {
    out.finished =
        early_finish(e, "errored", "fail", "error retrieving SLO file: " + slo_file.error, e.start,
                     e.end, "fail");
    return out;
  }
  if (slo_file.status == ResourceFetch::Status::not_found || slo_file.content.empty()) {
    out.finished = early_finish(
        e, "succeeded", "pass",
        "no evaluation performed by lighthouse because no SLO file configured for project " +
            e.project,
        e.start, e.end, "pass");
    return out;
  }
  const SloParse parsed = parse_slo(slo_file.content);
  if (!parsed.slo) {
    add_issues(parsed.issues, out.details);
    out.finished = early_finish(e, "errored", "fail", slo_parse_failure(e), e.start, e.end, "fail");
    return out;
  }
  const Slo& slo = *parsed.slo;
  const std::string encoded = base64_encode(slo_file.content);

  const int64_t count = comparison_count(slo.comparison);
  if (!comparison_count_supported(count)) {
    out.details.push_back("number_of_comparison_results is " + std::to_string(count) +
                          "; Keptn's datastore serves 1 to 100 previous evaluations");
    out.finished =
        early_finish(e, "errored", "fail", kHistoryUnavailable, e.start, e.end, "fail", encoded);
    return out;
  }
  const EventQuery finished_events = read_events({{"type", "sh.keptn.event.evaluation.finished"},
                                                  {"project", e.project},
                                                  {"stage", e.stage},
                                                  {"service", e.service},
                                                  {"limit", kHistoryQueryLimit}});
  // The datastore only looks at invalidations of the same project, by triggeredid.
  const EventQuery invalidated_events =
      finished_events.ok ? read_events({{"type", "sh.keptn.event.evaluation.invalidated"},
                                        {"project", e.project},
                                        {"limit", kHistoryQueryLimit}})
                         : EventQuery{};
  if (!finished_events.ok || !invalidated_events.ok) {
    out.details.push_back("the event store failed: " +
                          (finished_events.ok ? invalidated_events.error : finished_events.error));
    out.finished =
        early_finish(e, "errored", "fail", kHistoryUnavailable, e.start, e.end, "fail", encoded);
    return out;
  }
  const auto previous =
      select_previous_evaluations(finished_events.events, invalidated_events.events,
                                  {e.project, e.stage, e.service}, slo.comparison);

  EvaluationFinished result;
  static_cast<EventData&>(result) = common_fields(e);
  result.evaluation.time_start = e.start;
  result.evaluation.time_end = e.end;
  result.evaluation.slo_file_content = encoded;
  for (const auto& evaluation : previous)
    result.evaluation.compared_events.push_back(evaluation.id);

  const ObjectivesOutcome objectives = evaluate_objectives(slo, e.indicator_values, previous);
  if (objectives.error) {
    result.status = "succeeded";
    result.result = "fail";
    result.message = *objectives.error;
    result.evaluation.result = "fail";
    out.finished = to_json(result);
    return out;
  }
  const ScoreOutcome score = calculate_score(objectives.max_score, objectives.results,
                                             slo.total_score, objectives.key_sli);
  if (score.error) {
    out.finished =
        early_finish(e, "errored", "fail", *score.error, e.start, e.end, "fail", encoded);
    return out;
  }
  result.status = "succeeded";
  result.result = score.result;
  result.message = score.message.value_or(objectives.leftover_message);
  result.evaluation.result = score.result;
  result.evaluation.score = score.score;
  if (!slo.objectives.empty()) result.evaluation.indicator_results = objectives.results;
  if (slo.objectives.empty()) {
    result.result = "fail";
    result.message = "lighthouse failed because no SLO objective was provided";
  } else if (e.result == "fail") {
    result.result = "fail";
    result.message = "lighthouse failed because SLI failed with message " + e.message;
  }
  out.finished = to_json(result);
  return out;
}

json unanswered_evaluation(const json& triggered_data, const EvaluationWindow& window,
                           const std::string& message) {
  const auto decoded = decode_evaluation_triggered(triggered_data);
  return early_finish(decoded.value, "errored", "fail", message, window.start, window.end, "fail");
}

}  // namespace kph::plugins::lighthouse
