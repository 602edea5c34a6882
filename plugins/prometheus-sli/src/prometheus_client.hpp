// The HTTP side: one instant query against a Prometheus HTTP API, over HTTP or HTTPS, with
// basic auth or a bearer token, bounded by the connection's timeouts. Every failure comes back
// as an IndicatorOutcome; nothing throws.
#pragma once

#include <string>

#include "query_reply.hpp"
#include "settings.hpp"

namespace kph::plugins::prometheus_sli {

class PrometheusClient {
 public:
  PrometheusClient(Connection connection, Credentials credentials);

  // POST <url>/api/v1/query with query and time (form-encoded, with any query parameters of
  // the configured URL). A 405 or 501 is retried once as GET; redirects are followed up to 5
  // times, with credentials only while the scheme, host and port stay the same.
  // Thread: any; one client may serve several threads.
  IndicatorOutcome instant_query(const std::string& query, const std::string& time) const;

 private:
  Connection connection_;
  Credentials credentials_;
};

// Poco's SSL library needs one initialisation per process user; this holds one for as long as
// it lives.
class SslLibrary {
 public:
  SslLibrary();
  ~SslLibrary();
  SslLibrary(const SslLibrary&) = delete;
  SslLibrary& operator=(const SslLibrary&) = delete;
};

}  // namespace kph::plugins::prometheus_sli
