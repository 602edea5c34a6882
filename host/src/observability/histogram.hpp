// A Prometheus histogram: observations counted into fixed buckets. Lock-free: every bucket
// and the sum are atomics, so observe() never waits for a scrape or another observer.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

namespace kph::host {

// What a scrape reads: cumulative counts per upper bound, as the format writes them.
struct HistogramSnapshot {
  std::vector<double> bounds;        // finite upper bounds, increasing; +Inf is implied
  std::vector<uint64_t> cumulative;  // bounds.size() + 1 entries; the last one is for +Inf
  double sum = 0;
  uint64_t count() const { return cumulative.empty() ? 0 : cumulative.back(); }
};

class Histogram {
 public:
  // bounds: finite, strictly increasing (checked by MetricsRegistry, which makes histograms).
  explicit Histogram(std::vector<double> bounds);

  // Counts value into the first bucket whose bound is >= value (bounds are inclusive, `le`).
  // NaN is ignored: it would turn the sum into NaN for the rest of the process' life.
  // Thread: any.
  void observe(double value);

  // The count is derived from the buckets, so +Inf always equals _count; the sum may lag a
  // concurrent observe() by that one value. Thread: any.
  HistogramSnapshot snapshot() const;

 private:
  const std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> buckets_;  // per bucket, not cumulative
  std::atomic<double> sum_{0};
};

}  // namespace kph::host
