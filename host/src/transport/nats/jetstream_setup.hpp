// Puts the JetStream side in place before the host takes work: the stream that carries Keptn's
// events (bound, or created when absent and allowed), the durable pull consumer (created
// explicitly with js_AddConsumer, never implicitly by a subscribe call, so that closing a
// subscription can never delete it), and the pull subscription bound to it.
#pragma once

#include <nats/nats.h>

#include <chrono>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "config/nats_settings.hpp"

namespace kph::host::nats {

// Binds to config.stream; creates it with config.subjects and the configured limits when it is
// absent and config.create_stream allows. Thread: any (one call at a time per context).
Status ensure_stream(jsCtx* js, const NatsConfig& config);

// Creates the durable consumer `durable` on config.stream, or brings an existing one to the
// configured settings (keeping where it started). A setting the server refuses to change is
// logged and the consumer is used as it is.
Status ensure_consumer(jsCtx* js, const NatsConfig& config, const std::string& durable);

// A pull subscription bound to the existing durable consumer. The caller owns it.
Result<natsSubscription*> bind_pull_subscription(jsCtx* js, const std::string& stream,
                                                 const std::string& durable);

// The acknowledgement waits the consumer gets: ack_wait, then each backoff entry.
std::vector<std::chrono::milliseconds> ack_waits(const NatsConfig& config);

// How often a message whose task still runs is reported in progress: a third of the shortest
// acknowledgement wait, at least 100 ms.
std::chrono::milliseconds progress_interval(const NatsConfig& config);

// How long a nak'ed message waits before its next delivery, given how often it was delivered.
std::chrono::milliseconds nak_delay(const NatsConfig& config, uint64_t delivered);

// The default durable consumer (and core queue group) name: "keptn-host-" followed by the
// sorted plugin instance names, so that replicas running the same plugins share one consumer
// and deployments with different plugins each see every event. Long lists are shortened with
// a hash. Only letters, digits, '_' and '-'.
std::string default_consumer_name(std::vector<std::string> instance_names);

}  // namespace kph::host::nats
