// The whole quality gate in local mode, as a shipyard would drive it: evaluation.triggered goes
// to lighthouse, lighthouse asks prometheus-sli for the SLIs (get-sli, in-process), prometheus-sli
// queries a real Prometheus, lighthouse scores them against slo.yaml, and the evaluation's
// result feeds an approval.triggered that the approval plugin decides.
#include <gtest/gtest.h>

#include <ctime>
#include <string>

#include "support/host_session.hpp"
#include "support/prometheus_server.hpp"
#include "support/temp_dir.hpp"

namespace kph::testing {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

constexpr auto kDeadline = 60s;

std::string rfc3339(int64_t unix_seconds) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S.000Z", &tm);
  return text;
}

constexpr const char* kSlo = R"(---
spec_version: "0.1.1"
comparison:
  aggregate_function: avg
  compare_with: single_result
  include_result_with_score: pass
  number_of_comparison_results: 1
filter:
  handler: ItemsController.addToCart
objectives:
  - sli: response_time_p95
    displayName: Response time P95
    pass:
      - criteria: ["<600"]
    warning:
      - criteria: ["<=800"]
  - sli: error_rate
    pass:
      - criteria: ["<1"]
  - sli: throughput
total_score:
  pass: "90%"
  warning: "50%"
)";

// $handler comes from the SLO's filter (get-sli.customFilters); the built-in throughput query
// uses it too.
constexpr const char* kSli = R"(---
spec_version: "1.0"
indicators:
  response_time_p95: sli_rt{service="$SERVICE",stage="$STAGE",handler="$handler"}
  error_rate: sli_errors{service="$SERVICE"}
)";

class QualityGate : public ::testing::Test {
 protected:
  void SetUp() override {
    if (auto reason = PrometheusServer::unavailable_reason()) GTEST_SKIP() << *reason;
    const int64_t now = PrometheusServer::now_seconds();
    start_ = rfc3339(now - 1860);
    end_ = rfc3339(now - 60);
    PrometheusOptions options;
    const int64_t from = now - 3600;
    for (const auto& [service, rt] : {std::pair{"carts", "412.7"}, std::pair{"orders", "700"}}) {
      const std::string s = service;
      options.series
          .gauge("sli_rt{service=\"" + s +
                     "\",stage=\"staging\",handler=\"ItemsController.addToCart\"}",
                 rt, from, now)
          .gauge("sli_errors{service=\"" + s + "\"}", "0.5", from, now)
          .counter("http_requests_total{job=\"" + s +
                       "-sockshop-staging-canary\",handler=\"ItemsController.addToCart\"}",
                   4, from, now);
    }
    prometheus_ = std::make_unique<PrometheusServer>(std::move(options));

    dir_.write("resources/sockshop/staging/slo.yaml", kSlo);
    dir_.write("resources/sockshop/prometheus/sli.yaml", kSli);
    const json host = {
        {"controlPlane", {{"mode", "local"}}},
        {"plugins",
         {{{"library", "lighthouse"},
           {"config", {{"sliProvider", {{"default", "prometheus"}}}, {"sliTimeoutSeconds", 60}}}},
          {{"library", "prometheus-sli"},
           {"config", {{"url", prometheus_->url()}, {"timeout", "20s"}}}},
          {{"library", "approval"}}}},
        {"eventStore", {{"type", "memory"}}}};
    config_ = dir_.write("host.yaml", host.dump(2));  // JSON is YAML
  }

  json evaluation_triggered(const std::string& id, const std::string& service) const {
    return {{"specversion", "1.0"},
            {"id", id},
            {"source", "shipyard-controller"},
            {"type", "sh.keptn.event.evaluation.triggered"},
            {"datacontenttype", "application/json"},
            {"shkeptncontext", "ctx-" + service},
            {"shkeptnspecversion", "0.2.4"},
            {"gitcommitid", "c0ffee"},
            {"data",
             {{"project", "sockshop"},
              {"stage", "staging"},
              {"service", service},
              {"result", "pass"},
              {"status", "succeeded"},
              {"evaluation", {{"start", start_}, {"end", end_}}},
              {"deployment", {{"deploymentNames", {"canary"}}}}}}};
  }

  // What the shipyard-controller sends next: the evaluation's result, with the approval task's
  // properties.
  static json approval_triggered(const std::string& id, const json& evaluation_finished) {
    const json& finished = evaluation_finished["data"];
    return {{"specversion", "1.0"},
            {"id", id},
            {"source", "shipyard-controller"},
            {"type", "sh.keptn.event.approval.triggered"},
            {"datacontenttype", "application/json"},
            {"shkeptncontext", evaluation_finished["shkeptncontext"]},
            {"data",
             {{"project", finished["project"]},
              {"stage", finished["stage"]},
              {"service", finished["service"]},
              {"result", finished["result"]},
              {"status", finished["status"]},
              {"approval", {{"pass", "automatic"}, {"warning", "manual"}}}}}};
  }

