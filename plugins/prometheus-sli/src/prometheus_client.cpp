#include "prometheus_client.hpp"

#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPBasicCredentials.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLException.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Timespan.h>
#include <Poco/URI.h>

#include <algorithm>
#include <chrono>
#include <istream>
#include <memory>

#include "http_form.hpp"

namespace kph::plugins::prometheus_sli {
namespace {

using Clock = std::chrono::steady_clock;

// A reply larger than this is not an instant query with one sample; stop reading it.
constexpr size_t kMaxReplyBytes = 16 * 1024 * 1024;
constexpr int kMaxRedirects = 5;

struct Reply {
  int status = 0;
  std::string body;
  std::string location;
};

Poco::Timespan timespan(std::chrono::milliseconds ms) {
  return Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(ms.count()) * 1000);
}

std::string seconds_text(std::chrono::milliseconds ms) {
  if (ms.count() % 1000 == 0) return std::to_string(ms.count() / 1000) + "s";
  return std::to_string(ms.count()) + "ms";
}

// Where a request goes, without its query string (which may be long and holds no secret).
std::string display(const std::string& method, const Poco::URI& uri) {
  Poco::URI shown(uri);
  shown.setQuery("");
  shown.setUserInfo("");
  return method + " " + shown.toString();
}

bool same_origin(const Poco::URI& a, const Poco::URI& b) {
  return a.getScheme() == b.getScheme() && a.getHost() == b.getHost() && a.getPort() == b.getPort();
}

class Exchange {
 public:
  Exchange(const Connection& connection, const Credentials& credentials)
      : connection_(connection),
        credentials_(credentials),
        deadline_(Clock::now() + connection.timeout) {}

  Reply send(const std::string& method, const Poco::URI& uri, const std::string& form,
             bool with_credentials) {
    std::unique_ptr<Poco::Net::HTTPClientSession> session;
    if (uri.getScheme() == "https") {
      session = std::make_unique<Poco::Net::HTTPSClientSession>(uri.getHost(), uri.getPort(),
                                                                tls_context());
    } else {
      session = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
    }
    session->setTimeout(timespan(connection_.connect_timeout), timespan(remaining()),
                        timespan(remaining()));

    std::string target = uri.getPathEtc();
    if (method == Poco::Net::HTTPRequest::HTTP_GET && !form.empty()) {
      target += (uri.getRawQuery().empty() ? "?" : "&") + form;
    }
    Poco::Net::HTTPRequest request(method, target, Poco::Net::HTTPMessage::HTTP_1_1);
    request.set("Accept", "application/json");
    request.set("User-Agent", "keptn-host-prometheus-sli");
    if (with_credentials) {
      if (!credentials_.bearer_token.empty()) {
        request.set("Authorization", "Bearer " + credentials_.bearer_token);
      } else if (!credentials_.username.empty() || !credentials_.password.empty()) {
        Poco::Net::HTTPBasicCredentials(credentials_.username, credentials_.password)
            .authenticate(request);
      }
    }
    if (method == Poco::Net::HTTPRequest::HTTP_POST) {
      request.setContentType("application/x-www-form-urlencoded");
      request.setContentLength(static_cast<std::streamsize>(form.size()));
      session->sendRequest(request) << form;
    } else {
      session->sendRequest(request);
    }

    Poco::Net::HTTPResponse response;
    std::istream& in = session->receiveResponse(response);
    Reply reply;
    reply.status = static_cast<int>(response.getStatus());
    reply.location = response.get("Location", "");
    char buffer[64 * 1024];
    while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
      reply.body.append(buffer, static_cast<size_t>(in.gcount()));
      if (reply.body.size() > kMaxReplyBytes) {
        throw Poco::DataException(
            "reply larger than 16 MiB; an instant query for one SLI "
            "returns a few hundred bytes");
      }
      if (Clock::now() > deadline_) throw Poco::TimeoutException();
      session->socket().setReceiveTimeout(timespan(remaining()));
    }
    return reply;
  }

