#include "observability/http_endpoints.hpp"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <stdexcept>
#include <vector>

#include "observability/host_metrics.hpp"
#include "support/net.hpp"

namespace kph::host {
namespace {

using namespace std::chrono_literals;
using Poco::Net::HTTPRequest;

struct Reply {
  int status = 0;
  std::string content_type;
  std::string allow;
  std::string body;
};

Reply request(uint16_t port, const std::string& method, const std::string& path) {
  Poco::Net::HTTPClientSession session("127.0.0.1", port);
  session.setTimeout(Poco::Timespan(10, 0));
  HTTPRequest req(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
  session.sendRequest(req);
  Poco::Net::HTTPResponse response;
  std::istream& body = session.receiveResponse(response);
  Reply reply;
  reply.status = response.getStatus();
  reply.content_type = response.getContentType();
  reply.allow = response.get("Allow", "");
  Poco::StreamCopier::copyToString(body, reply.body);
  return reply;
}

Reply get(uint16_t port, const std::string& path) {
  return request(port, HTTPRequest::HTTP_GET, path);
}

// A server on a kernel-picked loopback port, with readiness the test flips.
struct Fixture {
  std::atomic<bool> ready{false};
  std::string metrics_text = "# HELP demo_total Demo.\n# TYPE demo_total counter\ndemo_total 7\n";
  HttpEndpoints endpoints;

  explicit Fixture(HttpEndpointsOptions options = loopback())
      : endpoints(std::move(options),
                  {[this] {
                     return ready ? Readiness{true, ""} : Readiness{false, "not connected to NATS"};
                   },
                   [this] { return metrics_text; }}) {}

  static HttpEndpointsOptions loopback() {
    HttpEndpointsOptions options;
    options.address = "127.0.0.1";
    options.port = 0;
    return options;
  }
};

TEST(HttpEndpoints, HealthzAnswersOkWhileRunning) {
  Fixture f;
  ASSERT_TRUE(f.endpoints.start().ok());
  ASSERT_NE(f.endpoints.port(), 0);
  const Reply reply = get(f.endpoints.port(), "/healthz");
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body, "ok\n");
  EXPECT_EQ(reply.content_type, "text/plain; charset=utf-8");
}

TEST(HttpEndpoints, ReadyzFollowsTheReadinessCheck) {
  Fixture f;
  ASSERT_TRUE(f.endpoints.start().ok());
  const uint16_t port = f.endpoints.port();

  Reply reply = get(port, "/readyz");
  EXPECT_EQ(reply.status, 503);
  EXPECT_EQ(reply.body, "not ready: not connected to NATS\n");

  f.ready = true;
  reply = get(port, "/readyz");
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body, "ok\n");

