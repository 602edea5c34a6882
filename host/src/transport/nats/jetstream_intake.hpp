// Serve mode's intake on JetStream: pulls messages from the durable consumer and hands each
// event to the engine, then settles the message with the server once the engine settled it.
//
//   fetch thread     waits for messages with a long-lived pull request (Expires + Heartbeat,
//                    so a pull lost in a reconnect is noticed), never more in hand than
//                    maxAckPending; parses each message and submits it.
//   settling         the ack of a .triggered whose tasks are done goes out from the thread
//                    that settled it, with a reply subject: the server confirms it (as for
//                    natsMsg_AckSync) on a subscription of the intake's, and only then is the
//                    message done with. No thread waits for it.
//   acker threads    nak (with a delay) a message the engine wants back, terminate poison, ack
//                    what is not a .triggered.
//   progress thread  reports natsMsg_InProgress for messages whose tasks still run, a few
//                    times per acknowledgement wait, so that a long task keeps its message;
//                    and lets go of a message whose ack was not confirmed within
//                    publishTimeout (lost in a reconnect: the server redelivers it if the ack
//                    did not count, and the task journal answers that).
//
// Poison never stops the consumer: a message over 1 MiB, one that is not JSON, or one that
// lacks what a Keptn event needs is terminated (natsMsg_Term) with a logged reason, so the
// server never delivers it again. Events of every other kind (including the host's own
// .started and .finished, which come back through the stream) go to the engine too: it
// records them and routes replies; they start no task and are acked at once.
#pragma once

#include <nats/nats.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "common/result.hpp"
#include "config/nats_settings.hpp"
#include "runtime/settlement.hpp"
#include "transport/nats/nats_connection.hpp"

namespace kph::host::nats {

// Where the intake sends each event: the engine's submit. It calls on_settled exactly once for
// an event it accepted, from any thread; it may also call it for an event it refuses.
using SubmitFn = std::function<Status(nlohmann::json event, SettledFn on_settled)>;

struct IntakeCounters {
  uint64_t received = 0;    // messages fetched
  uint64_t acked = 0;       // acknowledged as done
  uint64_t nacked = 0;      // given back for redelivery
  uint64_t terminated = 0;  // poison, never delivered again
};

class JetStreamIntake {
 public:
  JetStreamIntake(NatsConnection& connection, NatsConfig config, std::string durable,
                  SubmitFn submit);
  // Stops and drains (without waiting) if the owner did not.
  ~JetStreamIntake();
  JetStreamIntake(const JetStreamIntake&) = delete;
  JetStreamIntake& operator=(const JetStreamIntake&) = delete;

  // Creates or updates the durable consumer, binds to it and starts the threads. Needs a
  // connected connection. Control thread.
  Status start();

  // True while connected, bound and taking work (what /readyz reports). Thread: any.
  bool ready() const;

  // Stops fetching at once; messages fetched but not yet submitted are nak'ed. Returns within
  // milliseconds. Control thread.
  void stop_intake();
  // Waits up to `deadline` for every submitted message to be settled (the engine must have
  // been shut down, or settle them meanwhile), naks what is left, and stops the threads.
  // Control thread, after stop_intake().
  void drain(std::chrono::milliseconds deadline);

  size_t in_flight() const;
  IntakeCounters counters() const;

  struct Core;  // shared with the engine's settle callbacks; defined in the .cpp

 private:
  std::shared_ptr<Core> core_;
};

}  // namespace kph::host::nats
