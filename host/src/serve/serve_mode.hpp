// `keptn-host serve`: the in-cluster daemon. It connects to NATS, takes .triggered events from
// a durable JetStream consumer (or a core queue group in compatibility mode), runs the plugins'
// tasks, publishes their .started and .finished, and acknowledges each message only once the
// task's .finished is acknowledged by the server. SIGTERM/SIGINT stop intake at once and drain
// running tasks within the grace period; SIGHUP reloads plugins, their configs and routes
// without dropping running tasks.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "common/logger.hpp"
#include "local/host_setup.hpp"

namespace kph::host {

struct ServeOptions {
  SetupOptions setup;    // --config, --plugin, --resources
  std::string nats_url;  // --nats: overrides controlPlane.nats.url
  std::string consumer;  // --consumer: overrides controlPlane.nats.consumer
  std::string stream;    // --stream: overrides controlPlane.nats.stream
  std::optional<std::chrono::milliseconds> shutdown_grace;  // --shutdown-grace
  std::string metrics_address = "0.0.0.0";
  int metrics_port = 8080;  // 0: no HTTP endpoints
  LogLevel log_level = LogLevel::kInfo;
  LogFormat log_format = LogFormat::kText;
};

// Runs until SIGTERM or SIGINT. Exit status: 0 after a clean stop; 2 when the config, a plugin
// or the NATS setup is refused (the reason is logged).
int run_serve(const ServeOptions& options);

}  // namespace kph::host
