// A set of metric families rendered in the Prometheus text exposition format 0.0.4. Families
// are registered once, at start-up; after that, updates touch only the family's own atomics and
// (on a new label set) its short lock, and render() takes no lock while it formats or while a
// gauge collector runs. It never does I/O: the HTTP endpoint writes what render() returns.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "observability/histogram.hpp"
#include "observability/metric_family.hpp"

namespace kph::host {

// One gauge series as a collector reports it at scrape time.
struct GaugeSample {
  LabelValues labels;  // in the family's label-name order
  double value = 0;
};

// Reads a gauge's current values when a scrape happens, e.g. queue depths the engine knows.
// Must be quick and must not call back into the registry.
using GaugeCollector = std::function<std::vector<GaugeSample>()>;

class MetricsRegistry {
 public:
  MetricsRegistry();
  ~MetricsRegistry();
  MetricsRegistry(const MetricsRegistry&) = delete;
  MetricsRegistry& operator=(const MetricsRegistry&) = delete;

  // Registers a family and returns it; it lives as long as the registry. A family without
  // labels gets its one series at once, so it reads 0 before its first update.
  // Throws std::invalid_argument on a programming error: an invalid or duplicate name, a
  // counter whose name does not end in "_total", an invalid or repeated label name, a
  // histogram label named "le", bounds that are empty, not finite or not increasing.
  // Thread: any, though families are meant to be registered before they are used.
  MetricFamily<Counter>& add_counter(const std::string& name, const std::string& help,
                                     std::vector<std::string> label_names = {});
  MetricFamily<Histogram>& add_histogram(const std::string& name, const std::string& help,
                                         std::vector<std::string> label_names,
                                         std::vector<double> bounds);
  // A gauge read through collect at every scrape. Samples whose label count does not match
  // are left out; samples are written ordered by their labels.
  void add_gauge(const std::string& name, const std::string& help,
                 std::vector<std::string> label_names, GaugeCollector collect);

  // The text exposition of every family, in registration order, each with its HELP and TYPE
  // lines (also when it has no series yet), every line ended by '\n'. Thread: any.
  std::string render() const;

  class Family;  // one registered family; defined in the .cpp

 private:
  void add(std::unique_ptr<Family> family);

  mutable std::mutex mutex_;  // guards the list only, never held while rendering
  std::vector<std::unique_ptr<Family>> families_;
};

}  // namespace kph::host
