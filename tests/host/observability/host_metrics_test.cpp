#include "observability/host_metrics.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <thread>

#include "support/process.hpp"

namespace kph::host {
namespace {

using Seconds = std::chrono::duration<double>;

const std::vector<std::string> kDurationLe = {"0.01", "0.05", "0.1",  "0.25", "0.5", "1",
                                              "2.5",  "5",    "10",   "30",   "60",  "120",
                                              "300",  "600",  "1800", "3600", "+Inf"};
const std::vector<std::string> kLatencyLe = {"0.0005", "0.001", "0.0025", "0.005", "0.01",
                                             "0.025",  "0.05",  "0.1",    "0.25",  "0.5",
                                             "1",      "2.5",   "5",      "+Inf"};

// The lines of one histogram series; cumulative counts are worked out by hand in each test.
std::string histogram_lines(const std::string& name, const std::string& labels,
                            const std::vector<std::string>& le, const std::vector<int>& cumulative,
                            const std::string& sum) {
  EXPECT_EQ(le.size(), cumulative.size()) << "test data for " << name;
  std::string out;
  for (size_t i = 0; i < le.size(); ++i) {
    out += name + "_bucket{" + labels + (labels.empty() ? "" : ",") + "le=\"" + le[i] + "\"} " +
           std::to_string(cumulative[i]) + "\n";
  }
  const std::string braces = labels.empty() ? "" : "{" + labels + "}";
  out += name + "_sum" + braces + " " + sum + "\n";
  out += name + "_count" + braces + " " + std::to_string(cumulative.back()) + "\n";
  return out;
}

// Shaped like Engine::stats()' element, which this code must not include.
struct FakeInstanceStats {
  std::string plugin;
  size_t in_flight = 0;
  size_t queue_depth = 0;
};

TEST(HostMetrics, RendersEveryFamilyExactly) {
  HostMetrics metrics;
  metrics.add_plugin("lighthouse");
  metrics.add_plugin("approval");
  metrics.watch([] {
    return std::vector<FakeInstanceStats>{{"lighthouse", 1, 0}, {"approval", 1, 2}};
  });

  metrics.task_received("lighthouse");
  metrics.task_received("lighthouse");
  metrics.task_started("lighthouse");
  metrics.task_started("lighthouse");
  metrics.task_finished("lighthouse", "succeeded", "pass", Seconds(0.2));
  metrics.task_finished("lighthouse", "errored", "fail", Seconds(3));
  metrics.task_redelivered("lighthouse");
  metrics.task_received("approval");
  metrics.task_started("approval");
  metrics.record_nats_reconnect();
  metrics.record_nats_reconnect();
  metrics.observe_publish_latency(Seconds(0.003));
  metrics.observe_publish_latency(Seconds(0.02));

  const std::vector<int> zeros(kDurationLe.size(), 0);
  const std::string expected =
      "# HELP keptn_host_tasks_received_total Tasks taken for a plugin instance: one per routed "
      ".triggered event.\n"
      "# TYPE keptn_host_tasks_received_total counter\n"
      "keptn_host_tasks_received_total{plugin=\"approval\"} 1\n"
      "keptn_host_tasks_received_total{plugin=\"lighthouse\"} 2\n"
      "# HELP keptn_host_tasks_started_total Tasks whose .started was sent.\n"
      "# TYPE keptn_host_tasks_started_total counter\n"
      "keptn_host_tasks_started_total{plugin=\"approval\"} 1\n"
      "keptn_host_tasks_started_total{plugin=\"lighthouse\"} 2\n"
      "# HELP keptn_host_tasks_finished_total Tasks whose .finished was sent, by its status and "
      "result (\"other\" for values outside Keptn's).\n"
      "# TYPE keptn_host_tasks_finished_total counter\n"
      "keptn_host_tasks_finished_total{plugin=\"lighthouse\",status=\"errored\",result=\"fail\"} "
      "1\n"
      "keptn_host_tasks_finished_total{plugin=\"lighthouse\",status=\"succeeded\",result=\"pass\"}"
      " 1\n"
      "# HELP keptn_host_tasks_errored_total Tasks finished with status errored (plugin error, "
      "exception, timeout or host restart).\n"
      "# TYPE keptn_host_tasks_errored_total counter\n"
      "keptn_host_tasks_errored_total{plugin=\"approval\"} 0\n"
      "keptn_host_tasks_errored_total{plugin=\"lighthouse\"} 1\n"
      "# HELP keptn_host_tasks_redelivered_total Triggered events delivered again for a task the "
      "journal already knows.\n"
      "# TYPE keptn_host_tasks_redelivered_total counter\n"
      "keptn_host_tasks_redelivered_total{plugin=\"approval\"} 0\n"
      "keptn_host_tasks_redelivered_total{plugin=\"lighthouse\"} 1\n"
      "# HELP keptn_host_task_duration_seconds Time from taking a task to sending its "
      ".finished.\n"
      "# TYPE keptn_host_task_duration_seconds histogram\n" +
      histogram_lines("keptn_host_task_duration_seconds", "plugin=\"approval\"", kDurationLe, zeros,
                      "0") +
      // 0.2 s falls under le=0.25, 3 s under le=5.
      histogram_lines("keptn_host_task_duration_seconds", "plugin=\"lighthouse\"", kDurationLe,
                      {0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2}, "3.2") +
      "# HELP keptn_host_nats_reconnects_total Times the NATS connection was re-established.\n"
      "# TYPE keptn_host_nats_reconnects_total counter\n"
      "keptn_host_nats_reconnects_total 2\n"
      "# HELP keptn_host_publish_latency_seconds Time from publishing an event to the server's "
      "ack.\n"
      "# TYPE keptn_host_publish_latency_seconds histogram\n" +
      // 3 ms falls under le=0.005, 20 ms under le=0.025.
      histogram_lines("keptn_host_publish_latency_seconds", "", kLatencyLe,
                      {0, 0, 0, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2}, "0.023") +
      "# HELP keptn_host_tasks_in_flight Tasks taken and not yet finished.\n"
      "# TYPE keptn_host_tasks_in_flight gauge\n"
      "keptn_host_tasks_in_flight{plugin=\"approval\"} 1\n"
      "keptn_host_tasks_in_flight{plugin=\"lighthouse\"} 1\n"
      "# HELP keptn_host_queue_depth Tasks waiting for a worker of the instance.\n"
      "# TYPE keptn_host_queue_depth gauge\n"
      "keptn_host_queue_depth{plugin=\"approval\"} 2\n"
      "keptn_host_queue_depth{plugin=\"lighthouse\"} 0\n";
  EXPECT_EQ(metrics.render(), expected);
}

TEST(HostMetrics, StatusAndResultOutsideKeptnsValuesAreCountedAsOther) {
  HostMetrics metrics;
  metrics.add_plugin("job");
  metrics.task_finished("job", "succeeded", "warning", Seconds(1));
  metrics.task_finished("job", "aborted", "", Seconds(1));
  metrics.task_finished("job", "exploded", "a result with\nuser text", Seconds(1));
  metrics.task_finished("job", "unknown", "fail", Seconds(1));
  const std::string text = metrics.render();
  for (const char* series : {
           "{plugin=\"job\",status=\"succeeded\",result=\"warning\"} 1\n",
           "{plugin=\"job\",status=\"aborted\",result=\"\"} 1\n",
           "{plugin=\"job\",status=\"other\",result=\"other\"} 1\n",
           "{plugin=\"job\",status=\"unknown\",result=\"fail\"} 1\n",
       }) {
    EXPECT_NE(text.find(std::string("keptn_host_tasks_finished_total") + series), std::string::npos)
        << series << "\nin:\n"
        << text;
  }
  // Only an errored status counts as errored.
  EXPECT_NE(text.find("keptn_host_tasks_errored_total{plugin=\"job\"} 0\n"), std::string::npos);
  EXPECT_EQ(text.find("user text"), std::string::npos);
}

TEST(HostMetrics, LoadGaugesAreReadAtScrapeTime) {
  HostMetrics metrics;
  // Without a source the gauge families are present but empty.
  EXPECT_EQ(metrics.render().find("keptn_host_queue_depth{"), std::string::npos);

  std::atomic<size_t> depth{5};
  metrics.set_load_source([&] { return std::vector<PluginLoad>{{"helm", 2, depth.load()}}; });
  EXPECT_NE(metrics.render().find("keptn_host_queue_depth{plugin=\"helm\"} 5\n"),
            std::string::npos);
  depth = 0;
  EXPECT_NE(metrics.render().find("keptn_host_queue_depth{plugin=\"helm\"} 0\n"),
            std::string::npos);
  EXPECT_NE(metrics.render().find("keptn_host_tasks_in_flight{plugin=\"helm\"} 2\n"),
            std::string::npos);
}

TEST(HostMetrics, ManyThreadsReportingGiveExactTotals) {
  HostMetrics metrics;
  constexpr int kThreads = 8;
  constexpr int kTasks = 10000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&metrics, t] {
      const std::string plugin = t % 2 == 0 ? "even" : "odd";
      for (int i = 0; i < kTasks; ++i) {
        metrics.task_received(plugin);
        metrics.task_started(plugin);
        metrics.task_finished(plugin, i % 4 == 0 ? "errored" : "succeeded", "pass", Seconds(0.5));
        metrics.observe_publish_latency(Seconds(0.002));
      }
      metrics.record_nats_reconnect();
    });
  }
  for (auto& thread : threads) thread.join();

  const std::string text = metrics.render();
  const std::string per_plugin = std::to_string(kThreads / 2 * kTasks);
  const std::string errored = std::to_string(kThreads / 2 * kTasks / 4);
  const std::string succeeded = std::to_string(kThreads / 2 * kTasks * 3 / 4);
  for (const std::string& plugin : std::vector<std::string>{"even", "odd"}) {
    const std::string l = "{plugin=\"" + plugin + "\"}";
    for (const std::string& line : std::vector<std::string>{
             "keptn_host_tasks_received_total" + l + " " + per_plugin,
             "keptn_host_tasks_started_total" + l + " " + per_plugin,
             "keptn_host_tasks_errored_total" + l + " " + errored,
             "keptn_host_task_duration_seconds_count" + l + " " + per_plugin,
             "keptn_host_task_duration_seconds_sum" + l + " " +
                 std::to_string(kThreads / 2 * kTasks / 2),
             "keptn_host_tasks_finished_total{plugin=\"" + plugin +
                 "\",status=\"succeeded\",result=\"pass\"} " + succeeded,
         }) {
      EXPECT_NE(text.find(line + "\n"), std::string::npos) << line;
    }
  }
  EXPECT_NE(text.find("keptn_host_nats_reconnects_total " + std::to_string(kThreads) + "\n"),
            std::string::npos);
  EXPECT_NE(text.find("keptn_host_publish_latency_seconds_count " +
                      std::to_string(kThreads * kTasks) + "\n"),
            std::string::npos);
}

// Prometheus' own tooling parses the exposition and checks it against the naming rules.
TEST(HostMetrics, PassesPromtoolCheckMetrics) {
  if (std::system("command -v promtool >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "promtool is not installed (Debian package prometheus)";
  }
  HostMetrics metrics;
  metrics.add_plugin("prometheus-sli");
  metrics.set_load_source([] { return std::vector<PluginLoad>{{"prometheus-sli", 1, 3}}; });
  metrics.task_received("prometheus-sli");
  metrics.task_finished("prometheus-sli", "succeeded", "pass", Seconds(0.7));
  metrics.task_finished("plugin \"odd\"\\\nname", "errored", "fail", Seconds(12));
  metrics.observe_publish_latency(Seconds(0.0004));
  metrics.record_nats_reconnect();

  kph::testing::ProcessOptions options;
  options.input = metrics.render();
  const auto result = kph::testing::run_process("promtool", {"check", "metrics"}, options);
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
}

}  // namespace
}  // namespace kph::host
