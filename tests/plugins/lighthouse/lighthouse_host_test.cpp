// Drives the lighthouse plugin alone through `keptn-host run`, as a user checks an SLO: the test
// plays the control plane and the SLI provider. It feeds earlier evaluation results and an
// evaluation.triggered on stdin, reads the get-sli.triggered lighthouse emits, answers with a
// get-sli.finished, and checks the evaluation.started/finished keptn-host prints.
#include <gtest/gtest.h>

#include <chrono>

#include "support/host_session.hpp"
#include "support/temp_dir.hpp"

namespace kph::testing {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

constexpr auto kDeadline = 30s;
const std::string kContext = "294d2abd-aae0-4313-b057-2d651c2636ed";

const char* kSlo = R"(spec_version: "1.0"
comparison:
  compare_with: "several_results"
  number_of_comparison_results: 2
  include_result_with_score: "pass"
  aggregate_function: "avg"
objectives:
  - sli: "response_time_p95"
    displayName: "Response time P95"
    pass:
      - criteria: ["<=+10%", "<600"]
    warning:
      - criteria: ["<=800"]
  - sli: "error_rate"
    key_sli: true
    pass:
      - criteria: ["=0"]
total_score:
  pass: "90%"
  warning: "75%"
)";

json event(const std::string& type, const std::string& id, json data) {
  return {{"specversion", "1.0"},
          {"id", id},
          {"source", "test"},
          {"type", type},
          {"time", "2023-05-04T10:20:05.300Z"},
          {"datacontenttype", "application/json"},
          {"shkeptncontext", kContext},
          {"data", std::move(data)}};
}

json scope() { return {{"project", "sockshop"}, {"stage", "staging"}, {"service", "carts"}}; }

json previous_evaluation(const std::string& id, const std::string& time, const std::string& result,
                         double response_time) {
  json data = scope();
  data["result"] = result;
  data["status"] = "succeeded";
  data["evaluation"] = {
      {"result", result},
      {"score", 100},
      {"indicatorResults",
       {{{"score", 1},
         {"status", result},
         {"value",
          {{"metric", "response_time_p95"}, {"value", response_time}, {"success", true}}}}}}};
  json out = event("sh.keptn.event.evaluation.finished", id, data);
  out["time"] = time;
  out["source"] = "lighthouse-service";
  out["shkeptncontext"] = "0c8ad7d4-1d5c-4e2b-9b3c-" + id;
  out["triggeredid"] = "trigger-" + id;
  return out;
}

json evaluation_triggered() {
  json data = scope();
  data["labels"] = {{"buildId", "build-42"}};
  data["evaluation"] = {{"start", "2023-05-04T10:15:00.000Z"}, {"end", "2023-05-04T10:20:00.000Z"}};
  data["deployment"] = {{"deploymentNames", {"canary"}}};
  json out =
      event("sh.keptn.event.evaluation.triggered", "30bc9c8f-df7b-4629-816d-8c3b8a86e3ae", data);
  out["gitcommitid"] = "11f6ad8ec52a2984abaafd7c3b516503785c2072";
  return out;
}

json get_sli_finished(const json& request, const std::string& status, json values) {
  json data = scope();
  data["labels"] = {{"buildId", "build-42"}};
  data["status"] = status;
  data["result"] = status == "succeeded" ? "pass" : "fail";
  data["message"] = status == "succeeded" ? "" : "prometheus is unreachable";
  data["get-sli"] = {{"start", request["data"]["get-sli"]["start"]},
                     {"end", request["data"]["get-sli"]["end"]},
                     {"indicatorValues", std::move(values)}};
  json out = event("sh.keptn.event.get-sli.finished", "531d06e9-615b-47e4-aa36-e8121cce7166", data);
  out["triggeredid"] = request["id"];
  out["shkeptncontext"] = request["shkeptncontext"];
  out["source"] = "test-sli-provider";
  return out;
}

// Starts keptn-host with lighthouse alone and the given slo.yaml (none when empty).
class LighthouseHost : public ::testing::Test {
 protected:
  std::unique_ptr<HostSession> start(const std::string& slo) {
    if (!slo.empty()) resources_.write("sockshop/staging/carts/slo.yaml", slo);
    return std::make_unique<HostSession>(std::vector<std::string>{
        "run", "--plugin", "lighthouse", "--resources", resources_.path().string()});
  }

