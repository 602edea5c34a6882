// The keptn_host_* metrics: what the engine reports through TaskObserver, what the NATS
// transport reports (reconnects, publish latency), and the engine's queue depths and tasks in
// flight, read when a scrape happens. One HostMetrics per process; serve creates it, hands it
// to the engine (set_observer) and to the transport, and its render() to the /metrics endpoint.
#pragma once

#include <kph/host/task_observer.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "observability/metrics_registry.hpp"

namespace kph::host {

// What one plugin instance holds right now.
struct PluginLoad {
  std::string plugin;
  size_t in_flight = 0;    // tasks taken and not finished
  size_t queue_depth = 0;  // tasks waiting for a worker
};

// Called at every scrape, on the HTTP thread: must be quick and must not block on I/O.
using PluginLoadSource = std::function<std::vector<PluginLoad>()>;

class HostMetrics final : public TaskObserver {
 public:
  // Bucket upper bounds, in seconds. Tasks range from milliseconds (a no-op) to an hour (a
  // helm deploy or a job); publishes wait for one JetStream ack on a nearby server.
  static const std::vector<double> kTaskDurationBounds;
  static const std::vector<double> kPublishLatencyBounds;

  HostMetrics();

  // Makes the per-plugin series read 0 before the first task, so rate() and absent() work from
  // the first scrape. Call once per loaded instance name. Thread: any.
  void add_plugin(const std::string& plugin);

  // Where keptn_host_tasks_in_flight and keptn_host_queue_depth come from. Without a source
  // those two families have no series. Thread: any; usually once, before serving.
  void set_load_source(PluginLoadSource source);
  // The same from anything that returns a vector of structs with the fields plugin,
  // in_flight and queue_depth, such as Engine::stats():
  //   metrics.watch([&engine] { return engine.stats(); });
  template <typename StatsFn>
  void watch(StatsFn stats) {
    set_load_source([stats = std::move(stats)] {
      std::vector<PluginLoad> loads;
      for (const auto& s : stats()) loads.push_back({s.plugin, s.in_flight, s.queue_depth});
      return loads;
    });
  }

  // TaskObserver: quick and thread-safe; a known plugin costs a shared-lock lookup and an
  // atomic add, never a wait on I/O.
  void task_received(const std::string& plugin) override;
  void task_started(const std::string& plugin) override;
  // Counts keptn_host_tasks_finished_total{plugin,status,result} and the duration; a status
  // "errored" also counts keptn_host_tasks_errored_total. status and result outside Keptn's
  // values (succeeded/errored/aborted/unknown, pass/warning/fail) are counted as "other",
  // so a plugin cannot grow the number of series; an absent one stays "".
  void task_finished(const std::string& plugin, const std::string& status,
                     const std::string& result, std::chrono::duration<double> duration) override;
  void task_redelivered(const std::string& plugin) override;

  // For the NATS transport, from any thread (its callbacks included: these never block).
  void record_nats_reconnect();
  // From publishing an event to receiving the server's ack.
  void observe_publish_latency(std::chrono::duration<double> latency);

  // The text for GET /metrics (Prometheus text format 0.0.4). Thread: any.
  std::string render() const { return registry_.render(); }

  const MetricsRegistry& registry() const { return registry_; }

 private:
  std::vector<PluginLoad> current_loads() const;

  MetricsRegistry registry_;
  MetricFamily<Counter>& received_;
  MetricFamily<Counter>& started_;
  MetricFamily<Counter>& finished_;
  MetricFamily<Counter>& errored_;
  MetricFamily<Counter>& redelivered_;
  MetricFamily<Histogram>& duration_;
  Counter& nats_reconnects_;
  Histogram& publish_latency_;

  mutable std::mutex source_mutex_;
  PluginLoadSource load_source_;
};

}  // namespace kph::host
