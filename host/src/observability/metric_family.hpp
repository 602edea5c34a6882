// One metric name with one child series per distinct set of label values, e.g.
// keptn_host_tasks_started_total{plugin="lighthouse"}. Children are made on first use and live
// as long as the family, so a reference from with() may be kept and used from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace kph::host {

using LabelValues = std::vector<std::string>;

// A count that only goes up. Thread: any.
class Counter {
 public:
  void inc(uint64_t by = 1) { value_.fetch_add(by, std::memory_order_relaxed); }
  uint64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> value_{0};
};

template <typename Metric>
class MetricFamily {
 public:
  using Factory = std::function<std::unique_ptr<Metric>()>;

  MetricFamily(std::vector<std::string> label_names, Factory make)
      : label_names_(std::move(label_names)), make_(std::move(make)) {}

  const std::vector<std::string>& label_names() const { return label_names_; }

  // The child for these label values (in label_names() order), made if new. A lookup takes a
  // shared lock; only the first use of a label set takes the exclusive one. Throws
  // std::invalid_argument when the number of values does not match the label names, which is
  // a programming error. Thread: any.
  Metric& with(const LabelValues& values) {
    if (values.size() != label_names_.size()) {
      throw std::invalid_argument("metric family takes " + std::to_string(label_names_.size()) +
                                  " label values, got " + std::to_string(values.size()));
    }
    {
      std::shared_lock lock(mutex_);
      if (auto it = children_.find(values); it != children_.end()) return *it->second;
    }
    auto child = make_();  // outside the lock: a histogram allocates its buckets
    std::unique_lock lock(mutex_);
    auto [it, inserted] = children_.try_emplace(values, nullptr);
    if (inserted) it->second = std::move(child);
    return *it->second;
  }

  // Every child, ordered by label values, for a scrape. The pointers stay valid for the
  // family's life. Thread: any.
  std::vector<std::pair<LabelValues, const Metric*>> children() const {
    std::shared_lock lock(mutex_);
    std::vector<std::pair<LabelValues, const Metric*>> out;
    out.reserve(children_.size());
    for (const auto& [values, child] : children_) out.emplace_back(values, child.get());
    return out;
  }

 private:
  const std::vector<std::string> label_names_;
  const Factory make_;
  mutable std::shared_mutex mutex_;
  std::map<LabelValues, std::unique_ptr<Metric>> children_;
};

}  // namespace kph::host
