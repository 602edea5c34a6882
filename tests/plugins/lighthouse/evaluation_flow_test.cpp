#include "evaluation_flow.hpp"

#include <gtest/gtest.h>

namespace kph::plugins::lighthouse {
namespace {

using nlohmann::json;

GoTime fixed_now() { return *go_parse_time(GoLayout::rfc3339, "2023-05-04T10:20:05.3Z").time; }

SloReader slo_file(const std::string& content) {
  return [content] { return ResourceFetch{ResourceFetch::Status::found, content, ""}; };
}
SloReader no_slo_file() {
  return [] { return ResourceFetch{}; };
}
SloReader failing_slo_file(const std::string& error) {
  return [error] { return ResourceFetch{ResourceFetch::Status::failed, "", error}; };
}

// An event store holding the given events; records the queries it is asked.
struct Store {
  json events = json::array();
  bool fail = false;
  std::vector<json> queries;

  EventReader reader() {
    return [this](const json& query) {
      queries.push_back(query);
      EventQuery out;
      if (fail) {
        out.error = "store down";
        return out;
      }
      out.ok = true;
      for (const auto& event : events) {
        if (event["type"] == query["type"]) out.events.push_back(event);
      }
      return out;
    };
  }
};

const json kTriggered = json::parse(R"({
  "project": "sockshop", "stage": "staging", "service": "carts",
  "labels": {"buildId": "build-42"}, "status": "succeeded", "result": "pass", "message": "",
  "test": {"start": "2023-05-04T10:16:40.000Z", "end": "2023-05-04T10:20:00.000Z"},
  "evaluation": {"timeframe": "5m"},
  "deployment": {"deploymentNames": ["canary"], "deploymentstrategy": "duplicate"}
})");

const char* kSlo = R"(---
spec_version: "1.0"
filter:
  handler: "ItemsController.addToCart"
comparison:
  compare_with: "several_results"
  number_of_comparison_results: 2
  include_result_with_score: "pass"
  aggregate_function: "avg"
objectives:
  - sli: "response_time_p95"
    displayName: "Response time P95"
    key_sli: false
    pass:
      - criteria:
          - "<=+10%"
          - "<600"
    warning:
      - criteria:
          - "<=800"
  - sli: "throughput"
  - sli: "error_rate"
    weight: 2
    pass:
      - criteria: ["=0"]
total_score:
  pass: "90%"
  warning: "75%"
)";

TEST(StartEvaluation, AsksTheProviderForEveryObjective) {
  const StartOutcome out =
      start_evaluation(kTriggered, LighthouseConfig{}, slo_file(kSlo), fixed_now());
  ASSERT_FALSE(out.finished);
  EXPECT_EQ(out.sli_provider, "prometheus");
  EXPECT_EQ(out.get_sli, json::parse(R"({
    "project": "sockshop", "stage": "staging", "service": "carts",
    "labels": {"buildId": "build-42"},
    "deployment": "canary",
    "get-sli": {
      "sliProvider": "prometheus",
      "start": "2023-05-04T10:15:05.300Z", "end": "2023-05-04T10:20:05.300Z",
      "indicators": ["response_time_p95", "throughput", "error_rate"],
      "customFilters": [{"key": "handler", "value": "ItemsController.addToCart"}]}})"));
}

TEST(StartEvaluation, WithoutSloFileAsksForNothingInParticular) {
  json triggered = kTriggered;
  triggered.erase("evaluation");
  triggered.erase("deployment");
  triggered.erase("labels");
  for (const SloReader& reader : {no_slo_file(), slo_file("")}) {
    const StartOutcome out = start_evaluation(triggered, LighthouseConfig{}, reader, fixed_now());
    ASSERT_FALSE(out.finished);
    EXPECT_EQ(out.get_sli, json::parse(R"({
      "project": "sockshop", "stage": "staging", "service": "carts", "deployment": "",
      "get-sli": {"sliProvider": "prometheus",
                  "start": "2023-05-04T10:16:40.000Z", "end": "2023-05-04T10:20:00.000Z"}})"));
  }
}