 private:
  std::chrono::milliseconds remaining() const {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - Clock::now());
    return std::max(left, std::chrono::milliseconds(1));
  }

  Poco::Net::Context::Ptr tls_context() {
    if (!context_) {
      Poco::Net::Context::Params params;
      params.caLocation = connection_.ca_file;
      params.loadDefaultCAs = true;
      params.verificationMode = connection_.insecure_skip_verify
                                    ? Poco::Net::Context::VERIFY_NONE
                                    : Poco::Net::Context::VERIFY_RELAXED;
      context_ = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
    }
    return context_;
  }

  const Connection& connection_;
  const Credentials& credentials_;
  Clock::time_point deadline_;
  Poco::Net::Context::Ptr context_;
};

std::string reason(const Poco::Exception& e, const Connection& connection) {
  if (dynamic_cast<const Poco::Net::ConnectionRefusedException*>(&e)) {
    return "connection refused: is Prometheus listening there? (config key '" + connection.where +
           "')";
  }
  if (dynamic_cast<const Poco::TimeoutException*>(&e)) {
    return "no complete reply within " + seconds_text(connection.timeout) +
           " (timeout; raise `timeout` in the prometheus-sli config, or make the query cheaper)";
  }
  if (dynamic_cast<const Poco::Net::HostNotFoundException*>(&e) ||
      dynamic_cast<const Poco::Net::NoAddressFoundException*>(&e)) {
    return e.displayText() + " (check the host name in config key '" + connection.where + "')";
  }
  if (dynamic_cast<const Poco::Net::SSLException*>(&e)) {
    return "TLS: " + e.displayText() +
           " (trust the server's CA with caFile, or check the URL's host name)";
  }
  return e.displayText();
}

}  // namespace

SslLibrary::SslLibrary() { Poco::Net::initializeSSL(); }
SslLibrary::~SslLibrary() { Poco::Net::uninitializeSSL(); }

PrometheusClient::PrometheusClient(Connection connection, Credentials credentials)
    : connection_(std::move(connection)), credentials_(std::move(credentials)) {}

IndicatorOutcome PrometheusClient::instant_query(const std::string& query,
                                                 const std::string& time) const {
  const std::string prefix = kQueryApiError;
  Poco::URI origin;
  try {
    origin = Poco::URI(connection_.url);
  } catch (const Poco::Exception& e) {
    return IndicatorOutcome::failed(prefix + "invalid URL in config key '" + connection_.where +
                                    "': " + e.displayText());
  }
  std::string path = origin.getPath();
  while (!path.empty() && path.back() == '/') path.pop_back();
  Poco::URI uri(origin);
  uri.setPath(path + "/api/v1/query");

  FormParams params;
  for (const auto& parameter : origin.getQueryParameters()) params.push_back(parameter);
  params.emplace_back("query", query);
  params.emplace_back("time", time);
  const std::string form = form_encode(params);

  std::string method = Poco::Net::HTTPRequest::HTTP_POST;
  Exchange exchange(connection_, credentials_);
  try {
    bool retried_as_get = false;
    for (int redirects = 0;; ++redirects) {
      const Reply reply = exchange.send(method, uri, form, same_origin(uri, origin));
      const int status = reply.status;
      if ((status == 405 || status == 501) && method == Poco::Net::HTTPRequest::HTTP_POST &&
          !retried_as_get) {
        // Some proxies in front of Prometheus allow only GET.
        method = Poco::Net::HTTPRequest::HTTP_GET;
        retried_as_get = true;
        continue;
      }
      const bool redirect =
          status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
      if (redirect && !reply.location.empty() && redirects < kMaxRedirects) {
        uri = Poco::URI(uri, reply.location);
        if (status != 307 && status != 308) method = Poco::Net::HTTPRequest::HTTP_GET;
        continue;
      }
      return interpret_query_reply(status, reply.body);
    }
  } catch (const Poco::Exception& e) {
    return IndicatorOutcome::failed(prefix + display(method, uri) + ": " + reason(e, connection_));
  } catch (const std::exception& e) {
    return IndicatorOutcome::failed(prefix + display(method, uri) + ": " + e.what());
  }
}

}  // namespace kph::plugins::prometheus_sli
