#include "observability/histogram.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <thread>
#include <vector>

namespace kph::host {
namespace {

TEST(Histogram, CountsIntoTheFirstBucketWhoseBoundIsAtLeastTheValue) {
  Histogram histogram({1, 2, 5});
  // le is inclusive: 1 counts under le="1", 5.0001 only under +Inf.
  for (double v : {-3.0, 0.5, 1.0, 1.5, 2.0, 5.0, 5.0001, 100.0}) histogram.observe(v);

  const HistogramSnapshot s = histogram.snapshot();
  EXPECT_EQ(s.bounds, (std::vector<double>{1, 2, 5}));
  EXPECT_EQ(s.cumulative, (std::vector<uint64_t>{3, 5, 6, 8}));
  EXPECT_EQ(s.count(), 8u);
  EXPECT_DOUBLE_EQ(s.sum, -3.0 + 0.5 + 1.0 + 1.5 + 2.0 + 5.0 + 5.0001 + 100.0);
}

TEST(Histogram, StartsEmpty) {
  const HistogramSnapshot s = Histogram({0.1}).snapshot();
  EXPECT_EQ(s.cumulative, (std::vector<uint64_t>{0, 0}));
  EXPECT_EQ(s.count(), 0u);
  EXPECT_EQ(s.sum, 0.0);
}

TEST(Histogram, IgnoresNaNSoTheSumStaysUsable) {
  Histogram histogram({1});
  histogram.observe(0.25);
  histogram.observe(std::nan(""));
  const HistogramSnapshot s = histogram.snapshot();
  EXPECT_EQ(s.count(), 1u);
  EXPECT_EQ(s.sum, 0.25);
}

TEST(Histogram, InfinityGoesToTheLastBucket) {
  Histogram histogram({1});
  histogram.observe(HUGE_VAL);
  EXPECT_EQ(histogram.snapshot().cumulative, (std::vector<uint64_t>{0, 1}));
}

TEST(Histogram, ConcurrentObservationsAreAllCounted) {
  Histogram histogram({0.5, 1, 2});
  constexpr int kThreads = 8;
  constexpr int kPerThread = 50000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&histogram, t] {
      // Each thread's values are exact in binary, so the sum is exact too.
      const double value = (t % 2 == 0) ? 0.5 : 2.0;
      for (int i = 0; i < kPerThread; ++i) histogram.observe(value);
    });
  }
  for (auto& thread : threads) thread.join();

  const HistogramSnapshot s = histogram.snapshot();
  constexpr uint64_t kHalf = uint64_t{kThreads / 2} * kPerThread;
  EXPECT_EQ(s.cumulative, (std::vector<uint64_t>{kHalf, kHalf, 2 * kHalf, 2 * kHalf}));
  EXPECT_EQ(s.sum, kHalf * 0.5 + kHalf * 2.0);
}

}  // namespace
}  // namespace kph::host
