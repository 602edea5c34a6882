// prometheus-sli's HTTP client and retrieval against a real Prometheus with backfilled series.
#include "prometheus_client.hpp"

#include <gtest/gtest.h>

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>

#include <memory>

#include "sli_retrieval.hpp"
#include "support/net.hpp"
#include "support/prometheus_server.hpp"
#include "support/temp_dir.hpp"
#include "time_window.hpp"

namespace kph::plugins::prometheus_sli {
namespace {

using kph::testing::OpenMetricsText;
using kph::testing::PrometheusOptions;
using kph::testing::PrometheusServer;
using namespace std::chrono_literals;

// The evaluation window every test queries: the last 30 minutes up to one minute ago.
struct Window {
  int64_t now = PrometheusServer::now_seconds();
  int64_t from = now - 3600;
  int64_t start = now - 1860;
  int64_t end = now - 60;
  int64_t half = now - 960;  // where the `step` gauge changes
};

const Window& window() {
  static const Window w;
  return w;
}

OpenMetricsText known_series() {
  const auto& w = window();
  OpenMetricsText series;
  const std::string job = R"(job="carts-sockshop-staging-canary")";
  series.counter("http_requests_total{" + job + R"(,status="200"})", 2.0, w.from, w.now)
      .counter("http_requests_total{" + job + R"(,status="500"})", 0.1, w.from, w.now)
      .gauge(R"(sli_value{service="carts"})", "412.7", w.from, w.now)
      .gauge(R"(multi{pod="a"})", "1", w.from, w.now)
      .gauge(R"(multi{pod="b"})", "2", w.from, w.now)
      .gauge("nan_gauge", "NaN", w.from, w.now)
      .gauge("step", "1", w.from, w.half - 15)
      .gauge("step", "2", w.half, w.now);
  return series;
}

Connection connection_to(const std::string& url) {
  Connection connection;
  connection.url = url;
  connection.where = "url";
  connection.timeout = 20s;
  connection.connect_timeout = 5s;
  return connection;
}

std::string time_text(int64_t seconds) { return query_time_text(seconds * 1'000'000'000); }

class PrometheusClientTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (PrometheusServer::unavailable_reason()) return;
    PrometheusOptions options;
    options.series = known_series();
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
  }

  IndicatorOutcome query(const std::string& promql, int64_t at = window().end) {
    static SslLibrary ssl;
    return PrometheusClient(connection_to(server_->url()), {}).instant_query(promql, time_text(at));
  }

  static PrometheusServer* server_;
  static std::string start_error_;
};

PrometheusServer* PrometheusClientTest::server_ = nullptr;
std::string PrometheusClientTest::start_error_;

TEST_F(PrometheusClientTest, ReadsAGaugeValue) {
  const auto outcome = query(R"(sli_value{service="carts"})");
  ASSERT_TRUE(outcome.success) << outcome.message;
  EXPECT_DOUBLE_EQ(outcome.value, 412.7);
}

TEST_F(PrometheusClientTest, QueriesAtTheWindowEnd) {
  EXPECT_DOUBLE_EQ(query("step", window().half - 60).value, 1);
  EXPECT_DOUBLE_EQ(query("step", window().end).value, 2);
}

TEST_F(PrometheusClientTest, BuiltInQueriesThroughRetrieval) {
  GetSliRequest request;
  request.project = "sockshop";
  request.stage = "staging";
  request.service = "carts";
  request.deployment = "canary";
  request.start = std::to_string(window().start);
  request.end = std::to_string(window().end);
  request.indicators = {"throughput", "error_rate", "response_time_p95", "sli"};
  const IndicatorQueries queries = {{"sli", "sli_value{service='$SERVICE'}"}};
  const PrometheusClient client(connection_to(server_->url()), {});
  const auto values = retrieve_indicators(
      request, queries,
      [&](const std::string& q, const std::string& t) { return client.instant_query(q, t); },
      nullptr);
  ASSERT_EQ(values.size(), 4u);
  ASSERT_TRUE(values[0].outcome.success) << values[0].outcome.message;
  EXPECT_NEAR(values[0].outcome.value, 2.1, 1e-9);
  ASSERT_TRUE(values[1].outcome.success) << values[1].outcome.message;
  EXPECT_NEAR(values[1].outcome.value, 0.1 / 2.1, 1e-9);
  // No histogram was backfilled: the built-in p95 query matches nothing.
  EXPECT_FALSE(values[2].outcome.success);
  EXPECT_NE(values[2].outcome.message.find("query did not return any values"), std::string::npos);
  EXPECT_DOUBLE_EQ(values[3].outcome.value, 412.7);

  const auto data = finished_data(request, values);
  EXPECT_EQ(data["result"], "warning");
  EXPECT_EQ(data["message"], "could not retrieve 1 of 4 indicators: response_time_p95");
}

TEST_F(PrometheusClientTest, EmptyResult) {
  const auto outcome = query(R"(sli_value{service="nope"})");
  EXPECT_FALSE(outcome.success);
  EXPECT_EQ(outcome.message.rfind("query did not return any values", 0), 0u) << outcome.message;
}

TEST_F(PrometheusClientTest, MultipleSeries) {
  const auto outcome = query("multi");
  EXPECT_FALSE(outcome.success);
  EXPECT_NE(outcome.message.find("query did return multiple values: 2 series"), std::string::npos)
      << outcome.message;
}

TEST_F(PrometheusClientTest, NaNAndInfinity) {
  const auto nan = query("nan_gauge");
  EXPECT_FALSE(nan.success);
  EXPECT_NE(nan.message.find("the value is NaN"), std::string::npos) << nan.message;
  const auto inf = query("vector(1)/vector(0)");
  EXPECT_FALSE(inf.success);
  EXPECT_NE(inf.message.find("the value is +Inf"), std::string::npos) << inf.message;
}

TEST_F(PrometheusClientTest, ScalarAndRangeResults) {
  EXPECT_NE(query("scalar(vector(1))").message.find("not a Vector: scalar: 1"), std::string::npos);
  EXPECT_NE(query("sli_value[5m]").message.find("not a Vector: matrix of 1 series"),
            std::string::npos);
}

TEST_F(PrometheusClientTest, PromQLErrorComesBackFromPrometheus) {
  const auto outcome = query("sum(rate(http_requests_total[5]))");
  EXPECT_FALSE(outcome.success);
  EXPECT_EQ(outcome.message.rfind("unable to query prometheus api: bad_data: ", 0), 0u)
      << outcome.message;
}

TEST_F(PrometheusClientTest, WrongPathGivesA404Hint) {
  static SslLibrary ssl;
  const auto outcome = PrometheusClient(connection_to(server_->url() + "/prometheus/"), {})
                           .instant_query("up", time_text(window().end));
  EXPECT_FALSE(outcome.success);
  EXPECT_NE(outcome.message.find("client error: 404"), std::string::npos) << outcome.message;
}

TEST(PrometheusClientFailures, UnreachableServer) {
  const uint16_t port = kph::testing::free_port();
  const auto outcome =
      PrometheusClient(connection_to("http://127.0.0.1:" + std::to_string(port)), {})
          .instant_query("up", "1");
  EXPECT_FALSE(outcome.success);
  EXPECT_EQ(outcome.message,
            "unable to query prometheus api: POST http://127.0.0.1:" + std::to_string(port) +
                "/api/v1/query: connection refused: is Prometheus listening there? (config key "
                "'url')");
}

TEST(PrometheusClientFailures, ServerThatNeverAnswersTimesOut) {
  // Accepts connections into its backlog and never reads or writes.
  Poco::Net::ServerSocket silent(Poco::Net::SocketAddress("127.0.0.1", 0));
  auto connection = connection_to("http://127.0.0.1:" + std::to_string(silent.address().port()));
  connection.timeout = 300ms;
  const auto outcome = PrometheusClient(connection, {}).instant_query("up", "1");
  EXPECT_FALSE(outcome.success);
  EXPECT_NE(outcome.message.find("no complete reply within 300ms (timeout"), std::string::npos)
      << outcome.message;
}

class PrometheusAuthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (auto reason = PrometheusServer::unavailable_reason(true)) GTEST_SKIP() << *reason;
  }
  SslLibrary ssl_;
};

