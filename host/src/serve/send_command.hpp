// `keptn-host send`: publishes CloudEvents onto the configured control plane, as a Keptn
// control plane or a test would. On JetStream each event is published with its idempotency key
// and the server's acknowledgement is printed as one JSON line per event.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace kph::host {

struct SendOptions {
  std::optional<std::filesystem::path> config_file;  // controlPlane.nats of this config
  std::string nats_url;                              // --nats: overrides the config's URL
  std::string stream;                                // --stream: overrides the config's stream
  std::string events = "-";  // a file, or "-" for standard input: one JSON object, or JSON lines
};

// Exit status: 0 when every event was published (and acknowledged); 1 when publishing failed;
// 2 for a bad config or a bad event (nothing is sent then).
int run_send(const SendOptions& options);

}  // namespace kph::host
