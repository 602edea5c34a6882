#include "resources/resource_service_provider.hpp"

#include <Poco/Base64Decoder.h>
#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLException.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/URI.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "config/duration.hpp"
#include "resources/resource_service_path.hpp"
#include "transport/nats/secret.hpp"

namespace kph::host {
namespace {

using Clock = std::chrono::steady_clock;

// Base64 grows content by 4/3; the JSON around it is small.
constexpr size_t kMaxReplyBytes = kMaxResourceBytes / 3 * 4 + 64 * 1024;

Poco::Timespan timespan(std::chrono::milliseconds ms) {
  return Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(ms.count()) * 1000);
}

// The server's own words from a Keptn error body ({"code": 404, "message": "..."}), short.
std::string server_message(const std::string& body) {
  auto json = nlohmann::json::parse(body, nullptr, false);
  std::string message;
  if (json.is_object() && json.contains("message") && json["message"].is_string()) {
    message = json["message"].get<std::string>();
  } else if (!json.is_discarded() || body.empty()) {
    return "";
  } else {
    message = body;
  }
  if (message.size() > 200) message = message.substr(0, 200) + "...";
  for (char& c : message) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  return message.empty() ? "" : " (the server says: " + message + ")";
}

bool should_retry(int status) { return status == 429 || status >= 500; }

}  // namespace

Result<std::unique_ptr<ResourceServiceProvider>> ResourceServiceProvider::create(
    const ResourceServiceConfig& config, std::string setting) {
  std::unique_ptr<ResourceServiceProvider> provider(
      new ResourceServiceProvider(config, std::move(setting)));
  const std::string& where = provider->setting_;
  try {
    const Poco::URI uri(config.url);
    provider->scheme_ = uri.getScheme();
    provider->host_ = uri.getHost();
    provider->port_ = uri.getPort();
    provider->base_path_ = uri.getPath();
    while (!provider->base_path_.empty() && provider->base_path_.back() == '/') {
      provider->base_path_.pop_back();
    }
  } catch (const Poco::Exception& e) {
    return Error{where + ".url \"" + config.url + "\" cannot be parsed: " + e.displayText() +
                 "; expected e.g. http://resource-service:8080"};
  }
  if ((provider->scheme_ != "http" && provider->scheme_ != "https") || provider->host_.empty()) {
    return Error{where + ".url \"" + config.url +
                 "\" is not an http or https URL with a host; expected e.g. "
                 "http://resource-service:8080"};
  }
  if (provider->scheme_ == "https") {
    try {
      Poco::Net::Context::Params params;
      params.caLocation = config.ca_file.string();
      params.loadDefaultCAs = true;
      params.verificationMode = Poco::Net::Context::VERIFY_RELAXED;
      provider->tls_ = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
    } catch (const Poco::Exception& e) {
      return Error{where + ".caFile " + config.ca_file.string() + " cannot be loaded: " +
                   e.displayText() + "; expected a PEM file of CA certificates"};
    }
  }
  return provider;
}

ResourceServiceProvider::ResourceServiceProvider(ResourceServiceConfig config, std::string setting)
    : config_(std::move(config)), setting_(std::move(setting)) {
  Poco::Net::initializeSSL();
}

ResourceServiceProvider::~ResourceServiceProvider() {
  tls_.reset();
  Poco::Net::uninitializeSSL();
}

Result<std::optional<std::string>> ResourceServiceProvider::get(const ResourceRequest& request) {
  auto levels = lookup_levels(request);
  if (!levels) return levels.error();
  std::string token;
  if (!config_.token.empty()) {
    // Read for every request, so that a rotated token file is picked up without a restart.
    auto value = nats::read_secret(config_.token, setting_ + ".token");
    if (!value) return value.error();
    token = std::move(*value);
  }
  for (const ResourceLevel level : *levels) {
    auto content = get_level(request, level, token);
    if (!content || content->has_value()) return content;
  }
  return std::optional<std::string>();
}