TEST(StartEvaluation, UsesTheProjectsProvider) {
  LighthouseConfig config;
  config.project_providers["sockshop"] = "dynatrace";
  const StartOutcome out = start_evaluation(kTriggered, config, no_slo_file(), fixed_now());
  EXPECT_EQ(out.get_sli["get-sli"]["sliProvider"], "dynatrace");
}

TEST(StartEvaluation, FinishesWithPassWithoutAProvider) {
  LighthouseConfig config;
  config.default_provider.reset();
  const StartOutcome out = start_evaluation(kTriggered, config, slo_file(kSlo), fixed_now());
  ASSERT_TRUE(out.finished);
  EXPECT_EQ(*out.finished, json::parse(R"({
    "project": "sockshop", "stage": "staging", "service": "carts",
    "labels": {"buildId": "build-42"}, "status": "succeeded", "result": "pass",
    "message": "no evaluation performed by lighthouse because no SLI-provider configured for project sockshop",
    "evaluation": {"timeStart": "2023-05-04T10:15:05.300Z", "timeEnd": "2023-05-04T10:20:05.300Z",
                   "result": "pass", "score": 0, "sloFileContent": "", "indicatorResults": null}})"));
}

TEST(StartEvaluation, FailsOnAnUnreadableOrInvalidSloFile) {
  const StartOutcome invalid =
      start_evaluation(kTriggered, LighthouseConfig{},
                       slo_file("objectives:\n  - sli: a\n    weight: x\n"), fixed_now());
  ASSERT_TRUE(invalid.finished);
  EXPECT_EQ((*invalid.finished)["status"], "errored");
  EXPECT_EQ((*invalid.finished)["result"], "fail");
  EXPECT_EQ((*invalid.finished)["message"],
            "error retrieving SLO file: Could not parse SLO file for service carts in stage "
            "staging in project sockshop");
  EXPECT_EQ((*invalid.finished)["evaluation"]["timeStart"], "2023-05-04T10:15:05.300Z");
  EXPECT_EQ((*invalid.finished)["evaluation"]["result"], "fail");
  ASSERT_EQ(invalid.details.size(), 1u);
  EXPECT_EQ(invalid.details[0],
            "slo.yaml:3:13: objectives[0].weight: expected an integer, found \"x\"");

  const StartOutcome unreadable = start_evaluation(kTriggered, LighthouseConfig{},
                                                   failing_slo_file("disk on fire"), fixed_now());
  ASSERT_TRUE(unreadable.finished);
  EXPECT_EQ((*unreadable.finished)["message"], "error retrieving SLO file: disk on fire");
}

TEST(StartEvaluation, FailsWithoutATimeWindowBeforeReadingSlo) {
  json triggered = kTriggered;
  triggered.erase("test");
  triggered["evaluation"] = {{"timeframe", "5 minutes"}};
  int reads = 0;
  const StartOutcome out = start_evaluation(
      triggered, LighthouseConfig{},
      [&] {
        ++reads;
        return ResourceFetch{};
      },
      fixed_now());
  EXPECT_EQ(reads, 0);
  ASSERT_TRUE(out.finished);
  EXPECT_EQ(*out.finished, json::parse(R"({
    "project": "sockshop", "stage": "staging", "service": "carts",
    "labels": {"buildId": "build-42"}, "status": "errored", "result": "fail",
    "message": "could not parse provided timeframe: time: unknown unit \" minutes\" in duration \"5 minutes\"",
    "evaluation": {"timeStart": "", "timeEnd": "", "result": "fail", "score": 0,
                   "sloFileContent": "", "indicatorResults": null}})"));
}

TEST(StartEvaluation, FailsOnDataGoCannotDecode) {
  json triggered = kTriggered;
  triggered["deployment"]["deploymentNames"] = "canary";
  const StartOutcome out =
      start_evaluation(triggered, LighthouseConfig{}, slo_file(kSlo), fixed_now());
  ASSERT_TRUE(out.finished);
  EXPECT_EQ((*out.finished)["status"], "errored");
  EXPECT_EQ((*out.finished)["message"],
            "Could not parse event payload: json: cannot unmarshal string into Go struct field "
            "Deployment.deployment.deploymentNames of type []string");
  EXPECT_EQ((*out.finished)["project"], "sockshop");
}

