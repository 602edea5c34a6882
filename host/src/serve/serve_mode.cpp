#include "serve/serve_mode.hpp"

#include <unistd.h>

#include <atomic>
#include <memory>
#include <mutex>

#include "common/cloud_event.hpp"
#include "observability/host_metrics.hpp"
#include "observability/http_endpoints.hpp"
#include "serve/engine_set.hpp"
#include "serve/signal_watcher.hpp"
#include "transport/nats/async_publisher.hpp"
#include "transport/nats/jetstream_intake.hpp"
#include "transport/nats/jetstream_setup.hpp"
#include "transport/nats/jetstream_sink.hpp"
#include "transport/nats/kv_task_journal.hpp"
#include "transport/nats/nats_connection.hpp"
#include "transport/nats/nats_error.hpp"
#include "transport/nats/stream_event_store.hpp"
#include "transport/nats/subscription_reader.hpp"

namespace kph::host {
namespace {

using Clock = std::chrono::steady_clock;
using nats::NatsConnection;

// Replies a task may await arrive on every replica through this broadcast subscription: task
// event types have one token between "sh.keptn.event." and the kind.
constexpr const char* kReplySubject = "sh.keptn.event.*.finished";
// Core mode's intake: everything Keptn publishes.
constexpr const char* kCoreSubject = "sh.keptn.>";

std::string host_name() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0 || name[0] == '\0') return "unknown-host";
  return name;
}

int64_t elapsed_ms(Clock::time_point since) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - since).count();
}

// What serve runs with: the config's nats block (or its defaults without a config), with the
// command line's overrides.
Result<NatsConfig> nats_settings(const ServeOptions& options, const HostConfig& config) {
  if (options.setup.config_file && config.control_plane.mode != "nats") {
    return Error{options.setup.config_file->string() +
                 ": keptn-host serve needs controlPlane.mode: nats; found mode: " +
                 config.control_plane.mode +
                 "; set mode: nats (with a nats: block if the defaults do not fit), or use "
                 "keptn-host run for local mode"};
  }
  NatsConfig nats = config.control_plane.nats;
  if (!options.nats_url.empty()) nats.url = options.nats_url;
  if (!options.consumer.empty()) nats.consumer = options.consumer;
  if (!options.stream.empty()) nats.stream = options.stream;
  if (options.shutdown_grace) nats.shutdown_grace = *options.shutdown_grace;
  return nats;
}

std::vector<std::string> instance_names(const HostParts& parts) {
  std::vector<std::string> names;
  for (size_t i = 0; i < parts.config.plugins.size() && i < parts.libraries.size(); ++i) {
    const auto& name = parts.config.plugins[i].name;
    names.push_back(name.empty() ? parts.libraries[i]->metadata().name : name);
  }
  return names;
}

// One event off the wire, or why not (logged by the caller).
Result<nlohmann::json> decode(std::string_view data) {
  if (data.size() > kMaxEventBytes) {
    return Error{"the event is " + std::to_string(data.size()) +
                 " bytes; expected at most 1 MiB; it is dropped"};
  }
  return parse_cloud_event(data);
}

// Who hears about reconnects: replies published while this host was away are only in the
// stream, and the engines look them up there. Set once the engines run, cleared before they
// stop; the lock makes the clearing wait for a call in progress.
struct ReconnectListener {
  std::mutex mutex;
  EngineSet* engines = nullptr;

  void reconnected() {
    std::lock_guard<std::mutex> lock(mutex);
    if (engines != nullptr) engines->recover_replies();
  }
  void attach(EngineSet* set) {
    std::lock_guard<std::mutex> lock(mutex);
    engines = set;
  }
};

// Detaches the engines on every way out of run_serve, before they go away.
struct EnginesAttached {
  EnginesAttached(std::shared_ptr<ReconnectListener> to, EngineSet& engines)
      : listener(std::move(to)) {
    listener->attach(&engines);
  }
  ~EnginesAttached() { listener->attach(nullptr); }
  EnginesAttached(const EnginesAttached&) = delete;
  EnginesAttached& operator=(const EnginesAttached&) = delete;
  std::shared_ptr<ReconnectListener> listener;
};

// What /readyz reports, from parts that come to life one after the other.
struct ReadyState {
  std::atomic<NatsConnection*> connection{nullptr};
  std::atomic<nats::JetStreamIntake*> intake{nullptr};
  std::atomic<nats::SubscriptionReader*> core_intake{nullptr};
  std::atomic<bool> stopping{false};

  Readiness check() const {
    if (stopping) return {false, "shutting down"};
    NatsConnection* c = connection.load();
    if (c == nullptr) return {false, "starting"};
    if (!c->connected()) return {false, "not connected to NATS"};
    if (auto* i = intake.load()) {
      return i->ready() ? Readiness{true, ""} : Readiness{false, "consumer not bound"};
    }
    if (auto* r = core_intake.load()) {
      return r->ready() ? Readiness{true, ""} : Readiness{false, "not subscribed"};
    }
    return {false, "starting"};
  }
};

