// Throughput of local mode: events per second through `keptn-host run` with the noop plugin,
// against a baseline measured in the same run that only parses each event and serialises its
// .started and .finished, the least any host must do per task. Also reports the host's peak RSS.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdlib>
#include <iostream>

#include "runtime/event_factory.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace kph::testing {
namespace {

size_t event_count() {
  const char* value = std::getenv("KPH_BENCH_EVENTS");
  return value != nullptr ? std::strtoul(value, nullptr, 10) : 50000;
}

std::string make_events(size_t count) {
  std::string lines;
  for (size_t i = 0; i < count; ++i) {
    nlohmann::json event = {{"specversion", "1.0"},
                            {"id", "bench-" + std::to_string(i)},
                            {"source", "shipyard-controller"},
                            {"type", "sh.keptn.event.noop.triggered"},
                            {"datacontenttype", "application/json"},
                            {"shkeptncontext", "5b1d8f6e-3c2a-4f0e-9d7b-" + std::to_string(i)},
                            {"data",
                             {{"project", "sockshop"},
                              {"stage", "staging"},
                              {"service", "carts"},
                              {"labels", {{"buildId", std::to_string(i)}}}}}};
    lines += event.dump() + "\n";
  }
  return lines;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

TEST(Bench, RunThroughputAgainstParseAndSerialiseBaseline) {
  const size_t count = event_count();
  const std::string input = make_events(count);
  TempDir dir;
  const auto file = dir.write("events.jsonl", input);

  // Baseline: parse every line, build and serialise its two responses.
  size_t bytes = 0;
  const auto baseline_start = std::chrono::steady_clock::now();
  size_t start = 0;
  while (start < input.size()) {
    const size_t end = input.find('\n', start);
    const auto event = nlohmann::json::parse(input.data() + start, input.data() + end);
    bytes += kph::host::make_response_event(event, "started", "noop", nlohmann::json::object())
                 .dump()
                 .size();
    bytes += kph::host::make_response_event(event, "finished", "noop", {{"message", "done"}})
                 .dump()
                 .size();
    start = end + 1;
  }
  const double baseline_seconds = seconds_since(baseline_start);

  const auto host_start = std::chrono::steady_clock::now();
  auto result = run_host({"run", "--plugin", std::string(KPH_TEST_PLUGIN_DIR) + "/noop.so",
                          "--events", file.string()});
  const double host_seconds = seconds_since(host_start);
  ASSERT_EQ(result.exit_code, 0) << result.err.substr(0, 1000);
  const size_t lines = static_cast<size_t>(std::count(result.out.begin(), result.out.end(), '\n'));
  ASSERT_EQ(lines, 2 * count);

  rusage usage{};
  getrusage(RUSAGE_CHILDREN, &usage);
  const double baseline_rate = count / baseline_seconds;
  const double host_rate = count / host_seconds;
  std::cout << "events: " << count << " (" << bytes << " bytes of responses in the baseline)\n"
            << "baseline (parse + serialise only): " << static_cast<long>(baseline_rate)
            << " events/s\n"
            << "keptn-host run, noop plugin:       " << static_cast<long>(host_rate)
            << " events/s (process start included)\n"
            << "ratio host/baseline: " << host_rate / baseline_rate << "\n"
            << "peak RSS of keptn-host: " << usage.ru_maxrss / 1024 << " MiB\n";
}

}  // namespace
}  // namespace kph::testing
