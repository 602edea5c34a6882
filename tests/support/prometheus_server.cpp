#include "support/prometheus_server.hpp"

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPBasicCredentials.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/SSLManager.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <sstream>
#include <stdexcept>

#include "support/net.hpp"
#include "support/process.hpp"
#include "support/server_process.hpp"

namespace kph::testing {
namespace {

// bcrypt (cost 4, cheap on purpose) of PrometheusServer::kPassword.
constexpr const char* kPasswordHash =
    "$2b$04$yvVmn4vMyhA4akvpbouhI.Vht.QP/0lu9BowHkm3QzK/A7sERolBi";

bool on_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path ? path : "/usr/bin:/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    if (!dir.empty() && ::access((std::filesystem::path(dir) / program).c_str(), X_OK) == 0) {
      return true;
    }
  }
  return false;
}

std::string number_text(double value) {
  std::ostringstream out;
  out.precision(17);
  out << value;
  return out.str();
}

// Poco's SSL library, initialised once for the readiness probe of TLS servers.
struct SslOnce {
  SslOnce() { Poco::Net::initializeSSL(); }
  ~SslOnce() { Poco::Net::uninitializeSSL(); }
};

}  // namespace

OpenMetricsText& OpenMetricsText::sample(const std::string& series, const std::string& value,
                                         int64_t unix_seconds) {
  lines_.push_back(series + " " + value + " " + std::to_string(unix_seconds));
  return *this;
}

OpenMetricsText& OpenMetricsText::counter(const std::string& series, double per_second,
                                          int64_t from, int64_t to, int64_t step_seconds) {
  for (int64_t t = from; t <= to; t += step_seconds) {
    sample(series, number_text(per_second * static_cast<double>(t - from)), t);
  }
  return *this;
}

OpenMetricsText& OpenMetricsText::gauge(const std::string& series, const std::string& value,
                                        int64_t from, int64_t to, int64_t step_seconds) {
  for (int64_t t = from; t <= to; t += step_seconds) sample(series, value, t);
  return *this;
}

std::string OpenMetricsText::text() const {
  std::string out;
  for (const auto& line : lines_) out += line + "\n";
  return out + "# EOF\n";
}

std::optional<std::string> PrometheusServer::unavailable_reason(bool tls) {
  for (const char* program : {"prometheus", "promtool"}) {
    if (!on_path(program)) {
      return std::string(program) + " is not on PATH (Debian package `prometheus`)";
    }
  }
  if (tls && !on_path("openssl")) return std::string("openssl is not on PATH (package `openssl`)");
  return std::nullopt;
}

int64_t PrometheusServer::now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

PrometheusServer::PrometheusServer(PrometheusOptions options) : options_(std::move(options)) {
  if (auto reason = unavailable_reason(options_.tls)) throw std::runtime_error(*reason);
  backfill();
  write_config();
  // free_port() only says the port was free a moment ago; try again if someone took it.
  for (int attempt = 0; attempt < 3; ++attempt) {
    port_ = free_port();
    if (start_and_wait()) return;
  }
  throw std::runtime_error("prometheus could not bind a free port three times:\n" + log());
}

PrometheusServer::~PrometheusServer() { stop(); }

std::string PrometheusServer::url() const {
  return std::string(options_.tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_);
}

std::string PrometheusServer::log() const {
  try {
    return read_file(dir_.path() / "prometheus.log");
  } catch (const std::exception&) {
    return "";
  }
}

void PrometheusServer::backfill() {
  std::filesystem::create_directories(dir_.path() / "data");
  if (options_.series.empty()) return;
  const auto input = dir_.write("series.om", options_.series.text());
  const auto result = run_process("promtool", {"tsdb", "create-blocks-from", "openmetrics",
                                               input.string(), (dir_.path() / "data").string()});
  if (result.exit_code != 0) {
    throw std::runtime_error("promtool tsdb create-blocks-from openmetrics failed (exit " +
                             std::to_string(result.exit_code) + "):\n" + result.out + result.err);
  }
}

void PrometheusServer::write_config() {
  // No scrape targets: the server holds only the backfilled series.
  dir_.write("prometheus.yml", "global:\n  scrape_interval: 1h\nscrape_configs: []\n");
  std::string web;
  if (options_.tls) {
    const auto tls = dir_.path() / "tls";
    std::filesystem::create_directories(tls);
    const auto result = run_process(
        "openssl", {"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-days", "2", "-subj", "/CN=localhost", "-addext",
                    "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout",
                    (tls / "key.pem").string(), "-out", (tls / "cert.pem").string()});
    if (result.exit_code != 0) {
      throw std::runtime_error("openssl could not make a test certificate:\n" + result.err);
    }
    web += "tls_server_config:\n  cert_file: " + (tls / "cert.pem").string() +
           "\n  key_file: " + (tls / "key.pem").string() + "\n";
  }
  if (options_.basic_auth) {
    web.append("basic_auth_users:\n  ")
        .append(kUser)
        .append(": ")
        .append(kPasswordHash)
        .append("\n");
  }
  dir_.write("web.yml", web);
}

bool PrometheusServer::start_and_wait() {
  const auto log_file = dir_.path() / "prometheus.log";
  std::vector<std::string> args = {
      "prometheus",
      "--config.file=" + (dir_.path() / "prometheus.yml").string(),
      "--storage.tsdb.path=" + (dir_.path() / "data").string(),
      "--web.listen-address=127.0.0.1:" + std::to_string(port_),
      "--web.config.file=" + (dir_.path() / "web.yml").string(),
      // Backfilled samples are at most hours old; 30 days keeps every block.
      "--storage.tsdb.retention.time=30d",
      "--log.level=info",
  };
  ServerLaunch launch;
  launch.name = "prometheus";
  launch.args = std::move(args);
  launch.log_file = log_file;
  launch.ready = [this] { return ready(); };
  launch.deadline = options_.ready_deadline;
  launch.interval = std::chrono::milliseconds(100);
  pid_ = launch_server(launch);
  return pid_ > 0;
}

bool PrometheusServer::ready() const {
  try {
    std::unique_ptr<Poco::Net::HTTPClientSession> session;
    if (options_.tls) {
      static SslOnce ssl;
      Poco::Net::Context::Params params;
      params.verificationMode = Poco::Net::Context::VERIFY_NONE;
      session = std::make_unique<Poco::Net::HTTPSClientSession>(
          "127.0.0.1", port_, new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params));
    } else {
      session = std::make_unique<Poco::Net::HTTPClientSession>("127.0.0.1", port_);
    }
    session->setTimeout(Poco::Timespan(2, 0));
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, "/-/ready",
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    if (options_.basic_auth) {
      Poco::Net::HTTPBasicCredentials(kUser, kPassword).authenticate(request);
    }
    session->sendRequest(request);
    Poco::Net::HTTPResponse response;
    session->receiveResponse(response);
    return response.getStatus() == Poco::Net::HTTPResponse::HTTP_OK;
  } catch (...) {
    return false;
  }
}

void PrometheusServer::stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  int status = 0;
  const bool gone =
      wait_for([&] { return ::waitpid(pid_, &status, WNOHANG) == pid_; }, std::chrono::seconds(15));
  if (!gone) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, &status, 0);
  }
  pid_ = -1;
}

}  // namespace kph::testing