// JetStream is the queue: a message held in memory is hidden from the other replicas, and a
// crash costs it one of its maxDeliver attempts. So unless told otherwise a plugin instance
// keeps no more waiting than it has workers, and the rest stays on the server.
void keep_the_queue_on_the_server(HostParts& parts) {
  for (auto& plugin : parts.config.plugins) {
    if (!plugin.queue_size) plugin.queue_size = plugin.max_concurrency;
  }
}

}  // namespace

int run_serve(const ServeOptions& options) {
  // First, before any thread exists: every thread inherits the blocked signals.
  SignalWatcher signals;
  Logger::instance().configure(options.log_level, options.log_format);

  auto parts = prepare_host(options.setup);
  if (!parts) {
    log_error("keptn-host serve: " + parts.error().message);
    return 2;
  }
  auto settings = nats_settings(options, parts->config);
  if (!settings) {
    log_error(settings.error().message);
    return 2;
  }
  const NatsConfig nats = std::move(*settings);
  const bool jetstream = nats.mode == "jetstream";
  if (jetstream) keep_the_queue_on_the_server(*parts);
  const auto names = instance_names(*parts);
  const std::string durable =
      nats.consumer.empty() ? nats::default_consumer_name(names) : nats.consumer;
  const std::string queue_group = nats.queue_group.empty() ? durable : nats.queue_group;
  const std::string owner = host_name() + ":" + std::to_string(::getpid());

  HostMetrics metrics;
  for (const auto& name : names) metrics.add_plugin(name);
  ReadyState ready;

  // Everything the HTTP threads may reach lives in `live`, declared before `http`, so that
  // on every way out the endpoints stop first. Members go away in reverse order: the intake
  // and the reply listener before the engines, the engines before the sink and the connection.
  struct Live {
    std::unique_ptr<NatsConnection> connection;
    std::unique_ptr<nats::AsyncPublisher> publisher;
    std::unique_ptr<EventSink> sink;
    std::unique_ptr<TaskJournal> journal;
    std::unique_ptr<EventStore> stream_store;
    std::unique_ptr<EngineSet> engines;
    std::unique_ptr<nats::JetStreamIntake> intake;
    std::unique_ptr<nats::SubscriptionReader> core_intake;
    std::unique_ptr<nats::SubscriptionReader> replies;
  } live;

  std::unique_ptr<HttpEndpoints> http;
  if (options.metrics_port > 0) {
    HttpEndpointsOptions http_options;
    http_options.address = options.metrics_address;
    http_options.port = static_cast<uint16_t>(options.metrics_port);
    http_options.port_setting = "--metrics-port";
    http = std::make_unique<HttpEndpoints>(
        http_options, HttpEndpointsHandlers{[&ready] { return ready.check(); },
                                            [&metrics] { return metrics.render(); }});
    if (auto started = http->start(); !started) {
      log_error("keptn-host serve: " + started.error().message);
      return 2;
    }
    log_info("serving /healthz, /readyz and /metrics", {{"endpoint", http->endpoint()}});
  }

  NatsConnection::Hooks hooks;
  // Shared with the hook: cnats may call it after the connection is gone (nats.c#735).
  auto reconnects = std::make_shared<ReconnectListener>();
  hooks.on_reconnected = [&metrics, reconnects] {
    metrics.record_nats_reconnect();
    reconnects->reconnected();
  };
  auto connection = NatsConnection::open(nats, "keptn-host " + durable + " on " + owner, hooks);
  if (!connection) {
    log_error("keptn-host serve: " + connection.error().message);
    return 2;
  }
  live.connection = std::move(*connection);
  NatsConnection& nc = *live.connection;
  ready.connection = &nc;

  // The first connection may take a while (the server starts after us): wait, but stay
  // responsive to SIGTERM.
  auto waiting_since = Clock::now();
  while (!nc.wait_connected(std::chrono::milliseconds(200), [] { return false; })) {
    if (auto request = signals.wait(std::chrono::milliseconds(0));
        request == SignalRequest::kStop) {
      log_info("stopped before NATS was reachable");
      return 0;
    }
    if (elapsed_ms(waiting_since) > 10000) {
      log_warning("still waiting for NATS", {{"url", nc.display_url()}});
      waiting_since = Clock::now();
    }
  }

  EventStore* store = parts->store.get();
  if (jetstream) {
    auto publisher = nats::AsyncPublisher::open(nc);
    if (!publisher) {
      log_error("keptn-host serve: " + publisher.error().message);
      return 2;
    }
    live.publisher = std::move(*publisher);
    // The stream and the journal bucket: retried while the server is (re)starting, refused
    // for good when the reason is not going away (permissions, a missing stream).
    while (true) {
      auto bound = nats::ensure_stream(nc.jetstream(), nats);
      Result<std::unique_ptr<nats::KvTaskJournal>> opened =
          bound ? nats::KvTaskJournal::open(nc, nats, owner, live.publisher.get())
                : Result<std::unique_ptr<nats::KvTaskJournal>>(bound.error());
      if (opened) {
        live.journal = std::move(*opened);
        break;
      }
      const std::string& why = opened.error().message;
      const bool retry = !nc.connected() || why.find("imeout") != std::string::npos ||
                         why.find("o responders") != std::string::npos;
      if (!retry) {
        log_error("keptn-host serve: " + why);
        return 2;
      }
      log_warning("JetStream is not ready yet: " + why);
      if (signals.wait(std::chrono::seconds(1)) == SignalRequest::kStop) return 0;
    }
    live.stream_store = std::make_unique<nats::StreamEventStore>(nc, nats);
    store = live.stream_store.get();
    live.sink = std::make_unique<nats::JetStreamSink>(
        nc, nats.stream, nats.publish_timeout,
        [&metrics](std::chrono::duration<double> latency) {
          metrics.observe_publish_latency(latency);
        },
        live.publisher.get());
  } else {
    // Core mode keeps the configured store; it must outlive every engine, also those a
    // reload replaces, so it leaves the first generation's parts.
    live.stream_store = std::move(parts->store);
    store = live.stream_store.get();
    live.sink = std::make_unique<nats::CoreSink>(nc, nats.publish_timeout);
  }

  live.engines = std::make_unique<EngineSet>(*live.sink, *store, live.journal.get(), &metrics,
                                             nats.shutdown_grace);
  EngineSet& engines = *live.engines;
  metrics.watch([&engines] { return engines.stats(); });
  if (auto started = engines.start(std::move(*parts)); !started) {
    log_error("keptn-host serve: " + started.error().message);
    return 2;
  }
  EnginesAttached attached(reconnects, engines);

  if (jetstream) {
    live.intake = std::make_unique<nats::JetStreamIntake>(
        nc, nats, durable, [&engines](nlohmann::json event, SettledFn on_settled) {
          return engines.submit(std::move(event), std::move(on_settled));
        });
    if (auto started = live.intake->start(); !started) {
      log_error("keptn-host serve: " + started.error().message);
      return 2;
    }
    ready.intake = live.intake.get();
  } else {
    live.core_intake = std::make_unique<nats::SubscriptionReader>(
        nc, kCoreSubject, queue_group,
        [&engines](const std::string& subject, std::string_view data) {
          auto event = decode(data);
          if (!event) {
            log_warning(
                "dropped a message that is not a usable Keptn event: " + event.error().message,
                {{"subject", subject}});
            return;
          }
          if (auto taken = engines.submit(std::move(*event), {}); !taken) {
            log_debug("event not taken: " + taken.error().message, {{"subject", subject}});
          }
        });
    if (auto started = live.core_intake->start(); !started) {
      log_error("keptn-host serve: " + started.error().message);
      return 2;
    }
    ready.core_intake = live.core_intake.get();
    log_info(
        "taking tasks from core NATS (at most once: events published while no replica "
        "is subscribed are lost)",
        {{"subject", kCoreSubject}, {"queueGroup", queue_group}});
  }
  live.replies = std::make_unique<nats::SubscriptionReader>(
      nc, kReplySubject, "", [&engines](const std::string&, std::string_view data) {
        auto event = decode(data);
        if (event) engines.offer_reply(*event);
      });
  if (auto started = live.replies->start(); !started) {
    log_error("keptn-host serve: " + started.error().message);
    return 2;
  }
  log_info("keptn-host serve is ready",
           {{"mode", nats.mode}, {"url", nc.display_url()}, {"consumer", durable}});

  while (true) {
    const auto request = signals.wait(std::chrono::hours(24));
    if (!request) continue;
    if (*request == SignalRequest::kStop) break;
    log_info("SIGHUP: reloading plugins, their configs and routes");
    auto fresh = prepare_host(options.setup);
    if (!fresh) {
      log_error("reload refused, the running plugins stay: " + fresh.error().message);
      continue;
    }
    if (jetstream) keep_the_queue_on_the_server(*fresh);
    for (const auto& name : instance_names(*fresh)) metrics.add_plugin(name);
    if (auto reloaded = engines.reload(std::move(*fresh)); !reloaded) {
      log_error("reload refused, the running plugins stay: " + reloaded.error().message);
      continue;
    }
    log_info("reloaded; tasks that were running finish on the previous plugins");
  }

  const auto stop_started = Clock::now();
  ready.stopping = true;
  if (live.intake) live.intake->stop_intake();
  if (live.core_intake) live.core_intake->stop();
  log_info("stopped taking work; draining running tasks",
           {{"tookMs", std::to_string(elapsed_ms(stop_started))},
            {"grace", std::to_string(nats.shutdown_grace.count()) + "ms"}});
  // Running tasks finish (or are given back) first; the reply listener stays up meanwhile,
  // because a task may be waiting for a reply.
  engines.shutdown();
  live.replies->stop();
  if (live.intake) live.intake->drain(nats.publish_timeout);
  if (http) http->stop();
  log_info("keptn-host serve stopped", {{"tookMs", std::to_string(elapsed_ms(stop_started))}});
  return 0;
}

}  // namespace kph::host