json get_sli_finished(json values, const std::string& status = "succeeded",
                      const std::string& result = "pass", const std::string& message = "") {
  json data = {{"project", "sockshop"},
               {"stage", "staging"},
               {"service", "carts"},
               {"labels", {{"buildId", "build-42"}}},
               {"status", status},
               {"result", result},
               {"get-sli",
                {{"start", "2023-05-04T10:15:00.000Z"},
                 {"end", "2023-05-04T10:20:00.000Z"},
                 {"indicatorValues", std::move(values)}}}};
  if (!message.empty()) data["message"] = message;
  return data;
}

json previous_finished(const std::string& id, const std::string& time, const std::string& result,
                       double response_time) {
  return {{"id", id},
          {"type", "sh.keptn.event.evaluation.finished"},
          {"source", "lighthouse-service"},
          {"time", time},
          {"triggeredid", "trigger-" + id},
          {"data",
           {{"project", "sockshop"},
            {"stage", "staging"},
            {"service", "carts"},
            {"result", result},
            {"evaluation",
             {{"result", result},
              {"score", 100},
              {"indicatorResults",
               {{{"score", 1},
                 {"status", "pass"},
                 {"value",
                  {{"metric", "response_time_p95"},
                   {"value", response_time},
                   {"success", true}}}}}}}}}}};
}

TEST(FinishEvaluation, ScoresAgainstSloAndHistory) {
  Store store;
  store.events = json::array({
      previous_finished("e-newest-fail", "2023-05-04T10:00:00.000Z", "fail", 5000),
      previous_finished("e-invalidated", "2023-05-04T09:00:00.000Z", "pass", 9999),
      previous_finished("e2", "2023-05-04T08:00:00.000Z", "pass", 400),
      previous_finished("e3", "2023-05-04T07:00:00.000Z", "pass", 500),
      previous_finished("e4", "2023-05-04T06:00:00.000Z", "pass", 1),
      {{"id", "inv"},
       {"type", "sh.keptn.event.evaluation.invalidated"},
       {"triggeredid", "trigger-e-invalidated"},
       {"data", {{"project", "sockshop"}, {"stage", "staging"}, {"service", "carts"}}}},
  });
  const FinishOutcome out = finish_evaluation(get_sli_finished(json::parse(R"([
        {"metric": "response_time_p95", "value": 490, "success": true},
        {"metric": "error_rate", "value": 0, "success": true},
        {"metric": "throughput", "value": 42.5, "success": true},
        {"metric": "cpu", "value": 1, "success": true}])")),
                                              slo_file(kSlo), store.reader());
  EXPECT_EQ(out.finished, json::parse(R"({
    "project": "sockshop", "stage": "staging", "service": "carts",
    "labels": {"buildId": "build-42"}, "status": "succeeded", "result": "pass",
    "message": "Lighthouse received additional SLIs, which are not specified as SLO: cpu . Please consider using them as an SLO.",
    "evaluation": {
      "timeStart": "2023-05-04T10:15:00.000Z", "timeEnd": "2023-05-04T10:20:00.000Z",
      "result": "pass", "score": 100,
      "sloFileContent": "LS0tCnNwZWNfdmVyc2lvbjogIjEuMCIKZmlsdGVyOgogIGhhbmRsZXI6ICJJdGVtc0NvbnRyb2xsZXIuYWRkVG9DYXJ0Igpjb21wYXJpc29uOgogIGNvbXBhcmVfd2l0aDogInNldmVyYWxfcmVzdWx0cyIKICBudW1iZXJfb2ZfY29tcGFyaXNvbl9yZXN1bHRzOiAyCiAgaW5jbHVkZV9yZXN1bHRfd2l0aF9zY29yZTogInBhc3MiCiAgYWdncmVnYXRlX2Z1bmN0aW9uOiAiYXZnIgpvYmplY3RpdmVzOgogIC0gc2xpOiAicmVzcG9uc2VfdGltZV9wOTUiCiAgICBkaXNwbGF5TmFtZTogIlJlc3BvbnNlIHRpbWUgUDk1IgogICAga2V5X3NsaTogZmFsc2UKICAgIHBhc3M6CiAgICAgIC0gY3JpdGVyaWE6CiAgICAgICAgICAtICI8PSsxMCUiCiAgICAgICAgICAtICI8NjAwIgogICAgd2FybmluZzoKICAgICAgLSBjcml0ZXJpYToKICAgICAgICAgIC0gIjw9ODAwIgogIC0gc2xpOiAidGhyb3VnaHB1dCIKICAtIHNsaTogImVycm9yX3JhdGUiCiAgICB3ZWlnaHQ6IDIKICAgIHBhc3M6CiAgICAgIC0gY3JpdGVyaWE6IFsiPTAiXQp0b3RhbF9zY29yZToKICBwYXNzOiAiOTAlIgogIHdhcm5pbmc6ICI3NSUiCg==",
      "comparedEvents": ["e2", "e3"],
      "indicatorResults": [
        {"score": 1, "status": "pass", "displayName": "Response time P95", "keySli": false,
         "value": {"metric": "response_time_p95", "value": 490, "comparedValue": 450, "success": true},
         "passTargets": [{"criteria": "<=+10%", "targetValue": 495, "violated": false},
                         {"criteria": "<600", "targetValue": 600, "violated": false}],
         "warningTargets": [{"criteria": "<=800", "targetValue": 800, "violated": false}]},
        {"score": 0, "status": "info", "displayName": "", "keySli": false,
         "value": {"metric": "throughput", "value": 42.5, "comparedValue": 0, "success": true},
         "passTargets": [], "warningTargets": []},
        {"score": 2, "status": "pass", "displayName": "", "keySli": false,
         "value": {"metric": "error_rate", "value": 0, "comparedValue": 0, "success": true},
         "passTargets": [{"criteria": "=0", "targetValue": 0, "violated": false}],
         "warningTargets": null}]}})"));
  ASSERT_EQ(store.queries.size(), 2u);
  EXPECT_EQ(store.queries[0], json::parse(R"({"type": "sh.keptn.event.evaluation.finished",
    "project": "sockshop", "stage": "staging", "service": "carts", "limit": 1000})"));
  EXPECT_EQ(store.queries[1], json::parse(R"({"type": "sh.keptn.event.evaluation.invalidated",
    "project": "sockshop", "limit": 1000})"));
}

