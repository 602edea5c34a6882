// The prometheus-sli plugin as a user runs it: `keptn-host run` with a host config, resources in
// a folder, get-sli.triggered on standard input, and a real Prometheus behind it.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "support/net.hpp"
#include "support/process.hpp"
#include "support/prometheus_server.hpp"
#include "support/temp_dir.hpp"

namespace kph::testing {
namespace {

using nlohmann::json;

std::string rfc3339(int64_t unix_seconds) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S.000Z", &tm);
  return text;
}

struct Window {
  int64_t now = PrometheusServer::now_seconds();
  int64_t from = now - 3600;
  std::string start = rfc3339(now - 1860);
  std::string end = rfc3339(now - 60);
};

const Window& window() {
  static const Window w;
  return w;
}

json get_sli_triggered(const std::string& id, json get_sli,
                       const std::string& project = "sockshop") {
  get_sli["start"] = window().start;
  get_sli["end"] = window().end;
  if (!get_sli.contains("sliProvider")) get_sli["sliProvider"] = "prometheus";
  return {{"specversion", "1.0"},
          {"id", id},
          {"source", "lighthouse"},
          {"type", "sh.keptn.event.get-sli.triggered"},
          {"datacontenttype", "application/json"},
          {"shkeptncontext", "ctx-" + id},
          {"gitcommitid", "c0ffee"},
          {"data",
           {{"project", project},
            {"stage", "staging"},
            {"service", "carts"},
            {"deployment", "canary"},
            {"labels", {{"version", "1.2.3"}}},
            {"get-sli", get_sli}}}};
}

// The events the host printed for one triggered id, by type suffix ("started", "finished").
std::optional<json> reply(const ProcessResult& result, const std::string& id,
                          const std::string& kind) {
  for (const auto& event : result.out_json_lines()) {
    if (event.value("triggeredid", "") == id &&
        event.value("type", "") == "sh.keptn.event.get-sli." + kind) {
      return event;
    }
  }
  return std::nullopt;
}

class PrometheusSliPlugin : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (PrometheusServer::unavailable_reason()) return;
    PrometheusOptions options;
    options.basic_auth = true;
    options.series.gauge(R"(sli_value{service="carts"})", "412.7", window().from, window().now)
        .gauge(R"(sli_value{service="carts",version="1.2.3"})", "7", window().from, window().now)
        .counter(R"(http_requests_total{job="carts-sockshop-staging-canary",status="200"})", 2,
                 window().from, window().now)
        .gauge(R"(multi{pod="a"})", "1", window().from, window().now)
        .gauge(R"(multi{pod="b"})", "2", window().from, window().now);
    try {
      server_ = new PrometheusServer(std::move(options));
    } catch (const std::exception& e) {
      start_error_ = e.what();
    }
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override {
    if (auto reason = PrometheusServer::unavailable_reason()) GTEST_SKIP() << *reason;
    ASSERT_NE(server_, nullptr) << "the Prometheus fixture did not start: " << start_error_;
    password_file_ =
        dir_.write("secrets/prometheus-password", std::string(PrometheusServer::kPassword) + "\n");
  }

  // The host config: prometheus-sli with the given config, resources from dir_/resources.
  std::string config(const json& plugin_config) {
    const json host = {
        {"controlPlane", {{"mode", "local"}}},
        {"plugins", {{{"library", "prometheus-sli"}, {"config", plugin_config}}}},
        {"resources",
         {{"provider", "local"}, {"directory", (dir_.path() / "resources").string()}}}};
    // JSON is YAML.
    return dir_.write("host.yaml", host.dump(2)).string();
  }

  json good_config() {
    return {{"url", server_->url()},
            {"username", PrometheusServer::kUser},
            {"passwordFile", password_file_.string()},
            {"timeout", "20s"}};
  }

  ProcessResult run(const std::string& config_file, const std::vector<json>& events) {
    std::string input;
    for (const auto& event : events) input += event.dump() + "\n";
    return run_host({"run", "--config", config_file}, input);
  }

  static PrometheusServer* server_;
  static std::string start_error_;
  TempDir dir_;
  std::filesystem::path password_file_;
};

PrometheusServer* PrometheusSliPlugin::server_ = nullptr;
std::string PrometheusSliPlugin::start_error_;

