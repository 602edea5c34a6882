// A real Prometheus for integration tests: known series are backfilled with `promtool tsdb
// create-blocks-from openmetrics`, then `prometheus` serves them on a free loopback port from a
// temporary directory, optionally behind basic auth and/or TLS (its --web.config.file). The
// destructor stops it and removes everything, pass or fail.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "support/temp_dir.hpp"

namespace kph::testing {

// OpenMetrics text for backfilling, one sample per line: `name{labels} value unix_seconds`.
// Samples without # TYPE lines are "unknown" metrics, which PromQL reads like any other.
class OpenMetricsText {
 public:
  // Adds one sample. `series` is `name{label="value",...}` (or just `name`); `value` is the
  // text Prometheus reads ("12", "0.5", "NaN").
  OpenMetricsText& sample(const std::string& series, const std::string& value,
                          int64_t unix_seconds);
  // Adds a counter that grows by `per_second` every second, with one sample every `step_seconds`
  // from `from` to `to` (inclusive), so that rate(series[w]) == per_second inside that span.
  OpenMetricsText& counter(const std::string& series, double per_second, int64_t from, int64_t to,
                           int64_t step_seconds = 15);
  // A constant gauge sampled every `step_seconds` from `from` to `to` (inclusive).
  OpenMetricsText& gauge(const std::string& series, const std::string& value, int64_t from,
                         int64_t to, int64_t step_seconds = 15);
  std::string text() const;  // the lines, ended by "# EOF"
  bool empty() const { return lines_.empty(); }

 private:
  std::vector<std::string> lines_;
};

struct PrometheusOptions {
  OpenMetricsText series;   // backfilled before start
  bool basic_auth = false;  // require PrometheusServer::kUser / kPassword on every endpoint
  bool tls = false;         // HTTPS with a fresh self-signed certificate for localhost/127.0.0.1
  std::chrono::milliseconds ready_deadline = std::chrono::seconds(60);
};

class PrometheusServer {
 public:
  static constexpr const char* kUser = "keptn";
  static constexpr const char* kPassword = "s3cret-test-pw";

  // Backfills, starts and waits for /-/ready. Throws std::runtime_error with the reason and
  // Prometheus' own output when any step fails.
  explicit PrometheusServer(PrometheusOptions options = {});
  ~PrometheusServer();
  PrometheusServer(const PrometheusServer&) = delete;
  PrometheusServer& operator=(const PrometheusServer&) = delete;

  // Why this machine cannot run the fixture (a missing prometheus, promtool or openssl), or
  // nothing when it can.
  static std::optional<std::string> unavailable_reason(bool tls = false);

  // Now, in whole Unix seconds: backfill timestamps must be recent to stay within retention.
  static int64_t now_seconds();

  uint16_t port() const { return port_; }
  std::string url() const;  // http(s)://127.0.0.1:<port>
  // The certificate the server presents, to trust as a CA (tls only).
  std::filesystem::path certificate_file() const { return dir_.path() / "tls" / "cert.pem"; }
  std::string log() const;  // Prometheus' output so far

 private:
  void backfill();
  void write_config();
  bool start_and_wait();  // false when the port was taken meanwhile
  bool ready() const;
  void stop();

  PrometheusOptions options_;
  TempDir dir_;
  uint16_t port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace kph::testing