TEST(FinishEvaluation, ProviderErrorsFinishErroredWithEvaluationResultPass) {
  Store store;
  const FinishOutcome aborted = finish_evaluation(
      get_sli_finished(json::array(), "aborted", "fail"), slo_file(kSlo), store.reader());
  EXPECT_EQ(aborted.finished, json::parse(R"({
    "project": "sockshop", "stage": "staging", "service": "carts",
    "labels": {"buildId": "build-42"}, "status": "errored", "result": "fail",
    "message": "evaluation performed by lighthouse was aborted",
    "evaluation": {"timeStart": "2023-05-04T10:15:00.000Z", "timeEnd": "2023-05-04T10:20:00.000Z",
                   "result": "pass", "score": 0, "sloFileContent": "", "indicatorResults": null}})"));
  const FinishOutcome errored = finish_evaluation(
      get_sli_finished(json::array(), "errored", "fail", "prometheus unreachable"), slo_file(kSlo),
      store.reader());
  EXPECT_EQ(errored.finished["status"], "errored");
  EXPECT_EQ(errored.finished["message"],
            "evaluation performed by lighthouse received an unexpected error: prometheus "
            "unreachable");
  EXPECT_EQ(errored.finished["evaluation"]["result"], "pass");
  EXPECT_TRUE(store.queries.empty());
}

TEST(FinishEvaluation, MalformedReplyFinishesErrored) {
  Store store;
  json data = get_sli_finished(json::parse(R"([{"metric": "m", "value": "fast"}])"));
  const FinishOutcome out = finish_evaluation(data, slo_file(kSlo), store.reader());
  EXPECT_EQ(out.finished, json::parse(R"({
    "project": "sockshop", "stage": "staging", "service": "carts",
    "labels": {"buildId": "build-42"}, "status": "errored", "result": "fail",
    "message": "Could not parse event payload: json: cannot unmarshal string into Go struct field SLIResult.get-sli.indicatorValues.value of type float64",
    "evaluation": {"timeStart": "2023-05-04T10:15:00.000Z", "timeEnd": "2023-05-04T10:20:00.000Z",
                   "result": "fail", "score": 0, "sloFileContent": "", "indicatorResults": null}})"));
}

