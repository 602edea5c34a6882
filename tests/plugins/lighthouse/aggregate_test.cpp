#include "aggregate.hpp"

#include <gtest/gtest.h>

namespace kph::plugins::lighthouse {
namespace {

std::vector<PreviousValue> ok(std::initializer_list<double> values) {
  std::vector<PreviousValue> out;
  for (const double v : values) out.push_back({v, true});
  return out;
}

TEST(KeptnPercentile, MatchesTheReferenceExamples) {
  const std::vector<double> zero_to_ten = {10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0};
  EXPECT_EQ(keptn_percentile(zero_to_ten, 0.5), 5);
  EXPECT_EQ(keptn_percentile(zero_to_ten, 0.9), 9.8);
  EXPECT_EQ(keptn_percentile(zero_to_ten, 0.95), 10);
  EXPECT_EQ(keptn_percentile({1, 2, 3, 4}, 0.5), 2.5);
  std::vector<double> one_to_twenty;
  for (int i = 1; i <= 20; ++i) one_to_twenty.push_back(i);
  EXPECT_EQ(keptn_percentile(one_to_twenty, 0.9), 18.900000000000002);
  EXPECT_EQ(keptn_percentile({7}, 0.5), 7);
  EXPECT_EQ(keptn_percentile({7}, 0.95), 7);
  EXPECT_EQ(keptn_percentile({1, 2}, 0.5), 1.5);
  EXPECT_EQ(keptn_percentile({1, 2}, 0.3), 1);  // rank below 1 clamps to the first value
}

TEST(AggregatePrevious, CombinesOnlySuccessfulValues) {
  const auto mixed = std::vector<PreviousValue>{{100, true}, {5000, false}, {200, true}};
  const Aggregate avg = aggregate_previous(mixed, "avg");
  EXPECT_FALSE(avg.skip);
  EXPECT_EQ(avg.value, 150);
  EXPECT_EQ(aggregate_previous(ok({0.1, 0.2, 0.3}), "avg").value, (0.1 + 0.2 + 0.3) / 3);
  EXPECT_EQ(aggregate_previous(ok({4, 1, 3, 2}), "p50").value, 2.5);
  EXPECT_EQ(aggregate_previous(ok({4, 1, 3, 2}), "p90").value, 4);
  EXPECT_EQ(aggregate_previous(ok({4, 1, 3, 2}), "p95").value, 4);
}

TEST(AggregatePrevious, SkipsWithoutUsableHistory) {
  EXPECT_TRUE(aggregate_previous({}, "avg").skip);
  EXPECT_TRUE(aggregate_previous({{5, false}}, "avg").skip);
  EXPECT_EQ(aggregate_previous({{5, false}}, "avg").value, 0);
}

TEST(AggregatePrevious, UnknownFunctionGivesZeroWithoutSkipping) {
  for (const char* name : {"max", "p99", "AVG", ""}) {
    const Aggregate a = aggregate_previous(ok({10, 20}), name);
    EXPECT_FALSE(a.skip) << name;
    EXPECT_EQ(a.value, 0) << name;
  }
}

}  // namespace
}  // namespace kph::plugins::lighthouse
