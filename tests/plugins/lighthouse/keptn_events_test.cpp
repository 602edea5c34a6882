#include "keptn_events.hpp"

#include <gtest/gtest.h>

namespace kph::plugins::lighthouse {
namespace {

using nlohmann::json;

TEST(DecodeGetSliFinished, ReadsTheProviderReply) {
  const auto decoded = decode_get_sli_finished(json::parse(R"({
    "project": "sockshop", "stage": "staging", "service": "carts",
    "labels": {"buildId": "build-42"}, "status": "succeeded", "result": "pass",
    "unknown": {"ignored": true},
    "get-sli": {"start": "s", "end": "e", "indicatorValues": [
      {"metric": "rt", "value": 412.7, "success": true},
      null,
      {"metric": "err", "value": 0, "comparedValue": 3, "success": false, "message": "no data"}]}
  })"));
  ASSERT_EQ(decoded.error, "");
  const GetSliFinished& e = decoded.value;
  EXPECT_EQ(e.project, "sockshop");
  EXPECT_EQ(e.labels.at("buildId"), "build-42");
  EXPECT_EQ(e.start, "s");
  ASSERT_EQ(e.indicator_values.size(), 2u);  // the null entry is skipped
  EXPECT_EQ(e.indicator_values[0].value, 412.7);
  EXPECT_EQ(e.indicator_values[1].compared_value, 3);
  EXPECT_EQ(e.indicator_values[1].message, "no data");
}

TEST(DecodeGetSliFinished, MatchesKeysIgnoringCaseLikeGo) {
  const auto decoded = decode_get_sli_finished(json::parse(
      R"({"Project": "p", "GET-SLI": {"IndicatorValues": [{"Metric": "m", "VALUE": 2, "Success": true}]}})"));
  ASSERT_EQ(decoded.error, "");
  EXPECT_EQ(decoded.value.project, "p");
  ASSERT_EQ(decoded.value.indicator_values.size(), 1u);
  EXPECT_EQ(decoded.value.indicator_values[0].metric, "m");
  EXPECT_EQ(decoded.value.indicator_values[0].value, 2);
}

TEST(DecodeGetSliFinished, NullOrMissingDataIsEmpty) {
  EXPECT_EQ(decode_get_sli_finished(nullptr).error, "");
  EXPECT_EQ(decode_get_sli_finished(json::object()).error, "");
  EXPECT_EQ(decode_get_sli_finished(json::parse(R"({"get-sli": null})")).error, "");
}

struct Malformed {
  const char* data;
  const char* error;
};

TEST(DecodeGetSliFinished, ReportsGoTypeErrors) {
  const Malformed cases[] = {
      {R"("text")",
       "json: cannot unmarshal string into Go value of type v0_2_0.GetSLIFinishedEventData"},
      {R"([1])",
       "json: cannot unmarshal array into Go value of type v0_2_0.GetSLIFinishedEventData"},
      {R"({"project": 1})",
       "json: cannot unmarshal number into Go struct field "
       "GetSLIFinishedEventData.project of type string"},
      {R"({"labels": {"a": 1}})",
       "json: cannot unmarshal number into Go struct field "
       "GetSLIFinishedEventData.labels of type string"},
      {R"({"labels": ["a"]})",
       "json: cannot unmarshal array into Go struct field "
       "GetSLIFinishedEventData.labels of type map[string]string"},
      {R"({"status": true})",
       "json: cannot unmarshal bool into Go struct field "
       "GetSLIFinishedEventData.status of type string"},
      {R"({"get-sli": "x"})",
       "json: cannot unmarshal string into Go struct field "
       "GetSLIFinishedEventData.get-sli of type v0_2_0.GetSLIFinished"},
      {R"({"get-sli": {"start": 5}})",
       "json: cannot unmarshal number into Go struct field "
       "GetSLIFinished.get-sli.start of type string"},
      {R"({"get-sli": {"indicatorValues": {"a": 1}}})",
       "json: cannot unmarshal object into Go struct field "
       "GetSLIFinished.get-sli.indicatorValues of type []*v0_2_0.SLIResult"},
      {R"({"get-sli": {"indicatorValues": [1]}})",
       "json: cannot unmarshal number into Go struct field "
       "GetSLIFinished.get-sli.indicatorValues of type v0_2_0.SLIResult"},
      {R"({"get-sli": {"indicatorValues": [{"metric": "m", "value": "412"}]}})",
       "json: cannot unmarshal string into Go struct field "
       "SLIResult.get-sli.indicatorValues.value of type float64"},
      {R"({"get-sli": {"indicatorValues": [{"metric": "m", "success": "true"}]}})",
       "json: cannot unmarshal string into Go struct field "
       "SLIResult.get-sli.indicatorValues.success of type bool"},
      {R"({"get-sli": {"indicatorValues": [{"metric": ["m"]}]}})",
       "json: cannot unmarshal array into Go struct field "
       "SLIResult.get-sli.indicatorValues.metric of type string"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(decode_get_sli_finished(json::parse(c.data)).error, c.error) << c.data;
  }
}

TEST(DecodeGetSliFinished, KeepsWhatDecodedBesideATypeError) {
  const auto decoded = decode_get_sli_finished(
      json::parse(R"({"project": "p", "stage": 3, "get-sli": {"start": "s", "end": "e"}})"));
  EXPECT_NE(decoded.error, "");
  EXPECT_EQ(decoded.value.project, "p");
  EXPECT_EQ(decoded.value.start, "s");
  EXPECT_EQ(decoded.value.end, "e");
}

TEST(DecodeEvaluationTriggered, ReadsTimesAndDeployment) {
  const auto decoded = decode_evaluation_triggered(json::parse(R"({
    "project": "sockshop", "stage": "staging", "service": "carts",
    "test": {"start": "ts", "end": "te"},
    "evaluation": {"timeframe": "5m", "start": "es"},
    "deployment": {"deploymentNames": ["canary", "direct"], "deploymentstrategy": "duplicate"}
  })"));
  ASSERT_EQ(decoded.error, "");
  EXPECT_EQ(decoded.value.test_start, "ts");
  EXPECT_EQ(decoded.value.timeframe, "5m");
  EXPECT_EQ(decoded.value.evaluation_start, "es");
  EXPECT_EQ(decoded.value.deployment_names, (std::vector<std::string>{"canary", "direct"}));
  EXPECT_EQ(decode_evaluation_triggered(json::parse(R"({"evaluation": "5m"})")).error,
            "json: cannot unmarshal string into Go struct field "
            "EvaluationTriggeredEventData.evaluation of type v0_2_0.Evaluation");
  EXPECT_EQ(decode_evaluation_triggered(json::parse(R"({"evaluation": {"timeframe": 5}})")).error,
            "json: cannot unmarshal number into Go struct field "
            "Evaluation.evaluation.timeframe of type string");
  EXPECT_EQ(
      decode_evaluation_triggered(json::parse(R"({"deployment": {"deploymentNames": "a"}})")).error,
      "json: cannot unmarshal string into Go struct field "
      "Deployment.deployment.deploymentNames of type []string");
}

TEST(DecodeEvaluationFinished, ReadsPreviousResults) {
  const auto decoded = decode_evaluation_finished(json::parse(R"({
    "project": "p", "result": "pass",
    "evaluation": {"score": 100, "comparedEvents": ["x"], "indicatorResults": [
      {"score": 1, "status": "pass", "value": {"metric": "rt", "value": 3, "success": true},
       "passTargets": [{"criteria": "<5", "targetValue": 5, "violated": false}],
       "warningTargets": null},
      {"score": 0, "status": "info", "value": null}]}
  })"));
  ASSERT_EQ(decoded.error, "");
  const auto& results = decoded.value.evaluation.indicator_results;
  ASSERT_TRUE(results);
  ASSERT_EQ(results->size(), 2u);
  EXPECT_EQ((*results)[0].value->value, 3);
  EXPECT_EQ((*results)[0].pass_targets->at(0).target_value, 5);
  EXPECT_FALSE((*results)[0].warning_targets);
  EXPECT_FALSE((*results)[1].value);
  EXPECT_EQ(decode_evaluation_finished(json::parse(R"({"evaluation": {"score": "100"}})")).error,
            "json: cannot unmarshal string into Go struct field "
            "EvaluationDetails.evaluation.score of type float64");
}

TEST(ToJson, FollowsGoUtilsOmitRules) {
  SliValue value{"rt", 412.7, 0, true, ""};
  EXPECT_EQ(
      to_json(value),
      json::parse(R"({"metric": "rt", "value": 412.7, "comparedValue": 0, "success": true})"));
  value.message = "m";
  EXPECT_EQ(to_json(value)["message"], "m");

  EvaluationDetails details;
  details.result = "pass";
  details.score = 100;
  const json out = to_json(details);
  EXPECT_TRUE(out["indicatorResults"].is_null());
  EXPECT_FALSE(out.contains("comparedEvents"));
  EXPECT_EQ(out["sloFileContent"], "");
  EXPECT_EQ(
      out.dump(),
      R"({"indicatorResults":null,"result":"pass","score":100,"sloFileContent":"","timeEnd":"","timeStart":""})");

  EventData data;
  data.project = "p";
  EXPECT_EQ(to_json(data), json::parse(R"({"project": "p"})"));
}

TEST(JsonNumber, PrintsIntegralDoublesWithoutAFraction) {
  EXPECT_EQ(json_number(100).dump(), "100");
  EXPECT_EQ(json_number(66.66666666666666).dump(), "66.66666666666666");
  EXPECT_EQ(json_number(0.5).dump(), "0.5");
  EXPECT_EQ(json_number(-3).dump(), "-3");
  EXPECT_EQ(json_number(1e300).get<double>(), 1e300);
}

}  // namespace
}  // namespace kph::plugins::lighthouse
