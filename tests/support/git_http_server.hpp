// A real smart-HTTP git server for integration tests of the https transport: Poco's
// HTTPServer on a free loopback port, optionally with TLS and HTTP Basic authentication, that
// hands each authenticated request to `git http-backend` (git's own CGI program) for the
// repositories under a base folder. The destructor stops it, pass or fail.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

namespace Poco::Net {
class HTTPServer;
}

namespace kph::testing {

struct GitHttpServerOptions {
  std::filesystem::path base;  // GIT_PROJECT_ROOT: the bare repositories served
  std::string user;            // when set, Basic auth with user and password is required
  std::string password;
  std::filesystem::path certificate;  // when set, HTTPS with this certificate and key
  std::filesystem::path key;
};

class GitHttpServer {
 public:
  explicit GitHttpServer(GitHttpServerOptions options);
  ~GitHttpServer();
  GitHttpServer(const GitHttpServer&) = delete;
  GitHttpServer& operator=(const GitHttpServer&) = delete;

  // http(s)://localhost:<port>/<relative>
  std::string url(const std::string& relative) const;
  // Requests refused for missing or wrong credentials, and requests served.
  int refused() const;
  int served() const;

  struct State;  // shared with the request handlers; defined in the .cpp

 private:
  std::shared_ptr<State> state_;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
  uint16_t port_ = 0;
  bool tls_ = false;
};

}  // namespace kph::testing