  std::unique_ptr<HostSession> start_host() {
    return std::make_unique<HostSession>(std::vector<std::string>{
        "run", "--config", config_.string(), "--resources", (dir_.path() / "resources").string()});
  }

  TempDir dir_;
  std::unique_ptr<PrometheusServer> prometheus_;
  std::filesystem::path config_;
  std::string start_;
  std::string end_;
};

TEST_F(QualityGate, PassingEvaluationIsApprovedAutomatically) {
  auto host = start_host();
  ASSERT_TRUE(host->write_json(evaluation_triggered("eval-carts", "carts")));

  const auto get_sli = host->wait_for_event("sh.keptn.event.get-sli.triggered", kDeadline);
  ASSERT_TRUE(get_sli) << host->stdout_text() << host->stderr_text();
  EXPECT_EQ((*get_sli)["source"], "lighthouse");
  EXPECT_EQ((*get_sli)["shkeptncontext"], "ctx-carts");
  const json& request = (*get_sli)["data"]["get-sli"];
  EXPECT_EQ(request["sliProvider"], "prometheus");
  EXPECT_EQ(request["indicators"], json({"response_time_p95", "error_rate", "throughput"}));
  const std::string get_sli_id = (*get_sli)["id"];

  const auto sli_started =
      host->wait_for_event("sh.keptn.event.get-sli.started", kDeadline, get_sli_id);
  ASSERT_TRUE(sli_started) << host->stdout_text() << host->stderr_text();
  EXPECT_EQ((*sli_started)["source"], "prometheus-sli");
  const auto sli_finished =
      host->wait_for_event("sh.keptn.event.get-sli.finished", kDeadline, get_sli_id);
  ASSERT_TRUE(sli_finished) << host->stdout_text() << host->stderr_text();
  EXPECT_EQ((*sli_finished)["data"]["result"], "pass") << (*sli_finished)["data"].dump();
  const json& values = (*sli_finished)["data"]["get-sli"]["indicatorValues"];
  ASSERT_EQ(values.size(), 3u);
  EXPECT_EQ(values[0]["value"], 412.7);
  EXPECT_EQ(values[1]["value"], 0.5);
  EXPECT_NEAR(values[2]["value"].get<double>(), 4.0, 1e-9);

  const auto evaluation =
      host->wait_for_event("sh.keptn.event.evaluation.finished", kDeadline, "eval-carts");
  ASSERT_TRUE(evaluation) << host->stdout_text() << host->stderr_text();
  const json& data = (*evaluation)["data"];
  EXPECT_EQ(data["status"], "succeeded") << data.dump();
  EXPECT_EQ(data["result"], "pass") << data.dump();
  EXPECT_EQ(data["evaluation"]["score"], 100) << data.dump();
  EXPECT_EQ(data["evaluation"]["timeStart"], start_);
  EXPECT_EQ(data["evaluation"]["timeEnd"], end_);

  ASSERT_TRUE(host->write_json(approval_triggered("approve-carts", *evaluation)));
  const auto approval =
      host->wait_for_event("sh.keptn.event.approval.finished", kDeadline, "approve-carts");
  ASSERT_TRUE(approval) << host->stdout_text() << host->stderr_text();
  EXPECT_EQ((*approval)["source"], "approval");
  EXPECT_EQ((*approval)["data"]["result"], "pass");
  EXPECT_EQ((*approval)["data"]["status"], "succeeded");

  host->close_input();
  EXPECT_EQ(host->wait_for_exit(kDeadline), 0) << host->stderr_text();
}

TEST_F(QualityGate, WarningEvaluationWaitsForAManualApproval) {
  auto host = start_host();
  ASSERT_TRUE(host->write_json(evaluation_triggered("eval-orders", "orders")));
  const auto evaluation =
      host->wait_for_event("sh.keptn.event.evaluation.finished", kDeadline, "eval-orders");
  ASSERT_TRUE(evaluation) << host->stdout_text() << host->stderr_text();
  const json& data = (*evaluation)["data"];
  EXPECT_EQ(data["result"], "warning") << data.dump();
  EXPECT_EQ(data["evaluation"]["score"], 75) << data.dump();

  ASSERT_TRUE(host->write_json(approval_triggered("approve-orders", *evaluation)));
  ASSERT_TRUE(host->wait_for_event("sh.keptn.event.approval.started", kDeadline, "approve-orders"))
      << host->stdout_text();
  host->close_input();
  EXPECT_EQ(host->wait_for_exit(kDeadline), 0) << host->stderr_text();
  for (const auto& event : host->json_lines()) {
    EXPECT_NE(event.value("type", ""), "sh.keptn.event.approval.finished") << event.dump();
  }
}

}  // namespace
}  // namespace kph::testing