  // The same with a host config that gives lighthouse an instance config.
  std::unique_ptr<HostSession> start_configured(const std::string& slo,
                                                const std::string& lighthouse_config) {
    resources_.write("sockshop/staging/carts/slo.yaml", slo);
    const auto config = config_dir_.write(
        "keptn-host.yaml",
        "plugins:\n  - library: lighthouse\n    config: " + lighthouse_config + "\n");
    return std::make_unique<HostSession>(std::vector<std::string>{
        "run", "--config", config.string(), "--resources", resources_.path().string()});
  }

  TempDir resources_;
  TempDir config_dir_;
};

TEST_F(LighthouseHost, EvaluatesAgainstSloAndEarlierResults) {
  auto host = start(kSlo);
  ASSERT_TRUE(
      host->write_json(previous_evaluation("e-old", "2023-05-01T10:00:00.000Z", "pass", 300)));
  ASSERT_TRUE(
      host->write_json(previous_evaluation("e-mid", "2023-05-02T10:00:00.000Z", "pass", 400)));
  ASSERT_TRUE(
      host->write_json(previous_evaluation("e-fail", "2023-05-03T10:00:00.000Z", "fail", 9000)));
  ASSERT_TRUE(
      host->write_json(previous_evaluation("e-void", "2023-05-03T11:00:00.000Z", "pass", 5)));
  json invalidation = event("sh.keptn.event.evaluation.invalidated", "inv-1", scope());
  invalidation["triggeredid"] = "trigger-e-void";
  ASSERT_TRUE(host->write_json(invalidation));
  const json triggered = evaluation_triggered();
  ASSERT_TRUE(host->write_json(triggered));

  const auto request = host->wait_for_event("sh.keptn.event.get-sli.triggered", kDeadline);
  ASSERT_TRUE(request) << host->stderr_text();
  EXPECT_EQ((*request)["source"], "lighthouse");
  EXPECT_EQ((*request)["shkeptncontext"], kContext);
  EXPECT_EQ((*request)["gitcommitid"], "11f6ad8ec52a2984abaafd7c3b516503785c2072");
  EXPECT_EQ((*request)["data"]["deployment"], "canary");
  EXPECT_EQ((*request)["data"]["get-sli"], json::parse(R"({
    "sliProvider": "prometheus",
    "start": "2023-05-04T10:15:00.000Z", "end": "2023-05-04T10:20:00.000Z",
    "indicators": ["response_time_p95", "error_rate"]})"));

  ASSERT_TRUE(host->write_json(get_sli_finished(*request, "succeeded", json::parse(R"([
    {"metric": "response_time_p95", "value": 380, "success": true},
    {"metric": "error_rate", "value": 0, "success": true}])"))));

  const auto started =
      host->wait_for_event("sh.keptn.event.evaluation.started", kDeadline, triggered["id"]);
  ASSERT_TRUE(started) << host->stderr_text();
  const auto finished =
      host->wait_for_event("sh.keptn.event.evaluation.finished", kDeadline, triggered["id"]);
  ASSERT_TRUE(finished) << host->stderr_text();
  EXPECT_EQ((*finished)["source"], "lighthouse");
  EXPECT_EQ((*finished)["shkeptncontext"], kContext);
  const json& data = (*finished)["data"];
  EXPECT_EQ(data["status"], "succeeded");
  EXPECT_EQ(data["result"], "pass");
  EXPECT_FALSE(data.contains("message"));
  EXPECT_EQ(data["labels"], json::parse(R"({"buildId": "build-42"})"));
  const json& evaluation = data["evaluation"];
  EXPECT_EQ(evaluation["result"], "pass");
  EXPECT_EQ(evaluation["score"], 100);
  EXPECT_EQ(evaluation["timeStart"], "2023-05-04T10:15:00.000Z");
  EXPECT_EQ(evaluation["timeEnd"], "2023-05-04T10:20:00.000Z");
  // Newest passing, not invalidated, two of them: e-mid (400) and e-old (300), average 350.
  EXPECT_EQ(evaluation["comparedEvents"], json::parse(R"(["e-mid", "e-old"])"));
  EXPECT_EQ(evaluation["indicatorResults"], json::parse(R"([
    {"score": 1, "status": "pass", "displayName": "Response time P95", "keySli": false,
     "value": {"metric": "response_time_p95", "value": 380, "comparedValue": 350, "success": true},
     "passTargets": [{"criteria": "<=+10%", "targetValue": 385, "violated": false},
                     {"criteria": "<600", "targetValue": 600, "violated": false}],
     "warningTargets": [{"criteria": "<=800", "targetValue": 800, "violated": false}]},
    {"score": 1, "status": "pass", "displayName": "", "keySli": true,
     "value": {"metric": "error_rate", "value": 0, "comparedValue": 0, "success": true},
     "passTargets": [{"criteria": "=0", "targetValue": 0, "violated": false}],
     "warningTargets": null}])"));
  EXPECT_FALSE(evaluation["sloFileContent"].get<std::string>().empty());

  host->close_input();
  EXPECT_EQ(host->wait_for_exit(kDeadline), 0) << host->stderr_text();
}

TEST_F(LighthouseHost, FailsOnAFailingKeySli) {
  auto host = start(kSlo);
  const json triggered = evaluation_triggered();
  ASSERT_TRUE(host->write_json(triggered));
  const auto request = host->wait_for_event("sh.keptn.event.get-sli.triggered", kDeadline);
  ASSERT_TRUE(request) << host->stderr_text();
  ASSERT_TRUE(host->write_json(get_sli_finished(*request, "succeeded", json::parse(R"([
    {"metric": "response_time_p95", "value": 700, "success": true},
    {"metric": "error_rate", "value": 0.5, "success": true}])"))));
  const auto finished =
      host->wait_for_event("sh.keptn.event.evaluation.finished", kDeadline, triggered["id"]);
  ASSERT_TRUE(finished) << host->stderr_text();
  const json& data = (*finished)["data"];
  EXPECT_EQ(data["status"], "succeeded");
  EXPECT_EQ(data["result"], "fail");
  EXPECT_EQ(data["message"],
            "Evaluation failed due to key_sli objective '': failed evaluation with score 0.000000");
  EXPECT_EQ(data["evaluation"]["score"], 25);
  EXPECT_EQ(data["evaluation"]["indicatorResults"][0]["status"], "warning");
  EXPECT_FALSE(data["evaluation"].contains("comparedEvents"));
  host->close_input();
  EXPECT_EQ(host->wait_for_exit(kDeadline), 0) << host->stderr_text();
}

TEST_F(LighthouseHost, ReportsAnErroredSliProvider) {
  auto host = start(kSlo);
  const json triggered = evaluation_triggered();
  ASSERT_TRUE(host->write_json(triggered));
  const auto request = host->wait_for_event("sh.keptn.event.get-sli.triggered", kDeadline);
  ASSERT_TRUE(request) << host->stderr_text();
  ASSERT_TRUE(host->write_json(get_sli_finished(*request, "errored", json::array())));
  const auto finished =
      host->wait_for_event("sh.keptn.event.evaluation.finished", kDeadline, triggered["id"]);
  ASSERT_TRUE(finished) << host->stderr_text();
  const json& data = (*finished)["data"];
  EXPECT_EQ(data["status"], "errored");
  EXPECT_EQ(data["result"], "fail");
  EXPECT_EQ(data["message"],
            "evaluation performed by lighthouse received an unexpected error: prometheus is "
            "unreachable");
  EXPECT_EQ(data["evaluation"]["result"], "pass");
  EXPECT_TRUE(data["evaluation"]["indicatorResults"].is_null());
  host->close_input();
  EXPECT_EQ(host->wait_for_exit(kDeadline), 0) << host->stderr_text();
}

TEST_F(LighthouseHost, PassesWithoutEvaluationWhenThereIsNoSloFile) {
  auto host = start("");
  const json triggered = evaluation_triggered();
  ASSERT_TRUE(host->write_json(triggered));
  const auto request = host->wait_for_event("sh.keptn.event.get-sli.triggered", kDeadline);
  ASSERT_TRUE(request) << host->stderr_text();
  EXPECT_FALSE((*request)["data"]["get-sli"].contains("indicators"));
  ASSERT_TRUE(host->write_json(get_sli_finished(*request, "succeeded", json::array())));
  const auto finished =
      host->wait_for_event("sh.keptn.event.evaluation.finished", kDeadline, triggered["id"]);
  ASSERT_TRUE(finished) << host->stderr_text();
  EXPECT_EQ((*finished)["data"]["result"], "pass");
  EXPECT_EQ((*finished)["data"]["message"],
            "no evaluation performed by lighthouse because no SLO file configured for project "
            "sockshop");
  host->close_input();
  EXPECT_EQ(host->wait_for_exit(kDeadline), 0) << host->stderr_text();
}

TEST_F(LighthouseHost, FinishesAtOnceOnAnInvalidSloFile) {
  auto host = start("objectives:\n  - sli: a\n    weight: heavy\n");
  const json triggered = evaluation_triggered();
  ASSERT_TRUE(host->write_json(triggered));
  const auto finished =
      host->wait_for_event("sh.keptn.event.evaluation.finished", kDeadline, triggered["id"]);
  ASSERT_TRUE(finished) << host->stderr_text();
  EXPECT_EQ((*finished)["data"]["status"], "errored");
  EXPECT_EQ((*finished)["data"]["message"],
            "error retrieving SLO file: Could not parse SLO file for service carts in stage "
            "staging in project sockshop");
  host->close_input();
  EXPECT_EQ(host->wait_for_exit(kDeadline), 0);
  // The place of the mistake goes to the log.
  EXPECT_NE(host->stderr_text().find("slo.yaml:3:13: objectives[0].weight"), std::string::npos)
      << host->stderr_text();
}

TEST_F(LighthouseHost, FinishesErroredWhenTheProviderNeverAnswers) {
  auto host =
      start_configured(kSlo, R"({sliProvider: {default: dynatrace}, sliTimeoutSeconds: 1})");
  const json triggered = evaluation_triggered();
  ASSERT_TRUE(host->write_json(triggered));
  const auto request = host->wait_for_event("sh.keptn.event.get-sli.triggered", kDeadline);
  ASSERT_TRUE(request) << host->stderr_text();
  EXPECT_EQ((*request)["data"]["get-sli"]["sliProvider"], "dynatrace");
  const auto finished =
      host->wait_for_event("sh.keptn.event.evaluation.finished", kDeadline, triggered["id"]);
  ASSERT_TRUE(finished) << host->stderr_text();
  const json& data = (*finished)["data"];
  EXPECT_EQ(data["status"], "errored");
  EXPECT_EQ(data["result"], "fail");
  EXPECT_EQ(data["message"],
            "no sh.keptn.event.get-sli.finished arrived within 1 second from SLI provider "
            "\"dynatrace\"; check that an SLI provider for \"dynatrace\" runs and answers, or "
            "raise sliTimeoutSeconds");
  EXPECT_EQ(data["evaluation"]["timeStart"], "2023-05-04T10:15:00.000Z");
  host->close_input();
  EXPECT_EQ(host->wait_for_exit(kDeadline), 0) << host->stderr_text();
}

TEST_F(LighthouseHost, PassesWithoutEvaluationWhenNoProviderIsConfigured) {
  auto host = start_configured(kSlo, R"({sliProvider: {default: null}})");
  const json triggered = evaluation_triggered();
  ASSERT_TRUE(host->write_json(triggered));
  const auto finished =
      host->wait_for_event("sh.keptn.event.evaluation.finished", kDeadline, triggered["id"]);
  ASSERT_TRUE(finished) << host->stderr_text();
  EXPECT_EQ((*finished)["data"]["status"], "succeeded");
  EXPECT_EQ((*finished)["data"]["result"], "pass");
  EXPECT_EQ((*finished)["data"]["message"],
            "no evaluation performed by lighthouse because no SLI-provider configured for project "
            "sockshop");
  host->close_input();
  EXPECT_EQ(host->wait_for_exit(kDeadline), 0) << host->stderr_text();
  for (const auto& line : host->json_lines()) {
    EXPECT_NE(line.value("type", ""), "sh.keptn.event.get-sli.triggered");
  }
}

}  // namespace
}  // namespace kph::testing
