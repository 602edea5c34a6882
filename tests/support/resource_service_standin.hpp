// A STAND-IN for Keptn's resource-service, which cannot run here (it needs a Kubernetes
// cluster, NATS and a git server behind it). It is a real HTTP(S) server on a free loopback
// port (Poco HTTPServer) that follows ../shared/reference/keptn-protocol.md section 6.1:
//   GET /v1/project/{p}[/stage/{s}[/service/{v}]]/resource/{percent-encoded URI}[?gitCommitID=]
// answers 200 {"resourceURI", "resourceContent": <base64>, "metadata": {...}}, 404 when the
// file is missing, 400 for a URI with ".." or "~", and 401 without the right x-token, each
// with Keptn's {"code", "message"} error body. Only what the provider reads is modelled: no
// writes, no listing.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace Poco::Net {
class HTTPServer;
}

namespace kph::testing {

struct ResourceServiceStandInOptions {
  std::string token;  // when set, requests must carry it as x-token (else 401)
  // When set, HTTPS with this certificate and key (see make_test_certificate).
  std::filesystem::path certificate;
  std::filesystem::path key;
  std::string path_prefix;  // e.g. "/api/resource-service", as behind the Keptn API gateway
};

class ResourceServiceStandIn {
 public:
  explicit ResourceServiceStandIn(ResourceServiceStandInOptions options = {});
  // Stops the server; held requests are released first.
  ~ResourceServiceStandIn();
  ResourceServiceStandIn(const ResourceServiceStandIn&) = delete;
  ResourceServiceStandIn& operator=(const ResourceServiceStandIn&) = delete;

  // Adds a file. An empty service makes it stage level; an empty stage project level. With a
  // commit, it is served only to requests with that gitCommitID; without, only to requests
  // without one (the branch head).
  void put(const std::string& project, const std::string& stage, const std::string& service,
           const std::string& uri, const std::string& content, const std::string& commit = "");
  // The next `count` requests are answered with `status` (e.g. 503) and an error body.
  void fail_next(int count, int status);
  // While held, requests wait (until released or the server stops) before being answered.
  void hold(bool on);

  // The raw request targets received so far (path and query, as sent), in order.
  std::vector<std::string> targets() const;
  size_t request_count() const;

  uint16_t port() const { return port_; }
  // http(s)://localhost:<port><path_prefix>
  std::string url() const;

  struct State;  // shared with the request handlers; defined in the .cpp

 private:
  std::shared_ptr<State> state_;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
  uint16_t port_ = 0;
  bool tls_ = false;
  std::string prefix_;
};

}  // namespace kph::testing
