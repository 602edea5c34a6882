// How lighthouse combines one SLI's previous values into the single number relative criteria
// compare against (comparison.aggregate_function).
#pragma once

#include <string_view>
#include <vector>

namespace kph::plugins::lighthouse {

struct PreviousValue {
  double value = 0;
  bool success = false;
};

struct Aggregate {
  double value = 0;  // 0 when skipped or the function is unknown
  bool skip = true;  // no usable history: relative criteria are satisfied with target 0
};

// Keeps the successful values in order; none gives skip. "avg" is a left-to-right mean; "p50",
// "p90" and "p95" use the (n+1)-rank percentile; any other name gives 0 without skipping.
Aggregate aggregate_previous(const std::vector<PreviousValue>& previous, std::string_view function);

// The percentile lighthouse computes: rank r = p*(n+1) over the sorted values, clamped to the
// first and last value, linear interpolation in between.
double keptn_percentile(std::vector<double> values, double p);

}  // namespace kph::plugins::lighthouse
