#include "sli_retrieval.hpp"

#include <cmath>

#include "query_builder.hpp"
#include "time_window.hpp"

namespace kph::plugins::prometheus_sli {

using nlohmann::json;

std::vector<IndicatorValue> retrieve_indicators(const GetSliRequest& request,
                                                const IndicatorQueries& queries,
                                                const QueryFunction& query,
                                                const std::function<bool()>& cancelled) {
  std::vector<IndicatorValue> values;
  if (request.indicators.empty()) return values;

  const auto start = parse_timestamp(request.start, "get-sli.start");
  const auto end = parse_timestamp(request.end, "get-sli.end");
  std::string window_error = !start.ok() ? start.error : !end.ok() ? end.error : "";
  if (window_error.empty() && *end.value < *start.value) {
    window_error = "get-sli.end '" + request.end + "' is before get-sli.start '" + request.start +
                   "': the evaluation window must not be negative";
  }
  if (!window_error.empty()) {
    for (const auto& name : request.indicators) {
      values.push_back({name, IndicatorOutcome::failed(window_error)});
    }
    return values;
  }

  QueryContext context;
  context.project = request.project;
  context.stage = request.stage;
  context.service = request.service;
  context.deployment = request.deployment;
  context.labels = request.labels;
  context.filters = request.filters;
  context.duration = duration_seconds_text(*start.value, *end.value);
  const std::string time = query_time_text(*end.value);

  for (const auto& name : request.indicators) {
    if (cancelled && cancelled()) return {};
    const auto promql = query_for_indicator(name, queries, context);
    IndicatorOutcome outcome =
        promql.ok() ? query(*promql.value, time) : IndicatorOutcome::failed(promql.error);
    const auto own = queries.find(name);
    const bool built_in = own == queries.end() || own->second.empty();
    if (built_in && name == "error_rate" && !outcome.success &&
        outcome.message.rfind(kNoValues, 0) == 0) {
      // Keptn's built-in error_rate divides an empty numerator while no request failed; say
      // so, since "no values" reads like a broken setup.
      outcome.message +=
          " The built-in error_rate has no value while no request has a non-2xx status; to "
          "report 0 instead, define error_rate in prometheus/sli.yaml with `or vector(0)` "
          "around the numerator.";
    }
    values.push_back({name, std::move(outcome)});
  }
  return values;
}

json value_json(double value) {
  constexpr double kExactIntegers = 9007199254740992.0;  // 2^53
  if (std::isfinite(value) && std::trunc(value) == value && std::fabs(value) <= kExactIntegers) {
    return static_cast<int64_t>(value);
  }
  return value;
}

json finished_data(const GetSliRequest& request, const std::vector<IndicatorValue>& values) {
  json get_sli = {{"start", request.start}, {"end", request.end}};
  json data = {{"status", "succeeded"}, {"result", "pass"}};
  if (values.empty()) {
    data["get-sli"] = get_sli;
    return data;
  }
  json entries = json::array();
  std::vector<const IndicatorValue*> failures;
  for (const auto& value : values) {
    json entry = {{"metric", value.metric},
                  {"value", value_json(value.outcome.value)},
                  {"comparedValue", 0},
                  {"success", value.outcome.success}};
    if (!value.outcome.success) {
      entry["message"] = value.outcome.message;
      failures.push_back(&value);
    }
    entries.push_back(std::move(entry));
  }
  get_sli["indicatorValues"] = std::move(entries);
  data["get-sli"] = std::move(get_sli);
  if (failures.size() == values.size()) {
    // Lighthouse puts this message into the evaluation's, so it carries the first cause.
    std::string message = "unable to retrieve metrics: " + failures.front()->metric + ": " +
                          failures.front()->outcome.message;
    if (failures.size() > 1) {
      message += " (and " + std::to_string(failures.size() - 1) + " more indicators failed)";
    }
    data["result"] = "fail";
    data["message"] = message;
  } else if (!failures.empty()) {
    std::string names;
    for (const auto* failure : failures) names += (names.empty() ? "" : ", ") + failure->metric;
    data["result"] = "warning";
    data["message"] = "could not retrieve " + std::to_string(failures.size()) + " of " +
                      std::to_string(values.size()) + " indicators: " + names;
  }
  return data;
}

json errored_data(const std::string& message, const std::string& start, const std::string& end) {
  json data = {{"status", "errored"}, {"result", "fail"}, {"message", message}};
  if (!start.empty() || !end.empty()) data["get-sli"] = {{"start", start}, {"end", end}};
  return data;
}

}  // namespace kph::plugins::prometheus_sli