TEST_F(PrometheusAuthTest, BasicAuthAcceptedAndRefused) {
  PrometheusOptions options;
  options.basic_auth = true;
  options.series.gauge("up_gauge", "7", window().from, window().now);
  PrometheusServer server(std::move(options));
  const auto at = time_text(window().end);

  Credentials good{PrometheusServer::kUser, PrometheusServer::kPassword, ""};
  const auto ok = PrometheusClient(connection_to(server.url()), good).instant_query("up_gauge", at);
  ASSERT_TRUE(ok.success) << ok.message;
  EXPECT_EQ(ok.value, 7);

  Credentials bad{PrometheusServer::kUser, "wrong", ""};
  const auto refused =
      PrometheusClient(connection_to(server.url()), bad).instant_query("up_gauge", at);
  EXPECT_FALSE(refused.success);
  EXPECT_EQ(
      refused.message.rfind("unable to query prometheus api: client_error: client error: 401", 0),
      0u)
      << refused.message;
  EXPECT_EQ(refused.message.find("wrong"), std::string::npos) << "a secret leaked";

  const auto anonymous =
      PrometheusClient(connection_to(server.url()), {}).instant_query("up_gauge", at);
  EXPECT_NE(anonymous.message.find("client error: 401"), std::string::npos);
}

TEST_F(PrometheusAuthTest, TlsTrustComesFromCaFileOrIsSkippedOnRequest) {
  PrometheusOptions options;
  options.tls = true;
  options.basic_auth = true;
  options.series.gauge("up_gauge", "3", window().from, window().now);
  PrometheusServer server(std::move(options));
  const auto at = time_text(window().end);
  const Credentials good{PrometheusServer::kUser, PrometheusServer::kPassword, ""};

  const auto untrusted =
      PrometheusClient(connection_to(server.url()), good).instant_query("up_gauge", at);
  EXPECT_FALSE(untrusted.success);
  EXPECT_NE(untrusted.message.find(": TLS: "), std::string::npos) << untrusted.message;

  auto trusted = connection_to(server.url());
  trusted.ca_file = server.certificate_file().string();
  const auto with_ca = PrometheusClient(trusted, good).instant_query("up_gauge", at);
  ASSERT_TRUE(with_ca.success) << with_ca.message;
  EXPECT_EQ(with_ca.value, 3);

  auto insecure = connection_to(server.url());
  insecure.insecure_skip_verify = true;
  const auto skipped = PrometheusClient(insecure, good).instant_query("up_gauge", at);
  EXPECT_TRUE(skipped.success) << skipped.message;
}

}  // namespace
}  // namespace kph::plugins::prometheus_sli
