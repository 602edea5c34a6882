#include "observability/http_endpoints.hpp"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/ThreadPool.h>
#include <Poco/URI.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "common/logger.hpp"

namespace kph::host {
namespace {

using Poco::Net::HTTPResponse;
using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

constexpr const char* kPlainText = "text/plain; charset=utf-8";
constexpr const char* kMetricsText = "text/plain; version=0.0.4; charset=utf-8";

void reply(HTTPServerResponse& response, HTTPResponse::HTTPStatus status,
           const std::string& content_type, const std::string& body) {
  response.setStatusAndReason(status);
  response.setContentType(content_type);
  // Probes and scrapes must see the state of now, never a proxy's copy.
  response.set("Cache-Control", "no-store");
  response.setContentLength(static_cast<std::streamsize>(body.size()));
  response.sendBuffer(body.data(), body.size());
}

class EndpointHandler final : public Poco::Net::HTTPRequestHandler {
 public:
  explicit EndpointHandler(std::shared_ptr<const HttpEndpointsHandlers> handlers)
      : handlers_(std::move(handlers)) {}

  void handleRequest(HTTPServerRequest& request, HTTPServerResponse& response) override {
    std::string path;
    try {
      path = Poco::URI(request.getURI()).getPath();
    } catch (const Poco::Exception&) {
      reply(response, HTTPResponse::HTTP_BAD_REQUEST, kPlainText, "malformed request target\n");
      return;
    }
    if (path != "/healthz" && path != "/readyz" && path != "/metrics") {
      reply(response, HTTPResponse::HTTP_NOT_FOUND, kPlainText,
            "not found; the endpoints are /healthz, /readyz and /metrics\n");
      return;
    }
    if (request.getMethod() != Poco::Net::HTTPRequest::HTTP_GET) {
      response.set("Allow", "GET");
      reply(response, HTTPResponse::HTTP_METHOD_NOT_ALLOWED, kPlainText,
            "method " + request.getMethod() + " not allowed; use GET\n");
      return;
    }
    if (path == "/healthz") {
      reply(response, HTTPResponse::HTTP_OK, kPlainText, "ok\n");
      return;
    }
    // A handler that throws must not take the connection down without an answer.
    try {
      if (path == "/readyz") {
        const Readiness readiness = handlers_->readiness();
        if (readiness.ready) {
          reply(response, HTTPResponse::HTTP_OK, kPlainText, "ok\n");
        } else {
          reply(response, HTTPResponse::HTTP_SERVICE_UNAVAILABLE, kPlainText,
                "not ready: " + (readiness.reason.empty() ? "no reason given" : readiness.reason) +
                    "\n");
        }
        return;
      }
      reply(response, HTTPResponse::HTTP_OK, kMetricsText, handlers_->metrics());
    } catch (const std::exception& e) {
      log_error("HTTP endpoint failed", {{"path", path}, {"error", e.what()}});
      if (!response.sent()) {
        reply(response, HTTPResponse::HTTP_INTERNAL_SERVER_ERROR, kPlainText,
              path.substr(1) + " failed: " + e.what() + "\n");
      }
    }
  }

 private:
  const std::shared_ptr<const HttpEndpointsHandlers> handlers_;
};

class EndpointFactory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit EndpointFactory(std::shared_ptr<const HttpEndpointsHandlers> handlers)
      : handlers_(std::move(handlers)) {}

  Poco::Net::HTTPRequestHandler* createRequestHandler(const HTTPServerRequest&) override {
    return new EndpointHandler(handlers_);
  }