TEST_F(PrometheusSliPlugin, AnswersWithValuesFromMergedSliFilesAndBuiltIns) {
  dir_.write("resources/sockshop/prometheus/sli.yaml",
             "indicators:\n"
             "  rt: sli_value{service=\"$SERVICE\",version=\"\"}\n"
             "  versioned: sli_value{service=\"carts\",version=\"wrong\"}\n");
  dir_.write("resources/sockshop/staging/carts/prometheus/sli.yaml",
             "indicators:\n"
             "  versioned: sli_value{service=\"$SERVICE\",version=\"$LABEL.version\"}\n");
  const auto result =
      run(config(good_config()),
          {get_sli_triggered("g-1", {{"indicators", {"rt", "versioned", "throughput"}}})});
  ASSERT_EQ(result.exit_code, 0) << result.err;

  const auto started = reply(result, "g-1", "started");
  ASSERT_TRUE(started) << result.out;
  EXPECT_EQ((*started)["source"], "prometheus-sli");
  const auto finished = reply(result, "g-1", "finished");
  ASSERT_TRUE(finished) << result.out << result.err;
  EXPECT_EQ((*finished)["source"], "prometheus-sli");
  EXPECT_EQ((*finished)["shkeptncontext"], "ctx-g-1");
  const json& data = (*finished)["data"];
  EXPECT_EQ(data["status"], "succeeded");
  EXPECT_EQ(data["result"], "pass") << data.dump();
  EXPECT_EQ(data["project"], "sockshop");
  EXPECT_EQ(data["get-sli"]["start"], window().start);
  EXPECT_EQ(data["get-sli"]["end"], window().end);
  const json& values = data["get-sli"]["indicatorValues"];
  ASSERT_EQ(values.size(), 3u) << data.dump();
  EXPECT_EQ(values[0],
            json::parse(R"({"metric":"rt","value":412.7,"comparedValue":0,"success":true})"));
  EXPECT_EQ(values[1]["value"], 7);
  EXPECT_EQ(values[2]["metric"], "throughput");
  EXPECT_NEAR(values[2]["value"].get<double>(), 2.0, 1e-9);
  EXPECT_EQ(result.out.find(PrometheusServer::kPassword), std::string::npos) << "secret in events";
  EXPECT_EQ(result.err.find(PrometheusServer::kPassword), std::string::npos) << "secret in logs";
}

TEST_F(PrometheusSliPlugin, OtherSliProvidersGetNoAnswerAtAll) {
  const auto result = run(config(good_config()),
                          {get_sli_triggered("d-1", {{"sliProvider", "dynatrace"}}),
                           get_sli_triggered("d-2", {{"sliProvider", "Prometheus"}}),
                           get_sli_triggered("d-3", json::object({{"sliProvider", nullptr}}))});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(result.out_json_lines().empty()) << result.out;
}

TEST_F(PrometheusSliPlugin, FailedIndicatorsMakeWarningAndFail) {
  const auto result =
      run(config(good_config()), {get_sli_triggered("w-1", {{"indicators", {"throughput", "cpu"}}}),
                                  get_sli_triggered("f-1", {{"indicators", {"cpu", "memory"}}})});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto warning = reply(result, "w-1", "finished");
  ASSERT_TRUE(warning) << result.out;
  EXPECT_EQ((*warning)["data"]["result"], "warning");
  const auto fail = reply(result, "f-1", "finished");
  ASSERT_TRUE(fail) << result.out;
  EXPECT_EQ((*fail)["data"]["status"], "succeeded");
  EXPECT_EQ((*fail)["data"]["result"], "fail");
  EXPECT_EQ(
      (*fail)["data"]["message"].get<std::string>().rfind("unable to retrieve metrics: cpu: ", 0),
      0u);
}

TEST_F(PrometheusSliPlugin, MalformedSliYamlIsAnsweredErroredNamingFileLineAndField) {
  dir_.write("resources/sockshop/staging/prometheus/sli.yaml",
             "spec_version: '1.0'\nindicators:\n  rt:\n    - not a query\n");
  const auto result =
      run(config(good_config()), {get_sli_triggered("m-1", {{"indicators", {"rt"}}})});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto finished = reply(result, "m-1", "finished");
  ASSERT_TRUE(finished) << result.out;
  const json& data = (*finished)["data"];
  EXPECT_EQ(data["status"], "errored");
  EXPECT_EQ(data["result"], "fail");
  EXPECT_EQ(data["message"],
            "unable to retrieve custom queries for project sockshop: prometheus/sli.yaml of stage "
            "'staging', line 4: field 'indicators.rt': expected a PromQL query (text), found a "
            "list. Write the query as one string, quoted if it contains ': '.");
  EXPECT_EQ(data["get-sli"]["start"], window().start);
}

