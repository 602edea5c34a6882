#include "keptn_events.hpp"

#include <cmath>

#include "go_json.hpp"

namespace kph::plugins::lighthouse {
namespace {

using nlohmann::json;

const json kNull = nullptr;

const json& member(const json& object, std::string_view name) {
  const json* found = GoJsonDecoder::member(object, name);
  return found ? *found : kNull;
}

// The fields of an embedded EventData, reported at the outer struct as Go does.
void read_event_data(GoJsonDecoder& d, const json& data, EventData& out, std::string_view holder,
                     const GoPlace& place) {
  d.read(member(data, "project"), out.project, place.field(holder, "project"));
  d.read(member(data, "stage"), out.stage, place.field(holder, "stage"));
  d.read(member(data, "service"), out.service, place.field(holder, "service"));
  d.read(member(data, "labels"), out.labels, place.field(holder, "labels"));
  d.read(member(data, "status"), out.status, place.field(holder, "status"));
  d.read(member(data, "result"), out.result, place.field(holder, "result"));
  d.read(member(data, "message"), out.message, place.field(holder, "message"));
}

void read_sli_value(GoJsonDecoder& d, const json& object, SliValue& out, const GoPlace& place) {
  d.read(member(object, "metric"), out.metric, place.field("SLIResult", "metric"));
  d.read(member(object, "value"), out.value, place.field("SLIResult", "value"));
  d.read(member(object, "comparedValue"), out.compared_value,
         place.field("SLIResult", "comparedValue"));
  d.read(member(object, "success"), out.success, place.field("SLIResult", "success"));
  d.read(member(object, "message"), out.message, place.field("SLIResult", "message"));
}

std::optional<std::vector<SliTarget>> read_targets(GoJsonDecoder& d, const json& value,
                                                   const GoPlace& place) {
  if (!d.array(value, "[]*v0_2_0.SLITarget", place)) return std::nullopt;
  std::vector<SliTarget> out;
  for (const auto& item : value) {
    if (!d.object(item, "v0_2_0.SLITarget", place)) continue;
    SliTarget target;
    d.read(member(item, "criteria"), target.criteria, place.field("SLITarget", "criteria"));
    d.read(member(item, "targetValue"), target.target_value,
           place.field("SLITarget", "targetValue"));
    d.read(member(item, "violated"), target.violated, place.field("SLITarget", "violated"));
    out.push_back(std::move(target));
  }
  return out;
}

}  // namespace

Decoded<GetSliFinished> decode_get_sli_finished(const json& data) {
  Decoded<GetSliFinished> out;
  GoJsonDecoder d;
  const GoPlace top;
  constexpr std::string_view kHolder = "GetSLIFinishedEventData";
  if (d.object(data, "v0_2_0.GetSLIFinishedEventData", top)) {
    read_event_data(d, data, out.value, kHolder, top);
    const GoPlace get_sli = top.field(kHolder, "get-sli");
    const json& block = member(data, "get-sli");
    if (d.object(block, "v0_2_0.GetSLIFinished", get_sli)) {
      d.read(member(block, "start"), out.value.start, get_sli.field("GetSLIFinished", "start"));
      d.read(member(block, "end"), out.value.end, get_sli.field("GetSLIFinished", "end"));
      const GoPlace values = get_sli.field("GetSLIFinished", "indicatorValues");
      const json& list = member(block, "indicatorValues");
      if (d.array(list, "[]*v0_2_0.SLIResult", values)) {
        for (const auto& item : list) {
          // A null entry crashes lighthouse-service; it is skipped here.
          if (!d.object(item, "v0_2_0.SLIResult", values)) continue;
          SliValue value;
          read_sli_value(d, item, value, values);
          out.value.indicator_values.push_back(std::move(value));
        }
      }
    }
  }
  out.error = d.error();
  return out;
}

Decoded<EvaluationTriggered> decode_evaluation_triggered(const json& data) {
  Decoded<EvaluationTriggered> out;
  GoJsonDecoder d;
  const GoPlace top;
  constexpr std::string_view kHolder = "EvaluationTriggeredEventData";
  if (d.object(data, "v0_2_0.EvaluationTriggeredEventData", top)) {
    auto& v = out.value;
    read_event_data(d, data, v, kHolder, top);
    const GoPlace test = top.field(kHolder, "test");
    if (const json& block = member(data, "test"); d.object(block, "v0_2_0.Test", test)) {
      d.read(member(block, "start"), v.test_start, test.field("Test", "start"));
      d.read(member(block, "end"), v.test_end, test.field("Test", "end"));
    }
    const GoPlace evaluation = top.field(kHolder, "evaluation");
    if (const json& block = member(data, "evaluation");
        d.object(block, "v0_2_0.Evaluation", evaluation)) {
      d.read(member(block, "start"), v.evaluation_start, evaluation.field("Evaluation", "start"));
      d.read(member(block, "end"), v.evaluation_end, evaluation.field("Evaluation", "end"));
      d.read(member(block, "timeframe"), v.timeframe, evaluation.field("Evaluation", "timeframe"));
    }
    const GoPlace deployment = top.field(kHolder, "deployment");
    if (const json& block = member(data, "deployment");
        d.object(block, "v0_2_0.Deployment", deployment)) {
      d.read(member(block, "deploymentNames"), v.deployment_names,
             deployment.field("Deployment", "deploymentNames"));
    }
  }
  out.error = d.error();
  return out;
}

Decoded<EvaluationFinished> decode_evaluation_finished(const json& data) {
  Decoded<EvaluationFinished> out;
  GoJsonDecoder d;
  const GoPlace top;
  constexpr std::string_view kHolder = "EvaluationFinishedEventData";
  if (d.object(data, "v0_2_0.EvaluationFinishedEventData", top)) {
    read_event_data(d, data, out.value, kHolder, top);
    const GoPlace place = top.field(kHolder, "evaluation");
    const json& block = member(data, "evaluation");
    if (d.object(block, "v0_2_0.EvaluationDetails", place)) {
      auto& e = out.value.evaluation;
      constexpr std::string_view kDetails = "EvaluationDetails";
      d.read(member(block, "timeStart"), e.time_start, place.field(kDetails, "timeStart"));
      d.read(member(block, "timeEnd"), e.time_end, place.field(kDetails, "timeEnd"));
      d.read(member(block, "result"), e.result, place.field(kDetails, "result"));
      d.read(member(block, "score"), e.score, place.field(kDetails, "score"));
      d.read(member(block, "sloFileContent"), e.slo_file_content,
             place.field(kDetails, "sloFileContent"));
      d.read(member(block, "comparedEvents"), e.compared_events,
             place.field(kDetails, "comparedEvents"));
      const GoPlace results = place.field(kDetails, "indicatorResults");
      const json& list = member(block, "indicatorResults");
      if (d.array(list, "[]*v0_2_0.SLIEvaluationResult", results)) {
        e.indicator_results.emplace();
        for (const auto& item : list) {
          // A null entry crashes lighthouse-service when it compares; skipped here.
          if (!d.object(item, "v0_2_0.SLIEvaluationResult", results)) continue;
          constexpr std::string_view kResult = "SLIEvaluationResult";
          IndicatorResult r;
          d.read(member(item, "score"), r.score, results.field(kResult, "score"));
          const GoPlace value_place = results.field(kResult, "value");
          if (const json& value = member(item, "value");
              d.object(value, "v0_2_0.SLIResult", value_place)) {
            r.value.emplace();
            read_sli_value(d, value, *r.value, value_place);
          }
          d.read(member(item, "displayName"), r.display_name,
                 results.field(kResult, "displayName"));
          r.pass_targets =
              read_targets(d, member(item, "passTargets"), results.field(kResult, "passTargets"));
          r.warning_targets = read_targets(d, member(item, "warningTargets"),
                                           results.field(kResult, "warningTargets"));
          d.read(member(item, "keySli"), r.key_sli, results.field(kResult, "keySli"));
          d.read(member(item, "status"), r.status, results.field(kResult, "status"));
          e.indicator_results->push_back(std::move(r));
        }
      }
    }
  }
  out.error = d.error();
  return out;
}

json json_number(double value) {
  constexpr double kExact = 9007199254740992.0;  // 2^53: every integer below is exact
  if (std::isfinite(value) && std::trunc(value) == value && std::fabs(value) < kExact &&
      !(value == 0 && std::signbit(value))) {
    return static_cast<int64_t>(value);
  }
  return value;
}

json to_json(const EventData& data) {
  json out = json::object();
  const auto put = [&](const char* key, const std::string& text) {
    if (!text.empty()) out[key] = text;
  };
  put("project", data.project);
  put("stage", data.stage);
  put("service", data.service);
  if (!data.labels.empty()) out["labels"] = data.labels;
  put("status", data.status);
  put("result", data.result);
  put("message", data.message);
  return out;
}

json to_json(const SliValue& value) {
  json out = {{"metric", value.metric},
              {"value", json_number(value.value)},
              {"comparedValue", json_number(value.compared_value)},
              {"success", value.success}};
  if (!value.message.empty()) out["message"] = value.message;
  return out;
}

json to_json(const SliTarget& target) {
  return {{"criteria", target.criteria},
          {"targetValue", json_number(target.target_value)},
          {"violated", target.violated}};
}

namespace {

json targets_json(const std::optional<std::vector<SliTarget>>& targets) {
  if (!targets) return nullptr;
  json out = json::array();
  for (const auto& target : *targets) out.push_back(to_json(target));
  return out;
}

}  // namespace

json to_json(const IndicatorResult& result) {
  return {{"score", json_number(result.score)},
          {"value", result.value ? to_json(*result.value) : json(nullptr)},
          {"displayName", result.display_name},
          {"passTargets", targets_json(result.pass_targets)},
          {"warningTargets", targets_json(result.warning_targets)},
          {"keySli", result.key_sli},
          {"status", result.status}};
}

json to_json(const EvaluationDetails& details) {
  json out = {{"timeStart", details.time_start},
              {"timeEnd", details.time_end},
              {"result", details.result},
              {"score", json_number(details.score)},
              {"sloFileContent", details.slo_file_content},
              {"indicatorResults", nullptr}};
  if (details.indicator_results) {
    out["indicatorResults"] = json::array();
    for (const auto& result : *details.indicator_results) {
      out["indicatorResults"].push_back(to_json(result));
    }
  }
  if (!details.compared_events.empty()) out["comparedEvents"] = details.compared_events;
  return out;
}

json to_json(const EvaluationFinished& finished) {
  json out = to_json(static_cast<const EventData&>(finished));
  out["evaluation"] = to_json(finished.evaluation);
  return out;
}

}  // namespace kph::plugins::lighthouse