 private:
  const std::shared_ptr<const HttpEndpointsHandlers> handlers_;
};

// What to do about a failed bind, by its cause.
std::string bind_advice(const Poco::Exception& e, const HttpEndpointsOptions& options) {
  switch (e.code()) {
    case EADDRINUSE:
      return "another process holds that port (`ss -ltnp 'sport = :" +
             std::to_string(options.port) + "'` shows which): stop it, or set " +
             options.port_setting + " to a free port";
    case EACCES:
      return "ports below 1024 need privileges: set " + options.port_setting +
             " to a port above 1023";
    case EADDRNOTAVAIL:
      return "that address is not one of this machine's: listen on 0.0.0.0 (every interface) "
             "or 127.0.0.1";
    default:
      return "check the address and " + options.port_setting;
  }
}

}  // namespace

HttpEndpoints::HttpEndpoints(HttpEndpointsOptions options, HttpEndpointsHandlers handlers)
    : options_(std::move(options)),
      handlers_(std::make_shared<const HttpEndpointsHandlers>(std::move(handlers))) {
  if (!handlers_->readiness || !handlers_->metrics) {
    throw std::invalid_argument("HttpEndpoints needs both a readiness and a metrics handler");
  }
}

HttpEndpoints::~HttpEndpoints() { stop(); }

Status HttpEndpoints::start() {
  std::lock_guard lock(mutex_);
  const std::string wanted = options_.address + ":" + std::to_string(options_.port);
  if (server_) return Error{"HTTP endpoints: already listening on " + endpoint_ + "; stop first"};

  Poco::Net::ServerSocket socket;
  try {
    const Poco::Net::SocketAddress address(options_.address, options_.port);
    // Poco's convenience constructor also sets SO_REUSEPORT, which would let a second host
    // share the port silently (and split the scrapes) instead of failing here.
    socket.bind(address, /*reuseAddress=*/true, /*reusePort=*/false);
    socket.listen(64);
  } catch (const Poco::Net::HostNotFoundException&) {
    return Error{"HTTP endpoints: cannot listen on " + wanted + ": the address '" +
                 options_.address + "' does not resolve; use an IP such as 0.0.0.0 or 127.0.0.1"};
  } catch (const Poco::Exception& e) {
    // Poco's own message repeats the address; the system's error text is enough.
    const std::string cause = e.code() > 0 ? std::strerror(e.code()) : e.message();
    return Error{"HTTP endpoints: cannot listen on " + wanted + ": " + cause + "; " +
                 bind_advice(e, options_)};
  }

  // Poco asserts on a pool without threads; a zero from config means "the least".
  const int threads = std::max(1, options_.max_threads);
  auto params = Poco::Net::HTTPServerParams::Ptr(new Poco::Net::HTTPServerParams);
  params->setMaxThreads(threads);
  params->setMaxQueued(std::max(1, options_.max_queued));
  params->setTimeout(Poco::Timespan(options_.io_timeout.count() * 1000));
  // One request per connection: an idle keep-alive connection would hold one of the few
  // threads between scrapes.
  params->setKeepAlive(false);

  pool_ = std::make_unique<Poco::ThreadPool>("kph-http", 1, threads);
  server_ = std::make_unique<Poco::Net::HTTPServer>(new EndpointFactory(handlers_), *pool_, socket,
                                                    params);
  server_->start();
  port_ = socket.address().port();
  endpoint_ = socket.address().toString();
  return ok_status();
}

void HttpEndpoints::stop() {
  std::unique_ptr<Poco::Net::HTTPServer> server;
  std::unique_ptr<Poco::ThreadPool> pool;
  {
    std::lock_guard lock(mutex_);
    server = std::move(server_);
    pool = std::move(pool_);
    port_ = 0;
    endpoint_.clear();
  }
  if (!server) return;
  // Aborting shuts down the sockets of requests in progress, so a stalled client cannot hold
  // the shutdown; the pool's threads then finish at once.
  server->stopAll(/*abortCurrent=*/true);
  server.reset();
  pool->joinAll();
}

uint16_t HttpEndpoints::port() const {
  std::lock_guard lock(mutex_);
  return port_;
}

std::string HttpEndpoints::endpoint() const {
  std::lock_guard lock(mutex_);
  return endpoint_;
}

}  // namespace kph::host
