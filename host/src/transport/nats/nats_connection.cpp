#include "transport/nats/nats_connection.hpp"

#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <random>
#include <vector>

#include "common/logger.hpp"
#include "transport/nats/nats_error.hpp"
#include "transport/nats/secret.hpp"

namespace kph::host::nats {

struct NatsConnection::State {
  std::mutex mutex;
  std::condition_variable changed;
  bool connected = false;
  bool closing = false;
  uint64_t interrupts = 0;
  std::atomic<uint64_t> reconnects{0};
  NatsReconnectConfig reconnect;
  std::function<void()> on_reconnected;
  std::string display_url;
};

namespace {

using State = NatsConnection::State;

// cnats may call a connection's callbacks even after natsConnection_Destroy (nats.c#735), so
// their closure is never freed while the process runs: it stays reachable from here.
void retire(std::shared_ptr<State> state) {
  static std::mutex mutex;
  static auto* retired = new std::vector<std::shared_ptr<State>>();
  std::lock_guard<std::mutex> lock(mutex);
  retired->push_back(std::move(state));
}

void set_connected(State& state, bool connected) {
  {
    std::lock_guard<std::mutex> lock(state.mutex);
    state.connected = connected;
  }
  state.changed.notify_all();
}

void on_connected(natsConnection*, void* closure) {
  auto& state = *static_cast<State*>(closure);
  set_connected(state, true);
  log_info("connected to NATS", {{"url", state.display_url}});
}

void on_disconnected(natsConnection*, void* closure) {
  auto& state = *static_cast<State*>(closure);
  bool closing = false;
  {
    std::lock_guard<std::mutex> lock(state.mutex);
    closing = state.closing;
  }
  set_connected(state, false);
  if (!closing) {
    log_warning("disconnected from NATS; reconnecting until it is back",
                {{"url", state.display_url}});
  }
}

void on_reconnected(natsConnection*, void* closure) {
  auto& state = *static_cast<State*>(closure);
  state.reconnects.fetch_add(1);
  std::function<void()> hook;
  {
    std::lock_guard<std::mutex> lock(state.mutex);
    state.connected = true;
    hook = state.on_reconnected;
  }
  state.changed.notify_all();
  log_info("reconnected to NATS", {{"url", state.display_url}});
  if (hook) hook();
}

void on_closed(natsConnection*, void* closure) {
  set_connected(*static_cast<State*>(closure), false);
}

void on_error(natsConnection*, natsSubscription* subscription, natsStatus status, void* closure) {
  auto& state = *static_cast<State*>(closure);
  const std::string subject =
      subscription != nullptr && natsSubscription_GetSubject(subscription) != nullptr
          ? natsSubscription_GetSubject(subscription)
          : "";
  log_warning(std::string("NATS reported an asynchronous error: ") + natsStatus_GetText(status),
              {{"url", state.display_url}, {"subject", subject}});
}

int64_t next_reconnect_delay(natsConnection*, int attempts, void* closure) {
  auto& state = *static_cast<State*>(closure);
  thread_local std::mt19937_64 random{std::random_device{}()};
  const auto base = reconnect_delay(state.reconnect, attempts);
  const int64_t jitter = state.reconnect.jitter.count();
  const int64_t extra =
      jitter > 0 ? std::uniform_int_distribution<int64_t>(0, jitter)(random) : int64_t{0};
  return base.count() + extra;
}

std::vector<std::string> split_urls(const std::string& urls) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= urls.size()) {
    const size_t comma = urls.find(',', start);
    std::string one =
        urls.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    const size_t first = one.find_first_not_of(' ');
    const size_t last = one.find_last_not_of(' ');
    if (first != std::string::npos) out.push_back(one.substr(first, last - first + 1));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

Status check(natsStatus status, const std::string& what) {
  if (status == NATS_OK) return ok_status();
  return nats_error(what, status);
}

}  // namespace

NatsUrl resolve_nats_url(const NatsConfig& config) {
  if (!config.url.empty()) return {config.url, "config"};
  for (const char* variable : {"NATS_URL", "EVENTBROKER"}) {
    const char* value = std::getenv(variable);
    if (value != nullptr && *value != '\0') return {value, variable};
  }
  return {"nats://keptn-nats:4222", "default"};
}

std::string redact_url(const std::string& url) {
  std::string out;
  for (const auto& one : split_urls(url)) {
    if (!out.empty()) out += ",";
    const size_t scheme = one.find("://");
    const size_t host_start = scheme == std::string::npos ? 0 : scheme + 3;
    const size_t at = one.find('@', host_start);
    out += at == std::string::npos ? one : one.substr(0, host_start) + "***@" + one.substr(at + 1);
  }
  return out;
}

std::chrono::milliseconds reconnect_delay(const NatsReconnectConfig& config, int attempt) {
  auto delay = config.initial_delay;
  for (int i = 1; i < attempt && delay < config.max_delay; ++i) delay *= 2;
  return std::min(delay, config.max_delay);
}

Result<std::unique_ptr<NatsConnection>> NatsConnection::open(const NatsConfig& config,
                                                             const std::string& client_name,
                                                             Hooks hooks) {
  std::unique_ptr<NatsConnection> self(new NatsConnection());
  const NatsUrl url = resolve_nats_url(config);
  self->display_url_ = redact_url(url.url);
  self->state_ = std::make_shared<State>();
  State& state = *self->state_;
  state.reconnect = config.reconnect;
  state.on_reconnected = std::move(hooks.on_reconnected);
  state.display_url = self->display_url_;

  const std::string where =
      "NATS connection to " + self->display_url_ + " (from " + url.source + ")";
  if (auto s = natsOptions_Create(&self->options_); s != NATS_OK) {
    return nats_error(where + ": cannot create options", s);
  }
  natsOptions* options = self->options_;
  auto servers = split_urls(url.url);
  std::vector<const char*> server_ptrs;
  for (const auto& server : servers) server_ptrs.push_back(server.c_str());
  if (auto ok = check(
          natsOptions_SetServers(options, server_ptrs.data(), static_cast<int>(server_ptrs.size())),
          where + ": the URL is not valid; expected nats://host:port");
      !ok) {
    return ok.error();
  }
  (void)natsOptions_SetName(options, client_name.c_str());
  // Reconnect forever: cnats' default gives up after 60 attempts and closes for good.
  (void)natsOptions_SetMaxReconnect(options, -1);
  (void)natsOptions_SetCustomReconnectDelay(options, next_reconnect_delay, &state);
  (void)natsOptions_SetRetryOnFailedConnect(options, true, on_connected, &state);
  // Requests (JetStream publishes, acks, API calls) fail at once while disconnected instead
  // of waiting out their timeout; the callers retry once the connection is back.
  (void)natsOptions_SetFailRequestsOnDisconnect(options, true);
  // A half-open TCP connection is noticed within about 15 s.
  (void)natsOptions_SetPingInterval(options, 5000);
  (void)natsOptions_SetMaxPingsOut(options, 3);
  // Every publish is written at once instead of by cnats' flusher thread, which waits 1 ms to
  // gather more: a task's journal writes and events go out one after another from the
  // acknowledgement thread, and each would wait that millisecond.
  (void)natsOptions_SetSendAsap(options, true);
  (void)natsOptions_SetDisconnectedCB(options, on_disconnected, &state);
  (void)natsOptions_SetReconnectedCB(options, on_reconnected, &state);
  (void)natsOptions_SetClosedCB(options, on_closed, &state);
  (void)natsOptions_SetErrorHandler(options, on_error, &state);

  bool secure = config.tls.enabled;
  for (const auto& server : servers) secure = secure || server.rfind("tls://", 0) == 0;
  if (secure) {
    if (auto ok = check(natsOptions_SetSecure(options, true), where + ": cannot enable TLS"); !ok) {
      return ok.error();
    }
    if (!config.tls.ca.empty()) {
      if (auto ok = check(natsOptions_LoadCATrustedCertificates(options, config.tls.ca.c_str()),
                          where + ": cannot load the CA file " + config.tls.ca.string() +
                              " (controlPlane.nats.tls.ca); expected PEM certificates");
          !ok) {
        return ok.error();
      }
    }
    if (!config.tls.cert.empty()) {
      if (auto ok = check(natsOptions_LoadCertificatesChain(options, config.tls.cert.c_str(),
                                                            config.tls.key.c_str()),
                          where + ": cannot load the client certificate " +
                              config.tls.cert.string() + " with key " + config.tls.key.string() +
                              " (controlPlane.nats.tls); expected a PEM certificate and its key");
          !ok) {
        return ok.error();
      }
    }
  }
  if (!config.token.empty()) {
    auto token = read_secret(config.token, "controlPlane.nats.token");
    if (!token) return token.error();
    (void)natsOptions_SetToken(options, token->c_str());
  }
  if (!config.user.empty()) {
    auto user = read_secret(config.user, "controlPlane.nats.user");
    if (!user) return user.error();
    auto password = read_secret(config.password, "controlPlane.nats.password");
    if (!password) return password.error();
    (void)natsOptions_SetUserInfo(options, user->c_str(), password->c_str());
  }
  if (!config.credentials.empty()) {
    if (auto ok = check(
            natsOptions_SetUserCredentialsFromFiles(options, config.credentials.c_str(), nullptr),
            where + ": cannot use the credentials file " + config.credentials.string() +
                " (controlPlane.nats.credentials)");
        !ok) {
      return ok.error();
    }
  }

  const natsStatus connected = natsConnection_Connect(&self->connection_, options);
  if (connected == NATS_OK) {
    set_connected(state, true);
    log_info("connected to NATS", {{"url", self->display_url_}, {"from", url.source}});
  } else if (connected == NATS_NOT_YET_CONNECTED) {
    log_warning("NATS is not reachable yet; retrying in the background",
                {{"url", self->display_url_}, {"from", url.source}});
  } else {
    return nats_error(where + ": cannot connect", connected);
  }

  jsOptions js_options;
  jsOptions_Init(&js_options);
  js_options.Wait = config.publish_timeout.count();
  if (auto s = natsConnection_JetStream(&self->jetstream_, self->connection_, &js_options);
      s != NATS_OK) {
    return nats_error(where + ": cannot create the JetStream context", s);
  }
  return self;
}

NatsConnection::~NatsConnection() {
  if (state_) {
    std::lock_guard<std::mutex> lock(state_->mutex);
    state_->closing = true;
    state_->on_reconnected = nullptr;
  }
  if (jetstream_ != nullptr) jsCtx_Destroy(jetstream_);
  if (connection_ != nullptr) {
    natsConnection_Close(connection_);
    natsConnection_Destroy(connection_);
  }
  if (options_ != nullptr) natsOptions_Destroy(options_);
  if (state_) retire(std::move(state_));
}

bool NatsConnection::connected() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  return state_->connected;
}

bool NatsConnection::wait_connected(std::chrono::milliseconds deadline,
                                    const std::function<bool()>& stop) {
  std::unique_lock<std::mutex> lock(state_->mutex);
  state_->changed.wait_for(lock, deadline, [&] { return state_->connected || stop(); });
  return state_->connected;
}

void NatsConnection::interrupt() {
  {
    std::lock_guard<std::mutex> lock(state_->mutex);
    ++state_->interrupts;
  }
  state_->changed.notify_all();
}

uint64_t NatsConnection::reconnects() const { return state_->reconnects.load(); }

}  // namespace kph::host::nats
