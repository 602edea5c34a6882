#include "transport/nats/jetstream_sink.hpp"

#include <algorithm>
#include <thread>

#include "common/cloud_event.hpp"
#include "config/nats_config_parser.hpp"
#include "transport/nats/nats_error.hpp"
#include "transport/nats/publish_key.hpp"

namespace kph::host::nats {
namespace {

// The subject an event goes out on: its type, which must be a literal subject.
Result<std::string> subject_of(const nlohmann::json& event) {
  const std::string type = event_string(event, "type");
  if (!config::is_valid_nats_subject(type) || type.find_first_of("*>") != std::string::npos) {
    return Error{"event " + event_string(event, "id") + " has the type \"" + type +
                 "\", which is not a NATS subject; expected sh.keptn.event.<task>.<kind>"};
  }
  return type;
}

std::chrono::milliseconds remaining(std::chrono::steady_clock::time_point deadline) {
  return std::max(std::chrono::duration_cast<std::chrono::milliseconds>(
                      deadline - std::chrono::steady_clock::now()),
                  std::chrono::milliseconds(0));
}

// The message for an event: its serialized form on the subject of its type, with the
// idempotency key as Nats-Msg-Id.
Result<natsMsg*> message_for(const nlohmann::json& event) {
  auto subject = subject_of(event);
  if (!subject) return subject.error();
  const std::string data = event.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  natsMsg* message = nullptr;
  natsStatus s = natsMsg_Create(&message, subject->c_str(), nullptr, data.data(),
                                static_cast<int>(data.size()));
  if (s == NATS_OK) s = natsMsgHeader_Set(message, "Nats-Msg-Id", publish_key(event).c_str());
  if (s != NATS_OK) {
    natsMsg_Destroy(message);
    return nats_error("cannot build the message for event " + event_string(event, "id"), s);
  }
  return message;
}

}  // namespace

JetStreamSink::JetStreamSink(NatsConnection& connection, std::string stream,
                             std::chrono::milliseconds timeout, LatencyFn on_latency,
                             AsyncPublisher* async)
    : connection_(connection),
      async_(async),
      stream_(std::move(stream)),
      timeout_(timeout),
      on_latency_(std::move(on_latency)) {}

Status JetStreamSink::publish(const nlohmann::json& event) {
  auto acked = publish_acked(event);
  if (!acked) return acked.error();
  return ok_status();
}

void JetStreamSink::publish_async(const nlohmann::json& event, PublishDone done) {
  if (async_ == nullptr) {
    done(publish(event));
    return;
  }
  auto message = message_for(event);
  if (!message) {
    done(message.error());
    return;
  }
  jsPubOptions options;
  jsPubOptions_Init(&options);
  options.ExpectStream = stream_.c_str();
  options.MaxWait = timeout_.count();
  const auto start = Clock::now();
  async_->publish(*message, options, [this, event, start, done](const AsyncAck& ack) {
    if (ack.status == NATS_OK) {
      if (on_latency_) on_latency_(Clock::now() - start);
      done(ok_status());
      return;
    }
    // A reconnect may cure it: retried the blocking way, off the ack thread, with a
    // publishTimeout of its own (an answer lost in a reconnect costs the first one whole).
    async_->defer([this, event, done] {
      auto acked = publish_until(event, Clock::now() + timeout_);
      done(acked ? ok_status() : Status(acked.error()));
    });
  });
}

Result<PublishAck> JetStreamSink::publish_acked(const nlohmann::json& event) {
  return publish_until(event, Clock::now() + timeout_);
}

Result<PublishAck> JetStreamSink::publish_until(const nlohmann::json& event,
                                                Clock::time_point deadline) {
  auto subject = subject_of(event);
  if (!subject) return subject.error();
  const std::string id = event_string(event, "id");
  const auto start = Clock::now();
  auto pause = std::chrono::milliseconds(50);
  std::string last_failure = "no attempt";
  while (true) {
    auto message = message_for(event);
    if (!message) return message.error();
    jsPubOptions options;
    jsPubOptions_Init(&options);
    // Lands in the stream the host consumes from, or fails: never silently elsewhere.
    options.ExpectStream = stream_.c_str();
    options.MaxWait = std::max<int64_t>(remaining(deadline).count(), 1);
    jsPubAck* ack = nullptr;
    jsErrCode code = static_cast<jsErrCode>(0);
    const natsStatus s = js_PublishMsg(&ack, connection_.jetstream(), *message, &options, &code);
    natsMsg_Destroy(*message);
    if (s == NATS_OK) {
      PublishAck out{ack->Stream != nullptr ? ack->Stream : "", ack->Sequence, ack->Duplicate};
      jsPubAck_Destroy(ack);
      if (on_latency_) on_latency_(Clock::now() - start);
      return out;
    }
    last_failure = status_text(s);
    if (!is_transient(s) || Clock::now() >= deadline) {
      return Error{"publishing event " + id + " (" + *subject + ") to JetStream stream " + stream_ +
                   " failed: " + last_failure +
                   (is_transient(s) ? "; the server did not acknowledge it within " +
                                          std::to_string(timeout_.count()) + " ms"
                                    : std::string())};
    }
    // Wait for the connection when it is down, else back off a little: a server that just
    // came back answers "no responders" until JetStream is up again.
    if (!connection_.connected()) {
      connection_.wait_connected(remaining(deadline), [] { return false; });
    } else {
      std::this_thread::sleep_for(std::min(pause, remaining(deadline)));
      pause = std::min(pause * 2, std::chrono::milliseconds(1000));
    }
  }
}

CoreSink::CoreSink(NatsConnection& connection, std::chrono::milliseconds timeout)
    : connection_(connection), timeout_(timeout) {}

Status CoreSink::publish(const nlohmann::json& event) {
  auto subject = subject_of(event);
  if (!subject) return subject.error();
  const std::string data = event.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  const std::string id = event_string(event, "id");
  natsStatus s = natsConnection_Publish(connection_.get(), subject->c_str(), data.data(),
                                        static_cast<int>(data.size()));
  if (s == NATS_OK) s = natsConnection_FlushTimeout(connection_.get(), timeout_.count());
  if (s != NATS_OK) {
    return nats_error("publishing event " + id + " (" + *subject + ") on core NATS failed", s);
  }
  return ok_status();
}

}  // namespace kph::host::nats