TEST(FinishEvaluation, WithoutSloFilePassesWithoutEvaluating) {
  Store store;
  for (const SloReader& reader : {no_slo_file(), slo_file("")}) {
    const FinishOutcome out =
        finish_evaluation(get_sli_finished(json::array()), reader, store.reader());
    EXPECT_EQ(out.finished["status"], "succeeded");
    EXPECT_EQ(out.finished["result"], "pass");
    EXPECT_EQ(out.finished["message"],
              "no evaluation performed by lighthouse because no SLO file configured for project "
              "sockshop");
    EXPECT_EQ(out.finished["evaluation"]["result"], "pass");
    EXPECT_TRUE(out.finished["evaluation"]["indicatorResults"].is_null());
  }
}

TEST(FinishEvaluation, InvalidSloFileFinishesErroredWithTheDetailsLogged) {
  Store store;
  const FinishOutcome out = finish_evaluation(get_sli_finished(json::array()),
                                              slo_file("objectives: 5\n"), store.reader());
  EXPECT_EQ(out.finished["status"], "errored");
  EXPECT_EQ(out.finished["message"],
            "Could not parse SLO file for service carts in stage staging in project sockshop");
  EXPECT_EQ(out.finished["evaluation"]["sloFileContent"], "");
  ASSERT_EQ(out.details.size(), 1u);
  EXPECT_EQ(out.details[0],
            "slo.yaml:1:13: objectives: expected a list of objectives, found \"5\"");
}

TEST(FinishEvaluation, HistoryProblemsFinishErroredWithTheFile) {
  const std::string slo = "---\nspec_version: \"0.1.1\"\n";
  Store broken;
  broken.fail = true;
  const FinishOutcome failed =
      finish_evaluation(get_sli_finished(json::array()), slo_file(slo), broken.reader());
  EXPECT_EQ(failed.finished["status"], "errored");
  EXPECT_EQ(failed.finished["message"], "could not retrieve previous evaluation.finished events");
  EXPECT_EQ(failed.finished["evaluation"]["sloFileContent"],
            "LS0tCnNwZWNfdmVyc2lvbjogIjAuMS4xIgo=");
  EXPECT_FALSE(failed.finished["evaluation"].contains("comparedEvents"));

  Store store;
  const FinishOutcome too_many = finish_evaluation(
      get_sli_finished(json::array()),
      slo_file("comparison: {compare_with: several_results, number_of_comparison_results: 101}\n"),
      store.reader());
  EXPECT_EQ(too_many.finished["message"], "could not retrieve previous evaluation.finished events");
  EXPECT_TRUE(store.queries.empty());
}

TEST(FinishEvaluation, InvalidPassCriterionFailsTheRun) {
  Store store;
  store.events = json::array({previous_finished("e1", "2023-05-04T08:00:00.000Z", "pass", 400)});
  const FinishOutcome out = finish_evaluation(
      get_sli_finished(json::parse(R"([{"metric": "rt", "value": 1, "success": true},
                                        {"metric": "x", "value": 1, "success": true}])")),
      slo_file("objectives:\n  - {sli: rt, pass: [{criteria: [\"<1s\"]}]}\n"
               "total_score: {pass: \"90%\"}\n"),
      store.reader());
  EXPECT_EQ(out.finished["status"], "succeeded");
  EXPECT_EQ(out.finished["result"], "fail");
  EXPECT_EQ(out.finished["message"], "error with rt: could not parse criteria target value");
  EXPECT_EQ(out.finished["evaluation"]["result"], "fail");
  EXPECT_EQ(out.finished["evaluation"]["score"], 0);
  EXPECT_TRUE(out.finished["evaluation"]["indicatorResults"].is_null());
  EXPECT_EQ(out.finished["evaluation"]["comparedEvents"], json::array({"e1"}));
  EXPECT_NE(out.finished["evaluation"]["sloFileContent"], "");
}