  f.ready = false;
  EXPECT_EQ(get(port, "/readyz").status, 503);
  // Liveness does not depend on readiness.
  EXPECT_EQ(get(port, "/healthz").status, 200);
}

TEST(HttpEndpoints, MetricsServesTheTextWithThePrometheusContentType) {
  Fixture f;
  ASSERT_TRUE(f.endpoints.start().ok());
  const Reply reply = get(f.endpoints.port(), "/metrics");
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.content_type, "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_EQ(reply.body, f.metrics_text);
  // A query string does not change the resource.
  EXPECT_EQ(get(f.endpoints.port(), "/metrics?name[]=x").body, f.metrics_text);
}

TEST(HttpEndpoints, ServesHostMetricsEndToEnd) {
  HostMetrics metrics;
  metrics.add_plugin("approval");
  HttpEndpoints endpoints(Fixture::loopback(), {[] {
                                                  return Readiness{true, ""};
                                                },
                                                [&] { return metrics.render(); }});
  ASSERT_TRUE(endpoints.start().ok());
  metrics.task_received("approval");
  metrics.task_received("approval");
  const Reply reply = get(endpoints.port(), "/metrics");
  EXPECT_EQ(reply.body, metrics.render());
  EXPECT_NE(reply.body.find("keptn_host_tasks_received_total{plugin=\"approval\"} 2\n"),
            std::string::npos);
}

TEST(HttpEndpoints, UnknownPathsAre404) {
  Fixture f;
  ASSERT_TRUE(f.endpoints.start().ok());
  for (const char* path : {"/", "/metrics/", "/health", "/readyz/x", "/favicon.ico"}) {
    const Reply reply = get(f.endpoints.port(), path);
    EXPECT_EQ(reply.status, 404) << path;
    EXPECT_EQ(reply.body, "not found; the endpoints are /healthz, /readyz and /metrics\n");
  }
  // An unknown path stays 404 whatever the method.
  EXPECT_EQ(request(f.endpoints.port(), HTTPRequest::HTTP_POST, "/nothing").status, 404);
}

TEST(HttpEndpoints, OtherMethodsThanGetAre405) {
  Fixture f;
  ASSERT_TRUE(f.endpoints.start().ok());
  for (const std::string& method : {HTTPRequest::HTTP_POST, HTTPRequest::HTTP_PUT,
                                    HTTPRequest::HTTP_DELETE, HTTPRequest::HTTP_HEAD}) {
    for (const char* path : {"/healthz", "/readyz", "/metrics"}) {
      const Reply reply = request(f.endpoints.port(), method, path);
      EXPECT_EQ(reply.status, 405) << method << " " << path;
      EXPECT_EQ(reply.allow, "GET") << method << " " << path;
    }
  }
  EXPECT_EQ(request(f.endpoints.port(), HTTPRequest::HTTP_POST, "/metrics").body,
            "method POST not allowed; use GET\n");
}

TEST(HttpEndpoints, AThrowingHandlerAnswers500AndTheServerGoesOn) {
  HttpEndpoints endpoints(Fixture::loopback(),
                          {[]() -> Readiness { throw std::runtime_error("readiness broke"); },
                           []() -> std::string { throw std::runtime_error("render broke"); }});
  ASSERT_TRUE(endpoints.start().ok());
  Reply reply = get(endpoints.port(), "/metrics");
  EXPECT_EQ(reply.status, 500);
  EXPECT_EQ(reply.body, "metrics failed: render broke\n");
  reply = get(endpoints.port(), "/readyz");
  EXPECT_EQ(reply.status, 500);
  EXPECT_EQ(get(endpoints.port(), "/healthz").status, 200);
}

TEST(HttpEndpoints, PortInUseIsAClearErrorAndTheFirstServerKeepsIt) {
  Fixture first;
  ASSERT_TRUE(first.endpoints.start().ok());
  const uint16_t port = first.endpoints.port();

  HttpEndpointsOptions options = Fixture::loopback();
  options.port = port;
  options.port_setting = "http.port in the host config";
  Fixture second(options);
  const Status started = second.endpoints.start();
  ASSERT_FALSE(started.ok());
  const std::string& message = started.error().message;
  EXPECT_NE(message.find("cannot listen on 127.0.0.1:" + std::to_string(port)), std::string::npos)
      << message;
  EXPECT_NE(message.find("already in use"), std::string::npos) << message;
  EXPECT_NE(message.find("set http.port in the host config to a free port"), std::string::npos)
      << message;
  EXPECT_EQ(second.endpoints.port(), 0);

  // Without SO_REUSEPORT the second bind cannot steal or share the port: every request still
  // reaches the first server.
  first.metrics_text = "first\n";
  for (int i = 0; i < 5; ++i) EXPECT_EQ(get(port, "/metrics").body, "first\n");
}

TEST(HttpEndpoints, PortHeldByAnotherSocketIsReported) {
  Poco::Net::ServerSocket holder(Poco::Net::SocketAddress("127.0.0.1", 0));
  HttpEndpointsOptions options = Fixture::loopback();
  options.port = holder.address().port();
  Fixture f(options);
  const Status started = f.endpoints.start();
  ASSERT_FALSE(started.ok());
  EXPECT_NE(started.error().message.find("127.0.0.1:" + std::to_string(options.port)),
            std::string::npos)
      << started.error().message;
}

TEST(HttpEndpoints, UnresolvableAddressIsAClearError) {
  HttpEndpointsOptions options = Fixture::loopback();
  options.address = "no-such-host.invalid";
  Fixture f(options);
  const Status started = f.endpoints.start();
  ASSERT_FALSE(started.ok());
  EXPECT_NE(started.error().message.find("no-such-host.invalid"), std::string::npos)
      << started.error().message;
  EXPECT_NE(started.error().message.find("0.0.0.0 or 127.0.0.1"), std::string::npos)
      << started.error().message;
}

TEST(HttpEndpoints, StartTwiceIsRefused) {
  Fixture f;
  ASSERT_TRUE(f.endpoints.start().ok());
  const Status again = f.endpoints.start();
  ASSERT_FALSE(again.ok());
  EXPECT_NE(again.error().message.find("already listening on 127.0.0.1:"), std::string::npos);
}

TEST(HttpEndpoints, StopReleasesThePortAndCanBeRepeated) {
  Fixture f;
  f.endpoints.stop();  // before start: nothing to do
  ASSERT_TRUE(f.endpoints.start().ok());
  const uint16_t port = f.endpoints.port();
  f.endpoints.stop();
  f.endpoints.stop();
  EXPECT_EQ(f.endpoints.port(), 0);
  EXPECT_FALSE(kph::testing::port_open(port));
  // And it starts again.
  ASSERT_TRUE(f.endpoints.start().ok());
  EXPECT_EQ(get(f.endpoints.port(), "/healthz").status, 200);
}

TEST(HttpEndpoints, StopReturnsWhileStalledClientsHoldEveryThreadAndTheQueue) {
  HttpEndpointsOptions options = Fixture::loopback();
  options.max_threads = 2;
  options.max_queued = 2;
  options.io_timeout = std::chrono::minutes(10);  // only the abort on stop can free them
  Fixture f(options);
  ASSERT_TRUE(f.endpoints.start().ok());
  const uint16_t port = f.endpoints.port();

  // Connections that never send a request: two occupy the threads, the rest wait or are
  // turned away.
  std::vector<std::unique_ptr<Poco::Net::StreamSocket>> stalled;
  for (int i = 0; i < 6; ++i) {
    stalled.push_back(
        std::make_unique<Poco::Net::StreamSocket>(Poco::Net::SocketAddress("127.0.0.1", port)));
  }
  // Partial request lines too, so a handler thread is mid-read.
  stalled.front()->sendBytes("GET /metr", 9);

  f.endpoints.stop();
  EXPECT_EQ(f.endpoints.port(), 0);
  EXPECT_FALSE(kph::testing::port_open(port));
}

TEST(HttpEndpoints, ZeroLimitsStillServeOneRequestAtATime) {
  HttpEndpointsOptions options = Fixture::loopback();
  options.max_threads = 0;
  options.max_queued = 0;
  Fixture f(options);
  ASSERT_TRUE(f.endpoints.start().ok());
  EXPECT_EQ(get(f.endpoints.port(), "/healthz").status, 200);
  EXPECT_EQ(get(f.endpoints.port(), "/healthz").status, 200);
}

TEST(HttpEndpoints, MissingHandlersAreAProgrammingError) {
  EXPECT_THROW(HttpEndpoints(Fixture::loopback(), {nullptr, [] { return std::string(); }}),
               std::invalid_argument);
  EXPECT_THROW(HttpEndpoints(Fixture::loopback(), {[] { return Readiness{}; }, nullptr}),
               std::invalid_argument);
}

}  // namespace
}  // namespace kph::host
