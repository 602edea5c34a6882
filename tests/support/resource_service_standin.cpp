#include "support/resource_service_standin.hpp"

#include <Poco/Base64Encoder.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/URI.h>

#include <condition_variable>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <tuple>

namespace kph::testing {

using Key = std::tuple<std::string, std::string, std::string, std::string, std::string>;

struct ResourceServiceStandIn::State {
  std::string token;
  std::string prefix;
  mutable std::mutex mutex;
  std::condition_variable released;
  bool held = false;
  bool stopping = false;
  int failures_left = 0;
  int failure_status = 503;
  std::map<Key, std::string> files;  // (commit, project, stage, service, uri)
  std::vector<std::string> targets;
};

namespace {

std::string base64(const std::string& bytes) {
  std::ostringstream out;
  Poco::Base64Encoder encoder(out);
  encoder.rdbuf()->setLineLength(0);
  encoder << bytes;
  encoder.close();
  return out.str();
}

void send_json(Poco::Net::HTTPServerResponse& response, int status, const nlohmann::json& body) {
  response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
  response.setContentType("application/json");
  const std::string text = body.dump();
  response.setContentLength(static_cast<std::streamsize>(text.size()));
  response.send() << text;
}

void send_error(Poco::Net::HTTPServerResponse& response, int status, const std::string& message) {
  send_json(response, status, {{"code", status}, {"message", message}});
}

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> out;
  std::string segment;
  std::istringstream in(path);
  while (std::getline(in, segment, '/')) out.push_back(segment);
  return out;
}

class Handler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit Handler(std::shared_ptr<ResourceServiceStandIn::State> state)
      : state_(std::move(state)) {}

  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override {
    auto& s = *state_;
    const std::string target = request.getURI();
    int fail_status = 0;
    {
      std::unique_lock<std::mutex> lock(s.mutex);
      s.targets.push_back(target);
      s.released.wait(lock, [&] { return !s.held || s.stopping; });
      if (s.failures_left > 0) {
        --s.failures_left;
        fail_status = s.failure_status;
      }
    }
    if (fail_status != 0) return send_error(response, fail_status, "stand-in: failing on purpose");
    if (request.getMethod() != Poco::Net::HTTPRequest::HTTP_GET) {
      return send_error(response, 405, "method not allowed");
    }
    if (!s.token.empty() && request.get("x-token", "") != s.token) {
      return send_error(response, 401, "missing or invalid API token");
    }

    const size_t question = target.find('?');
    std::string path = target.substr(0, question);
    std::string commit;
    if (question != std::string::npos) {
      for (const auto& [name, value] : Poco::URI(target).getQueryParameters()) {
        if (name == "gitCommitID") commit = value;
      }
    }
    if (!path.starts_with(s.prefix + "/v1/project/")) {
      return send_error(response, 404, "no such endpoint");
    }
    path = path.substr(s.prefix.size());
    // The raw segments: a percent-encoded '/' stays inside its segment until decoded here.
    auto segments = split_path(path);  // "", "v1", "project", p, ...
    for (auto& segment : segments) {
      std::string decoded;
      Poco::URI::decode(segment, decoded);
      segment = decoded;
    }
    std::string project, stage, service, uri;
    const size_t n = segments.size();
    if (n == 6 && segments[4] == "resource") {
      project = segments[3];
      uri = segments[5];
    } else if (n == 8 && segments[4] == "stage" && segments[6] == "resource") {
      project = segments[3];
      stage = segments[5];
      uri = segments[7];
    } else if (n == 10 && segments[4] == "stage" && segments[6] == "service" &&
               segments[8] == "resource") {
      project = segments[3];
      stage = segments[5];
      service = segments[7];
      uri = segments[9];
    } else {
      return send_error(response, 404, "no such endpoint");
    }
    if (uri.find("..") != std::string::npos || uri.find('~') != std::string::npos) {
      return send_error(response, 400, "Invalid resource URI");
    }
    std::string content;
    {
      std::lock_guard<std::mutex> lock(s.mutex);
      auto it = s.files.find(Key{commit, project, stage, service, uri});
      if (it == s.files.end()) return send_error(response, 404, "Could not find resource");
      content = it->second;
    }
    send_json(
        response, 200,
        {{"resourceURI", uri},
         {"resourceContent", base64(content)},
         {"metadata",
          {{"upstreamURL", "https://git.example.com/keptn/" + project + ".git"},
           {"version", commit.empty() ? "0000000000000000000000000000000000000000" : commit}}}});
  }

 private:
  std::shared_ptr<ResourceServiceStandIn::State> state_;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(std::shared_ptr<ResourceServiceStandIn::State> state)
      : state_(std::move(state)) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new Handler(state_);
  }

 private:
  std::shared_ptr<ResourceServiceStandIn::State> state_;
};

}  // namespace

ResourceServiceStandIn::ResourceServiceStandIn(ResourceServiceStandInOptions options)
    : state_(std::make_shared<State>()), prefix_(options.path_prefix) {
  state_->token = options.token;
  state_->prefix = options.path_prefix;
  const Poco::Net::SocketAddress address("127.0.0.1", 0);
  Poco::Net::ServerSocket socket;
  if (!options.certificate.empty()) {
    tls_ = true;
    Poco::Net::Context::Ptr context =
        new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, options.key.string(),
                               options.certificate.string(), "", Poco::Net::Context::VERIFY_NONE);
    socket = Poco::Net::SecureServerSocket(address, 64, context);
  } else {
    socket = Poco::Net::ServerSocket(address);
  }
  port_ = socket.address().port();
  auto* params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(8);
  params->setKeepAlive(false);
  server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(state_), socket, params);
  server_->start();
}

ResourceServiceStandIn::~ResourceServiceStandIn() {
  {
    std::lock_guard<std::mutex> lock(state_->mutex);
    state_->stopping = true;
  }
  state_->released.notify_all();
  server_->stopAll(true);
}

void ResourceServiceStandIn::put(const std::string& project, const std::string& stage,
                                 const std::string& service, const std::string& uri,
                                 const std::string& content, const std::string& commit) {
  std::lock_guard<std::mutex> lock(state_->mutex);
  state_->files[Key{commit, project, stage, service, uri}] = content;
}

void ResourceServiceStandIn::fail_next(int count, int status) {
  std::lock_guard<std::mutex> lock(state_->mutex);
  state_->failures_left = count;
  state_->failure_status = status;
}

void ResourceServiceStandIn::hold(bool on) {
  {
    std::lock_guard<std::mutex> lock(state_->mutex);
    state_->held = on;
  }
  state_->released.notify_all();
}

std::vector<std::string> ResourceServiceStandIn::targets() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  return state_->targets;
}

size_t ResourceServiceStandIn::request_count() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  return state_->targets.size();
}

std::string ResourceServiceStandIn::url() const {
  // The certificate names localhost; plain HTTP avoids name resolution altogether.
  return std::string(tls_ ? "https://localhost:" : "http://127.0.0.1:") + std::to_string(port_) +
         prefix_;
}

}  // namespace kph::testing
