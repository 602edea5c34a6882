// Reads a core NATS subscription on a thread of its own and hands every message to a handler,
// so that no host work ever runs on a cnats thread. Used for core mode's queue-group intake
// and, in both modes, for the broadcast subscription through which every replica sees the
// .finished replies its tasks may be waiting for. Core subscriptions are restored by cnats
// after a reconnect; what is published while disconnected is not seen (core NATS keeps
// nothing).
#pragma once

#include <nats/nats.h>

#include <atomic>
#include <functional>
#include <string>
#include <string_view>
#include <thread>

#include "common/result.hpp"
#include "transport/nats/nats_connection.hpp"

namespace kph::host::nats {

class SubscriptionReader {
 public:
  // Called on the reader's thread, one message at a time. May block (that is the backlog).
  using Handler = std::function<void(const std::string& subject, std::string_view data)>;

  // queue_group empty: every subscriber gets every message.
  SubscriptionReader(NatsConnection& connection, std::string subject, std::string queue_group,
                     Handler handler);
  ~SubscriptionReader();
  SubscriptionReader(const SubscriptionReader&) = delete;
  SubscriptionReader& operator=(const SubscriptionReader&) = delete;

  // Subscribes and starts the thread. Control thread.
  Status start();
  // Unsubscribes and joins the thread; a message being handled is finished first.
  void stop();
  bool ready() const { return running_ && connection_.connected(); }

 private:
  void read_loop();

  NatsConnection& connection_;
  const std::string subject_;
  const std::string queue_group_;
  const Handler handler_;
  natsSubscription* subscription_ = nullptr;
  std::atomic<bool> running_{false};
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace kph::host::nats
