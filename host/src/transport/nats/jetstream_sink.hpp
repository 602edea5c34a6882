// Serve mode's EventSink on JetStream: each emitted event is published on the subject named by
// its type, with its idempotency key (publish_key) as Nats-Msg-Id, and publish() returns only
// once the stream acknowledged it. Short outages (a reconnect, a restarting server) are ridden
// out by retrying with the same key until publishTimeout; the server drops any copy that did
// arrive.
#pragma once

#include <kph/host/event_sink.hpp>

#include <chrono>
#include <functional>
#include <string>

#include "transport/nats/async_publisher.hpp"
#include "transport/nats/nats_connection.hpp"

namespace kph::host::nats {

struct PublishAck {
  std::string stream;
  uint64_t sequence = 0;
  bool duplicate = false;  // the server already had a message with this key
};

class JetStreamSink : public EventSink {
 public:
  // Called after each acknowledged publish with the time from first try to ack.
  using LatencyFn = std::function<void(std::chrono::duration<double>)>;

  // With `async`, publish_async() does not wait (see async_publisher.hpp); without, it is
  // publish(). `async` must outlive the sink.
  JetStreamSink(NatsConnection& connection, std::string stream, std::chrono::milliseconds timeout,
                LatencyFn on_latency = {}, AsyncPublisher* async = nullptr);

  // Thread: any, thread-safe.
  Status publish(const nlohmann::json& event) override;
  // One attempt without waiting; a failed one is publish() on the publisher's slow path.
  void publish_async(const nlohmann::json& event, PublishDone done) override;
  // The same, returning what the server acknowledged.
  Result<PublishAck> publish_acked(const nlohmann::json& event);

 private:
  using Clock = std::chrono::steady_clock;
  // publish_acked() with a deadline: retries what a reconnect cures until then.
  Result<PublishAck> publish_until(const nlohmann::json& event, Clock::time_point deadline);

  NatsConnection& connection_;
  AsyncPublisher* async_;
  const std::string stream_;
  const std::chrono::milliseconds timeout_;
  LatencyFn on_latency_;
};

// Core NATS mode: a plain publish, then a flush so that publish() returns once the server has
// the message (core NATS keeps nothing: a subscriber that is away misses it).
class CoreSink : public EventSink {
 public:
  CoreSink(NatsConnection& connection, std::chrono::milliseconds timeout);
  Status publish(const nlohmann::json& event) override;

 private:
  NatsConnection& connection_;
  const std::chrono::milliseconds timeout_;
};

}  // namespace kph::host::nats
