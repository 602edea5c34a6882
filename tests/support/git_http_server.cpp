#include "support/git_http_server.hpp"

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPBasicCredentials.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <atomic>
#include <sstream>

#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace kph::testing {

struct GitHttpServer::State {
  GitHttpServerOptions options;
  TempDir home;
  std::atomic<int> refused{0};
  std::atomic<int> served{0};
};

namespace {

bool authorized(const GitHttpServer::State& s, const Poco::Net::HTTPServerRequest& request) {
  if (s.options.user.empty()) return true;
  if (!request.hasCredentials()) return false;
  try {
    const Poco::Net::HTTPBasicCredentials credentials(request);
    return credentials.getUsername() == s.options.user &&
           credentials.getPassword() == s.options.password;
  } catch (...) {
    return false;
  }
}

class Handler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit Handler(std::shared_ptr<GitHttpServer::State> state) : state_(std::move(state)) {}

  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override {
    auto& s = *state_;
    if (!authorized(s, request)) {
      ++s.refused;
      response.setStatus(Poco::Net::HTTPResponse::HTTP_UNAUTHORIZED);
      response.set("WWW-Authenticate", "Basic realm=\"git\"");
      response.setContentLength(0);
      response.send();
      return;
    }
    std::string body;
    Poco::StreamCopier::copyToString(request.stream(), body);
    const Poco::URI uri(request.getURI());
    ProcessOptions cgi;
    cgi.input = body;
    cgi.kill_after = std::chrono::seconds(60);
    cgi.environment = {{"GIT_PROJECT_ROOT", s.options.base.string()},
                       {"GIT_HTTP_EXPORT_ALL", "1"},
                       {"GIT_CONFIG_NOSYSTEM", "1"},
                       {"HOME", s.home.path().string()},
                       {"REQUEST_METHOD", request.getMethod()},
                       {"PATH_INFO", uri.getPath()},
                       {"QUERY_STRING", uri.getRawQuery()},
                       {"CONTENT_TYPE", request.getContentType()},
                       {"CONTENT_LENGTH", std::to_string(body.size())},
                       {"HTTP_CONTENT_ENCODING", request.get("Content-Encoding", "")},
                       {"GIT_PROTOCOL", request.get("Git-Protocol", "")},
                       {"REMOTE_USER", s.options.user},
                       {"REMOTE_ADDR", "127.0.0.1"}};
    const auto result = run_process("git", {"http-backend"}, cgi);
    // CGI output: header lines, an empty line, the body.
    const std::string& out = result.out;
    size_t header_end = out.find("\r\n\r\n");
    size_t body_start = header_end == std::string::npos ? std::string::npos : header_end + 4;
    if (header_end == std::string::npos) {
      header_end = out.find("\n\n");
      body_start = header_end == std::string::npos ? std::string::npos : header_end + 2;
    }
    if (result.exit_code != 0 || header_end == std::string::npos) {
      response.setStatus(Poco::Net::HTTPResponse::HTTP_INTERNAL_SERVER_ERROR);
      response.send() << "git http-backend failed: " << result.err;
      return;
    }
    std::istringstream headers(out.substr(0, header_end));
    for (std::string line; std::getline(headers, line);) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      const size_t colon = line.find(':');
      if (colon == std::string::npos) continue;
      const std::string name = line.substr(0, colon);
      std::string value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      if (name == "Status") {
        response.setStatusAndReason(
            static_cast<Poco::Net::HTTPResponse::HTTPStatus>(std::stoi(value.substr(0, 3))));
      } else {
        response.set(name, value);
      }
    }
    ++s.served;
    const std::string payload = out.substr(body_start);
    response.setContentLength(static_cast<std::streamsize>(payload.size()));
    response.send() << payload;
  }

 private:
  std::shared_ptr<GitHttpServer::State> state_;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(std::shared_ptr<GitHttpServer::State> state) : state_(std::move(state)) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new Handler(state_);
  }

 private:
  std::shared_ptr<GitHttpServer::State> state_;
};

}  // namespace

GitHttpServer::GitHttpServer(GitHttpServerOptions options) : state_(std::make_shared<State>()) {
  state_->options = std::move(options);
  const Poco::Net::SocketAddress address("127.0.0.1", 0);
  Poco::Net::ServerSocket socket;
  if (!state_->options.certificate.empty()) {
    tls_ = true;
    Poco::Net::Context::Ptr context = new Poco::Net::Context(
        Poco::Net::Context::TLS_SERVER_USE, state_->options.key.string(),
        state_->options.certificate.string(), "", Poco::Net::Context::VERIFY_NONE);
    socket = Poco::Net::SecureServerSocket(address, 64, context);
  } else {
    socket = Poco::Net::ServerSocket(address);
  }
  port_ = socket.address().port();
  auto* params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(4);
  params->setKeepAlive(false);
  server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(state_), socket, params);
  server_->start();
}

GitHttpServer::~GitHttpServer() { server_->stopAll(true); }

std::string GitHttpServer::url(const std::string& relative) const {
  return std::string(tls_ ? "https" : "http") + "://localhost:" + std::to_string(port_) + "/" +
         relative;
}

int GitHttpServer::refused() const { return state_->refused.load(); }
int GitHttpServer::served() const { return state_->served.load(); }

}  // namespace kph::testing