TEST(FinishEvaluation, BadTotalScoreFinishesErrored) {
  Store store;
  store.events = json::array({previous_finished("e1", "2023-05-04T08:00:00.000Z", "pass", 400)});
  const FinishOutcome out = finish_evaluation(
      get_sli_finished(json::parse(R"([{"metric": "rt", "value": 1, "success": true}])")),
      slo_file("objectives:\n  - {sli: rt, pass: [{criteria: [\"<5\"]}]}\n"), store.reader());
  EXPECT_EQ(out.finished["status"], "errored");
  EXPECT_EQ(out.finished["result"], "fail");
  EXPECT_EQ(out.finished["message"], "no target score defined");
  EXPECT_TRUE(out.finished["evaluation"]["indicatorResults"].is_null());
  EXPECT_FALSE(out.finished["evaluation"].contains("comparedEvents"));
  EXPECT_EQ(out.finished["evaluation"]["sloFileContent"],
            "b2JqZWN0aXZlczoKICAtIHtzbGk6IHJ0LCBwYXNzOiBbe2NyaXRlcmlhOiBbIjw1Il19XX0K");
}

TEST(FinishEvaluation, NoObjectivesFails) {
  Store store;
  const auto run = [&](const std::string& pass) {
    return finish_evaluation(
        get_sli_finished(json::parse(R"([{"metric": "rt", "value": 1, "success": true}])")),
        slo_file("objectives: []\ntotal_score: {pass: \"" + pass + "\"}\n"), store.reader());
  };
  const FinishOutcome out = run("90%");
  EXPECT_EQ(out.finished["status"], "succeeded");
  EXPECT_EQ(out.finished["result"], "fail");
  EXPECT_EQ(out.finished["message"], "lighthouse failed because no SLO objective was provided");
  EXPECT_EQ(out.finished["evaluation"]["result"], "fail");
  EXPECT_EQ(out.finished["evaluation"]["score"], 0);
  EXPECT_TRUE(out.finished["evaluation"]["indicatorResults"].is_null());
  // The evaluation block keeps what scoring said; only data.result is forced.
  const FinishOutcome zero = run("0");
  EXPECT_EQ(zero.finished["result"], "fail");
  EXPECT_EQ(zero.finished["evaluation"]["result"], "pass");
}

TEST(FinishEvaluation, FailedSliResultForcesFail) {
  Store store;
  const FinishOutcome out = finish_evaluation(
      get_sli_finished(json::parse(R"([{"metric": "rt", "value": 1, "success": true}])"),
                       "succeeded", "fail", "one query failed"),
      slo_file("objectives:\n  - {sli: rt, pass: [{criteria: [\"<5\"]}]}\n"
               "total_score: {pass: \"90%\"}\n"),
      store.reader());
  EXPECT_EQ(out.finished["status"], "succeeded");
  EXPECT_EQ(out.finished["result"], "fail");
  EXPECT_EQ(out.finished["message"],
            "lighthouse failed because SLI failed with message one query failed");
  EXPECT_EQ(out.finished["evaluation"]["result"], "pass");
  EXPECT_EQ(out.finished["evaluation"]["score"], 100);
}

TEST(FinishEvaluation, LeftoverMessageSurvivesOnlyOnPass) {
  Store store;
  const FinishOutcome out = finish_evaluation(
      get_sli_finished(json::parse(R"([{"metric": "rt", "value": 9, "success": true},
                                        {"metric": "extra", "value": 1, "success": true}])")),
      slo_file("objectives:\n  - {sli: rt, pass: [{criteria: [\"<5\"]}]}\n"
               "total_score: {pass: \"90%\"}\n"),
      store.reader());
  EXPECT_EQ(out.finished["result"], "fail");
  EXPECT_EQ(out.finished["message"],
            "Evaluation failed since the calculated score of 0 is below the target value of 90");
}

TEST(UnansweredEvaluation, FinishesErroredWithTheWindow) {
  const json out = unanswered_evaluation(kTriggered, {"s", "e"}, "no reply");
  EXPECT_EQ(out, json::parse(R"({
    "project": "sockshop", "stage": "staging", "service": "carts",
    "labels": {"buildId": "build-42"}, "status": "errored", "result": "fail", "message": "no reply",
    "evaluation": {"timeStart": "s", "timeEnd": "e", "result": "fail", "score": 0,
                   "sloFileContent": "", "indicatorResults": null}})"));
}

}  // namespace
}  // namespace kph::plugins::lighthouse
