#include "aggregate.hpp"

#include <algorithm>
#include <cmath>

namespace kph::plugins::lighthouse {

double keptn_percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  // Go's sort.Float64Slice puts NaNs first; JSON carries none, but the order stays Go's.
  std::sort(values.begin(), values.end(),
            [](double a, double b) { return a < b || (std::isnan(a) && !std::isnan(b)); });
  const size_t size = values.size();
  const double pos = p * static_cast<double>(size + 1);
  if (pos < 1.0) return values[0];
  if (pos >= static_cast<double>(size)) return values[size - 1];
  const auto index = static_cast<size_t>(pos);
  const double lower = values[index - 1];
  const double upper = values[index];
  return lower + (pos - std::floor(pos)) * (upper - lower);
}

Aggregate aggregate_previous(const std::vector<PreviousValue>& previous,
                             std::string_view function) {
  std::vector<double> values;
  for (const auto& item : previous) {
    if (item.success) values.push_back(item.value);
  }
  if (values.empty()) return {0, true};
  if (function == "avg") {
    double sum = 0;
    for (const double v : values) sum += v;
    return {sum / static_cast<double>(values.size()), false};
  }
  if (function == "p50") return {keptn_percentile(values, 0.5), false};
  if (function == "p90") return {keptn_percentile(values, 0.9), false};
  if (function == "p95") return {keptn_percentile(values, 0.95), false};
  return {0, false};
}

}  // namespace kph::plugins::lighthouse
