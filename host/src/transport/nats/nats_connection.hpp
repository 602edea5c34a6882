// The one NATS connection of a serve-mode host, and its JetStream context. It connects with
// the config's URL, TLS and credentials, retries the first connect and reconnects forever with
// a doubling, jittered delay, and keeps the connected/disconnected state where the host's own
// threads can wait on it. cnats callbacks only flip that state and wake waiters: they never
// block and never call back into the host.
#pragma once

#include <nats/nats.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "common/result.hpp"
#include "config/nats_settings.hpp"

namespace kph::host::nats {

// The URL to connect to and where it came from: the config, $NATS_URL, $EVENTBROKER, or the
// default nats://keptn-nats:4222 (the name of Keptn's in-cluster NATS service).
struct NatsUrl {
  std::string url;
  std::string source;  // "config", "NATS_URL", "EVENTBROKER" or "default"
};
NatsUrl resolve_nats_url(const NatsConfig& config);

// The URL with any user:password@ part replaced by "***@", for logs.
std::string redact_url(const std::string& url);

// The reconnect delay for the n-th attempt (1-based), before jitter: initial doubled n-1
// times, at most max_delay.
std::chrono::milliseconds reconnect_delay(const NatsReconnectConfig& config, int attempt);

class NatsConnection {
 public:
  struct Hooks {
    // Called on a cnats thread after every reconnect; must return at once.
    std::function<void()> on_reconnected;
  };

  // Builds the options and starts connecting. Returns once connected, or at once when the
  // server cannot be reached yet (cnats then keeps trying in the background; wait_connected()
  // tells when it succeeded). Fails for what retrying cannot fix: an unreadable secret or
  // certificate, a malformed URL. `client_name` is shown by the server's monitoring.
  static Result<std::unique_ptr<NatsConnection>> open(const NatsConfig& config,
                                                      const std::string& client_name,
                                                      Hooks hooks = {});
  // Closes the connection (pending publishes are flushed by cnats) and frees it.
  ~NatsConnection();
  NatsConnection(const NatsConnection&) = delete;
  NatsConnection& operator=(const NatsConnection&) = delete;

  natsConnection* get() const { return connection_; }
  // The JetStream context; its API calls wait up to the config's publishTimeout.
  jsCtx* jetstream() const { return jetstream_; }

  bool connected() const;
  // Blocks until connected, until stop() returns true, or until the deadline passes; stop is
  // checked whenever the state changes and whenever interrupt() is called. Returns connected().
  bool wait_connected(std::chrono::milliseconds deadline, const std::function<bool()>& stop);
  // Wakes every wait_connected(), so that it checks its stop condition.
  void interrupt();

  uint64_t reconnects() const;
  const std::string& display_url() const { return display_url_; }

  // Shared with cnats' callbacks; defined in the .cpp.
  struct State;

 private:
  NatsConnection() = default;

  std::shared_ptr<State> state_;
  natsOptions* options_ = nullptr;
  natsConnection* connection_ = nullptr;
  jsCtx* jetstream_ = nullptr;
  std::string display_url_;
};

}  // namespace kph::host::nats
