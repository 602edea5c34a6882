#include "observability/metrics_registry.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <stdexcept>
#include <thread>
#include <vector>

namespace kph::host {
namespace {

TEST(MetricsRegistry, RendersCountersExactly) {
  MetricsRegistry registry;
  auto& tasks = registry.add_counter("demo_tasks_total", "Tasks done.", {"plugin", "result"});
  registry.add_counter("demo_reconnects_total", "Reconnects.");
  tasks.with({"lighthouse", "pass"}).inc();
  tasks.with({"lighthouse", "pass"}).inc(2);
  tasks.with({"approval", "fail"}).inc();

  // Series are ordered by label values; a family without labels reads 0 from the start.
  EXPECT_EQ(registry.render(),
            "# HELP demo_tasks_total Tasks done.\n"
            "# TYPE demo_tasks_total counter\n"
            "demo_tasks_total{plugin=\"approval\",result=\"fail\"} 1\n"
            "demo_tasks_total{plugin=\"lighthouse\",result=\"pass\"} 3\n"
            "# HELP demo_reconnects_total Reconnects.\n"
            "# TYPE demo_reconnects_total counter\n"
            "demo_reconnects_total 0\n");
}

TEST(MetricsRegistry, RendersHistogramsWithCumulativeBucketsSumAndCount) {
  MetricsRegistry registry;
  auto& durations =
      registry.add_histogram("demo_duration_seconds", "How long.", {"plugin"}, {0.1, 1, 10});
  auto& latency = registry.add_histogram("demo_latency_seconds", "Latency.", {}, {0.005});
  durations.with({"a"}).observe(0.05);
  durations.with({"a"}).observe(0.1);
  durations.with({"a"}).observe(7);
  durations.with({"a"}).observe(30);
  latency.with({}).observe(0.25);

  EXPECT_EQ(registry.render(),
            "# HELP demo_duration_seconds How long.\n"
            "# TYPE demo_duration_seconds histogram\n"
            "demo_duration_seconds_bucket{plugin=\"a\",le=\"0.1\"} 2\n"
            "demo_duration_seconds_bucket{plugin=\"a\",le=\"1\"} 2\n"
            "demo_duration_seconds_bucket{plugin=\"a\",le=\"10\"} 3\n"
            "demo_duration_seconds_bucket{plugin=\"a\",le=\"+Inf\"} 4\n"
            "demo_duration_seconds_sum{plugin=\"a\"} 37.15\n"
            "demo_duration_seconds_count{plugin=\"a\"} 4\n"
            "# HELP demo_latency_seconds Latency.\n"
            "# TYPE demo_latency_seconds histogram\n"
            "demo_latency_seconds_bucket{le=\"0.005\"} 0\n"
            "demo_latency_seconds_bucket{le=\"+Inf\"} 1\n"
            "demo_latency_seconds_sum 0.25\n"
            "demo_latency_seconds_count 1\n");
}

TEST(MetricsRegistry, RendersGaugesFromTheCollectorAtEveryScrape) {
  MetricsRegistry registry;
  std::atomic<int> depth{3};
  registry.add_gauge("demo_queue_depth", "Waiting.", {"plugin"}, [&] {
    return std::vector<GaugeSample>{{{"zeta"}, 1.5},
                                    {{"alpha"}, static_cast<double>(depth.load())},
                                    {{"too", "many"}, 9}};  // wrong label count: left out
  });
  EXPECT_EQ(registry.render(),
            "# HELP demo_queue_depth Waiting.\n"
            "# TYPE demo_queue_depth gauge\n"
            "demo_queue_depth{plugin=\"alpha\"} 3\n"
            "demo_queue_depth{plugin=\"zeta\"} 1.5\n");
  depth = 0;
  EXPECT_NE(registry.render().find("demo_queue_depth{plugin=\"alpha\"} 0\n"), std::string::npos);
}

TEST(MetricsRegistry, FamilyWithoutSeriesStillHasHelpAndType) {
  MetricsRegistry registry;
  registry.add_counter("demo_errors_total", "Errors.", {"plugin"});
  registry.add_gauge("demo_in_flight", "Running.", {"plugin"},
                     [] { return std::vector<GaugeSample>{}; });
  EXPECT_EQ(registry.render(),
            "# HELP demo_errors_total Errors.\n"
            "# TYPE demo_errors_total counter\n"
            "# HELP demo_in_flight Running.\n"
            "# TYPE demo_in_flight gauge\n");
}

TEST(MetricsRegistry, EscapesLabelValuesAndHelp) {
  MetricsRegistry registry;
  auto& family =
      registry.add_counter("demo_odd_total", "Odd \"names\" \\ and\nnewlines.", {"plugin"});
  family.with({"we\"ird\\name\nx"}).inc();
  EXPECT_EQ(registry.render(),
            "# HELP demo_odd_total Odd \"names\" \\\\ and\\nnewlines.\n"
            "# TYPE demo_odd_total counter\n"
            "demo_odd_total{plugin=\"we\\\"ird\\\\name\\nx\"} 1\n");
}

TEST(MetricsRegistry, RefusesInvalidRegistrations) {
  MetricsRegistry registry;
  registry.add_counter("demo_a_total", "A.");
  EXPECT_THROW(registry.add_counter("demo_a_total", "Again."), std::invalid_argument);
  EXPECT_THROW(registry.add_counter("demo_tasks", "No suffix."), std::invalid_argument);
  EXPECT_THROW(registry.add_counter("demo-b_total", "Dash."), std::invalid_argument);
  EXPECT_THROW(registry.add_counter("demo_c_total", "Bad label.", {"plug-in"}),
               std::invalid_argument);
  EXPECT_THROW(registry.add_counter("demo_d_total", "Reserved.", {"__name__"}),
               std::invalid_argument);
  EXPECT_THROW(registry.add_counter("demo_e_total", "Twice.", {"a", "a"}), std::invalid_argument);
  EXPECT_THROW(registry.add_histogram("demo_f", "le.", {"le"}, {1}), std::invalid_argument);
  EXPECT_THROW(registry.add_histogram("demo_g", "Empty.", {}, {}), std::invalid_argument);
  EXPECT_THROW(registry.add_histogram("demo_h", "Unsorted.", {}, {1, 0.5}), std::invalid_argument);
  EXPECT_THROW(registry.add_histogram("demo_i", "Repeated.", {}, {1, 1}), std::invalid_argument);
  EXPECT_THROW(registry.add_histogram("demo_j", "Infinite.", {}, {1, HUGE_VAL}),
               std::invalid_argument);
  EXPECT_THROW(registry.add_gauge("demo_k", "No collector.", {}, nullptr), std::invalid_argument);
  // Only the first registration took.
  EXPECT_EQ(registry.render(),
            "# HELP demo_a_total A.\n# TYPE demo_a_total counter\ndemo_a_total 0\n");
}

TEST(MetricsRegistry, WrongNumberOfLabelValuesIsRefused) {
  MetricsRegistry registry;
  auto& family = registry.add_counter("demo_x_total", "X.", {"plugin", "status"});
  EXPECT_THROW(family.with({"only-one"}), std::invalid_argument);
  EXPECT_THROW(family.with({"a", "b", "c"}), std::invalid_argument);
}

TEST(MetricsRegistry, ConcurrentUpdatesAndScrapesLoseNothing) {
  MetricsRegistry registry;
  auto& family = registry.add_counter("demo_hits_total", "Hits.", {"plugin"});
  auto& histogram = registry.add_histogram("demo_seconds", "Seconds.", {"plugin"}, {1});
  constexpr int kThreads = 8;
  constexpr int kPerThread = 20000;
  const std::vector<std::string> plugins = {"a", "b", "c", "d"};

  std::atomic<bool> done{false};
  std::atomic<int> scrapes{0};
  // A scraper running all the time must neither block the writers nor see a torn family.
  std::thread scraper([&] {
    while (!done) {
      const std::string text = registry.render();
      EXPECT_EQ(text.back(), '\n');
      ++scrapes;
    }
  });
  std::vector<std::thread> writers;
  for (int t = 0; t < kThreads; ++t) {
    writers.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const std::string& plugin = plugins[static_cast<size_t>(i + t) % plugins.size()];
        family.with({plugin}).inc();
        histogram.with({plugin}).observe(0.5);
      }
    });
  }
  for (auto& writer : writers) writer.join();
  done = true;
  scraper.join();

  constexpr uint64_t kEach = uint64_t{kThreads} * kPerThread / 4;
  std::string expected_counters;
  for (const auto& plugin : plugins) {
    EXPECT_EQ(family.with({plugin}).value(), kEach) << plugin;
    EXPECT_EQ(histogram.with({plugin}).snapshot().count(), kEach) << plugin;
    expected_counters +=
        "demo_hits_total{plugin=\"" + plugin + "\"} " + std::to_string(kEach) + "\n";
  }
  EXPECT_NE(registry.render().find(expected_counters), std::string::npos);
  EXPECT_GT(scrapes.load(), 0);
}

}  // namespace
}  // namespace kph::host