TEST_F(PrometheusSliPlugin, MalformedEventIsAnsweredErrored) {
  auto event = get_sli_triggered("x-1", json::object());
  event["data"]["get-sli"]["indicators"] = "throughput";
  const auto result = run(config(good_config()), {event});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto finished = reply(result, "x-1", "finished");
  ASSERT_TRUE(finished) << result.out;
  EXPECT_EQ((*finished)["data"]["status"], "errored");
  EXPECT_NE((*finished)["data"]["message"].get<std::string>().find(
                "field 'get-sli.indicators': expected a list of indicator names, found string"),
            std::string::npos)
      << (*finished)["data"]["message"];
}

TEST_F(PrometheusSliPlugin, MultipleSeriesAndUnreachableServerAreIndicatorFailures) {
  dir_.write("resources/sockshop/prometheus/sli.yaml", "indicators:\n  many: multi\n");
  auto plugin_config = good_config();
  const uint16_t closed = free_port();
  plugin_config["projects"] = {
      {"offline", {{"url", "http://127.0.0.1:" + std::to_string(closed)}}}};
  const auto result = run(config(plugin_config),
                          {get_sli_triggered("s-1", {{"indicators", {"many"}}}),
                           get_sli_triggered("u-1", {{"indicators", {"throughput"}}}, "offline")});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto many = reply(result, "s-1", "finished");
  ASSERT_TRUE(many) << result.out;
  EXPECT_NE((*many)["data"]["get-sli"]["indicatorValues"][0]["message"].get<std::string>().find(
                "query did return multiple values"),
            std::string::npos);
  const auto offline = reply(result, "u-1", "finished");
  ASSERT_TRUE(offline) << result.out;
  EXPECT_EQ((*offline)["data"]["result"], "fail");
  EXPECT_NE((*offline)["data"]["message"].get<std::string>().find("connection refused"),
            std::string::npos)
      << (*offline)["data"]["message"];
}

TEST_F(PrometheusSliPlugin, WrongPasswordIsA401ForEveryIndicator) {
  const auto wrong = dir_.write("secrets/wrong", "not-the-password\n");
  auto plugin_config = good_config();
  plugin_config["passwordFile"] = wrong.string();
  const auto result =
      run(config(plugin_config), {get_sli_triggered("a-1", {{"indicators", {"throughput"}}})});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto finished = reply(result, "a-1", "finished");
  ASSERT_TRUE(finished) << result.out;
  EXPECT_EQ((*finished)["data"]["result"], "fail");
  EXPECT_NE((*finished)["data"]["get-sli"]["indicatorValues"][0]["message"].get<std::string>().find(
                "client_error: client error: 401"),
            std::string::npos);
  EXPECT_EQ(result.out.find("not-the-password"), std::string::npos) << "secret in events";
  EXPECT_EQ(result.err.find("not-the-password"), std::string::npos) << "secret in logs";
}

TEST_F(PrometheusSliPlugin, UnreadableSecretOrNoUrlForTheProjectIsErrored) {
  auto missing_secret = good_config();
  missing_secret["passwordFile"] = (dir_.path() / "secrets/absent").string();
  auto result =
      run(config(missing_secret), {get_sli_triggered("p-1", {{"indicators", {"throughput"}}})});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  auto finished = reply(result, "p-1", "finished");
  ASSERT_TRUE(finished) << result.out;
  EXPECT_EQ((*finished)["data"]["status"], "errored");
  EXPECT_NE((*finished)["data"]["message"].get<std::string>().find("cannot read file"),
            std::string::npos);

  const json only_other = {{"projects", {{"other", {{"url", server_->url()}}}}}};
  result = run(config(only_other), {get_sli_triggered("n-1", {{"indicators", {"throughput"}}})});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  finished = reply(result, "n-1", "finished");
  ASSERT_TRUE(finished) << result.out;
  EXPECT_EQ((*finished)["data"]["message"],
            "no Prometheus configured for project 'sockshop': set `url` or `projects.sockshop.url` "
            "in the prometheus-sli plugin config");
}

TEST_F(PrometheusSliPlugin, ConfigErrorsStopTheHostWithTheKeyNamed) {
  const auto result = run(config({{"url", "prometheus:9090"}}), {});
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.err.find("config key 'url': expected http://host:port"), std::string::npos)
      << result.err;
}

}  // namespace
}  // namespace kph::testing