Result<std::optional<std::string>> ResourceServiceProvider::get_level(
    const ResourceRequest& request, ResourceLevel level, const std::string& token) {
  const std::string target = resource_service_target(base_path_, request, level);
  // The URL in messages: no token ever travels in it.
  const std::string shown = scheme_ + "://" + host_ + ":" + std::to_string(port_) + target;
  const int attempts = static_cast<int>(config_.retries) + 1;
  auto delay = config_.retry_delay;
  std::string last_failure;
  for (int attempt = 1; attempt <= attempts; ++attempt) {
    if (attempt > 1) {
      std::this_thread::sleep_for(delay);
      delay *= 2;
    }
    Reply reply;
    try {
      reply = exchange(target, token);
    } catch (const Poco::TimeoutException&) {
      last_failure = "no reply within " + config::format_duration(config_.timeout) + " (raise " +
                     setting_ + ".timeout if the service is slow)";
      continue;
    } catch (const Poco::Net::SSLException& e) {
      // A certificate problem does not heal by retrying.
      return Error{"GET " + shown + " failed: TLS: " + e.displayText() +
                   "; trust the server's CA with " + setting_ +
                   ".caFile, or check the URL's host name"};
    } catch (const Poco::DataException& e) {
      return Error{"GET " + shown + " failed: " + e.displayText() +
                   "; expected a resource of at most " + std::to_string(kMaxResourceBytes) +
                   " bytes"};
    } catch (const Poco::Exception& e) {
      last_failure = e.displayText() + " (check " + setting_ + ".url and that the service runs)";
      continue;
    } catch (const std::exception& e) {
      last_failure = e.what();
      continue;
    }
    if (reply.status == 404) return std::optional<std::string>();
    if (reply.status == 401 || reply.status == 403) {
      return Error{"GET " + shown + " was refused with HTTP " + std::to_string(reply.status) +
                   server_message(reply.body) + "; " +
                   (token.empty() ? "the request carried no x-token: set " + setting_ +
                                        ".token: {file: ...} or {env: ...} to a Keptn API token"
                                  : "the x-token from " + setting_ +
                                        ".token is not accepted: set it to a valid Keptn API "
                                        "token")};
    }
    if (should_retry(reply.status)) {
      last_failure = "HTTP " + std::to_string(reply.status) + server_message(reply.body);
      continue;
    }
    if (reply.status != 200) {
      return Error{"GET " + shown + " answered HTTP " + std::to_string(reply.status) +
                   server_message(reply.body) +
                   "; expected 200 or 404; check the resource URI and " + setting_ + ".url"};
    }
    auto json = nlohmann::json::parse(reply.body, nullptr, false);
    if (!json.is_object() || !json.contains("resourceContent") ||
        !json["resourceContent"].is_string()) {
      return Error{"GET " + shown +
                   " answered 200 without a resourceContent string; expected "
                   "{\"resourceURI\": ..., \"resourceContent\": \"<base64>\"}; check that " +
                   setting_ + ".url points at Keptn's resource-service"};
    }
    std::istringstream encoded(json["resourceContent"].get<std::string>());
    Poco::Base64Decoder decoder(encoded);
    std::string content;
    try {
      content.assign(std::istreambuf_iterator<char>(decoder), std::istreambuf_iterator<char>());
    } catch (const Poco::Exception& e) {
      return Error{"GET " + shown + " answered a resourceContent that is not base64 (" +
                   e.displayText() + "); expected the file's bytes in base64"};
    }
    return std::optional<std::string>(std::move(content));
  }
  return Error{"GET " + shown + " failed after " + std::to_string(attempts) +
               (attempts == 1 ? " attempt: " : " attempts: ") + last_failure};
}

ResourceServiceProvider::Reply ResourceServiceProvider::exchange(const std::string& target,
                                                                 const std::string& token) const {
  std::unique_ptr<Poco::Net::HTTPClientSession> session;
  if (tls_) {
    session = std::make_unique<Poco::Net::HTTPSClientSession>(host_, port_, tls_);
  } else {
    session = std::make_unique<Poco::Net::HTTPClientSession>(host_, port_);
  }
  const auto deadline = Clock::now() + config_.timeout;
  session->setTimeout(timespan(config_.timeout), timespan(config_.timeout),
                      timespan(config_.timeout));
  Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, target,
                                 Poco::Net::HTTPMessage::HTTP_1_1);
  request.set("Accept", "application/json");
  request.set("User-Agent", "keptn-host");
  if (!token.empty()) request.set("x-token", token);
  session->sendRequest(request);
  Poco::Net::HTTPResponse response;
  std::istream& in = session->receiveResponse(response);
  Reply reply;
  reply.status = static_cast<int>(response.getStatus());
  char buffer[64 * 1024];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    reply.body.append(buffer, static_cast<size_t>(in.gcount()));
    if (reply.body.size() > kMaxReplyBytes) {
      throw Poco::DataException("the reply is larger than " + std::to_string(kMaxReplyBytes) +
                                " bytes");
    }
    if (Clock::now() > deadline) throw Poco::TimeoutException();
  }
  return reply;
}

}  // namespace kph::host
