// Where the host sends the events it emits: the control plane's transport (NATS, the Keptn
// API) or, in local mode, standard output.
#pragma once

#include <nlohmann/json.hpp>

#include "common/result.hpp"

namespace kph::host {

class EventSink {
 public:
  virtual ~EventSink() = default;
  // Publishes one event and returns once the transport has accepted it (for a durable
  // transport: once the server acknowledged it). Thread: any thread, thread-safe.
  virtual Status publish(const nlohmann::json& event) = 0;
};

}  // namespace kph::host
