// Where the host sends the events it emits: the control plane's transport (NATS, the Keptn
// API) or, in local mode, standard output.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>

#include "common/result.hpp"

namespace kph::host {

class EventSink {
 public:
  virtual ~EventSink() = default;
  // Publishes one event and returns once the transport has accepted it (for a durable
  // transport: once the server acknowledged it). Thread: any thread, thread-safe.
  virtual Status publish(const nlohmann::json& event) = 0;

  using PublishDone = std::function<void(Status)>;
  // The same publish without the caller waiting for it: `done` gets what publish() would have
  // returned, exactly once. A transport that cannot do better calls it before returning (this
  // default); one that can calls it later on a thread of its own, where it must return
  // promptly when the status is ok (it may start another asynchronous call, not wait on one);
  // a failure is reported where waiting is allowed. Thread: any thread, thread-safe.
  virtual void publish_async(const nlohmann::json& event, PublishDone done) {
    done(publish(event));
  }
};

}  // namespace kph::host
