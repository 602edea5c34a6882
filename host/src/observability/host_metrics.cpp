#include "observability/host_metrics.hpp"

#include <array>
#include <string_view>

namespace kph::host {
namespace {

constexpr std::array<std::string_view, 4> kStatuses = {"succeeded", "errored", "aborted",
                                                       "unknown"};
constexpr std::array<std::string_view, 3> kResults = {"pass", "warning", "fail"};

// Label values come from plugins' .finished data; unbounded values would grow the series
// count (and the scrape) without limit.
template <size_t N>
std::string bounded_label(const std::string& value, const std::array<std::string_view, N>& known) {
  if (value.empty()) return value;
  for (const auto k : known) {
    if (value == k) return value;
  }
  return "other";
}

}  // namespace

const std::vector<double> HostMetrics::kTaskDurationBounds = {
    0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600};
const std::vector<double> HostMetrics::kPublishLatencyBounds = {
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};

HostMetrics::HostMetrics()
    : received_(registry_.add_counter(
          "keptn_host_tasks_received_total",
          "Tasks taken for a plugin instance: one per routed .triggered event.", {"plugin"})),
      started_(registry_.add_counter("keptn_host_tasks_started_total",
                                     "Tasks whose .started was sent.", {"plugin"})),
      finished_(registry_.add_counter(
          "keptn_host_tasks_finished_total",
          "Tasks whose .finished was sent, by its status and result (\"other\" for values "
          "outside Keptn's).",
          {"plugin", "status", "result"})),
      errored_(registry_.add_counter("keptn_host_tasks_errored_total",
                                     "Tasks finished with status errored (plugin error, "
                                     "exception, timeout or host restart).",
                                     {"plugin"})),
      redelivered_(registry_.add_counter(
          "keptn_host_tasks_redelivered_total",
          "Triggered events delivered again for a task the journal already knows.", {"plugin"})),
      duration_(registry_.add_histogram("keptn_host_task_duration_seconds",
                                        "Time from taking a task to sending its .finished.",
                                        {"plugin"}, kTaskDurationBounds)),
      nats_reconnects_(registry_
                           .add_counter("keptn_host_nats_reconnects_total",
                                        "Times the NATS connection was re-established.")
                           .with({})),
      publish_latency_(registry_
                           .add_histogram("keptn_host_publish_latency_seconds",
                                          "Time from publishing an event to the server's ack.", {},
                                          kPublishLatencyBounds)
                           .with({})) {
  registry_.add_gauge("keptn_host_tasks_in_flight", "Tasks taken and not yet finished.", {"plugin"},
                      [this] {
                        std::vector<GaugeSample> samples;
                        for (const auto& load : current_loads()) {
                          samples.push_back({{load.plugin}, static_cast<double>(load.in_flight)});
                        }
                        return samples;
                      });
  registry_.add_gauge("keptn_host_queue_depth", "Tasks waiting for a worker of the instance.",
                      {"plugin"}, [this] {
                        std::vector<GaugeSample> samples;
                        for (const auto& load : current_loads()) {
                          samples.push_back({{load.plugin}, static_cast<double>(load.queue_depth)});
                        }
                        return samples;
                      });
}

void HostMetrics::add_plugin(const std::string& plugin) {
  received_.with({plugin});
  started_.with({plugin});
  errored_.with({plugin});
  redelivered_.with({plugin});
  duration_.with({plugin});
}

void HostMetrics::set_load_source(PluginLoadSource source) {
  std::lock_guard lock(source_mutex_);
  load_source_ = std::move(source);
}

std::vector<PluginLoad> HostMetrics::current_loads() const {
  PluginLoadSource source;
  {
    std::lock_guard lock(source_mutex_);
    source = load_source_;
  }
  return source ? source() : std::vector<PluginLoad>{};
}

void HostMetrics::task_received(const std::string& plugin) { received_.with({plugin}).inc(); }

void HostMetrics::task_started(const std::string& plugin) { started_.with({plugin}).inc(); }

void HostMetrics::task_finished(const std::string& plugin, const std::string& status,
                                const std::string& result, std::chrono::duration<double> duration) {
  finished_.with({plugin, bounded_label(status, kStatuses), bounded_label(result, kResults)}).inc();
  if (status == "errored") errored_.with({plugin}).inc();
  duration_.with({plugin}).observe(duration.count());
}

void HostMetrics::task_redelivered(const std::string& plugin) { redelivered_.with({plugin}).inc(); }

void HostMetrics::record_nats_reconnect() { nats_reconnects_.inc(); }

void HostMetrics::observe_publish_latency(std::chrono::duration<double> latency) {
  publish_latency_.observe(latency.count());
}

}  // namespace kph::host
