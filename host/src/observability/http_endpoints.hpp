// The daemon's HTTP endpoints, for Kubernetes probes and Prometheus:
//   GET /healthz  200 "ok" while the process runs
//   GET /readyz   200 "ok" while the readiness check says so, else 503 "not ready: <reason>"
//   GET /metrics  the Prometheus text exposition (format 0.0.4)
// Anything else is 404, any other method on those paths 405. Served by Poco's HTTPServer on
// its own small thread pool with a short connection queue; connections beyond that are
// closed, so a flood of probes cannot take threads from the tasks. Nothing secret is served.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "common/result.hpp"

namespace Poco {
class ThreadPool;
namespace Net {
class HTTPServer;
}
}  // namespace Poco

namespace kph::host {

struct Readiness {
  bool ready = false;
  std::string reason;  // why not, in a few words, e.g. "not connected to NATS"
};

struct HttpEndpointsOptions {
  std::string address = "0.0.0.0";  // an IP of this machine, or a name resolving to one
  uint16_t port = 8080;             // 0: the kernel picks a free one (see port())
  int max_threads = 2;              // requests served at once (at least 1)
  int max_queued = 8;               // accepted connections waiting for a thread (at least 1)
  // Per socket read/write; a stalled client holds a thread no longer than this.
  std::chrono::milliseconds io_timeout = std::chrono::seconds(5);
  // How a user changes the port, named in the error when the port is taken.
  std::string port_setting = "the metrics port";
};

// Called on the HTTP threads for each request: both must be quick, must not block on I/O, and
// must not throw (a throw answers 500).
struct HttpEndpointsHandlers {
  std::function<Readiness()> readiness;  // e.g. connected to NATS and consumer bound
  std::function<std::string()> metrics;  // e.g. HostMetrics::render
};

class HttpEndpoints {
 public:
  // Throws std::invalid_argument when a handler is missing (a programming error).
  HttpEndpoints(HttpEndpointsOptions options, HttpEndpointsHandlers handlers);
  // Stops, as stop() does.
  ~HttpEndpoints();
  HttpEndpoints(const HttpEndpoints&) = delete;
  HttpEndpoints& operator=(const HttpEndpoints&) = delete;

  // Binds and starts serving; logs nothing (the caller logs endpoint()). The error names the
  // address and what to do, e.g. when another process holds the port. An error when already
  // started. Control thread.
  Status start();
  // Stops accepting, aborts open connections and joins the HTTP threads. Returns in a fraction
  // of a second (Poco's accept loop wakes every 250 ms) even while clients stall mid-request,
  // because their sockets are shut down rather than waited for. Safe to call twice or without
  // start(). Control thread.
  void stop();

  // The port actually listened on (useful with port 0); 0 when not started.
  uint16_t port() const;
  // "ip:port" as listened on, for logs; empty when not started.
  std::string endpoint() const;

 private:
  const HttpEndpointsOptions options_;
  const std::shared_ptr<const HttpEndpointsHandlers> handlers_;
  mutable std::mutex mutex_;
  std::unique_ptr<Poco::ThreadPool> pool_;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
  uint16_t port_ = 0;
  std::string endpoint_;
};

}  // namespace kph::host
