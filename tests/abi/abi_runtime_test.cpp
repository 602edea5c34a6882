// The runtime failure modes, end to end: the real `keptn-host run` process loads one test
// plugin, gets one .triggered event on standard input, and what it prints is checked. A
// plugin's fault must become a .finished with status errored and a message that says what
// happened, exactly once, without taking the host down.
#include <gtest/gtest.h>

#include <algorithm>

#include "abi_plugins.hpp"
#include "loader/plugin_library.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace kph::testing {
namespace {

using abi::plugin;

std::vector<nlohmann::json> of_type(const std::vector<nlohmann::json>& events,
                                    const std::string& type) {
  std::vector<nlohmann::json> out;
  std::copy_if(events.begin(), events.end(), std::back_inserter(out),
               [&](const nlohmann::json& e) { return e.value("type", "") == type; });
  return out;
}

struct TaskRun {
  ProcessResult process;
  std::vector<nlohmann::json> started;
  std::vector<nlohmann::json> finished;
};

// Runs keptn-host with the given arguments and one .triggered event, and sorts its output.
TaskRun run_one_task(std::vector<std::string> args, const std::string& id) {
  TaskRun run;
  args.insert(args.begin(), "run");
  run.process = run_host(args, abi::triggered_event(id).dump() + "\n");
  const auto events = run.process.out_json_lines();
  run.started = of_type(events, "sh.keptn.event.test.started");
  run.finished = of_type(events, "sh.keptn.event.test.finished");
  return run;
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

#define EXPECT_HAS(text, part) \
  EXPECT_NE((text).find(part), std::string::npos) << "missing \"" << (part) << "\" in:\n" << (text)

// The one .finished of the task, checked for correlation.
nlohmann::json only_finished(const TaskRun& run, const std::string& id) {
  EXPECT_EQ(run.finished.size(), 1u) << run.process.out << run.process.err;
  if (run.finished.empty()) return nlohmann::json::object();
  const auto& finished = run.finished.front();
  EXPECT_EQ(finished.value("triggeredid", ""), id) << finished.dump();
  EXPECT_EQ(finished.value("shkeptncontext", ""),
            abi::triggered_event(id).value("shkeptncontext", ""));
  return finished;
}

TEST(AbiRuntime, NoOpPluginStartsAndFinishesTheTask) {
  const auto run = run_one_task({"--plugin", plugin("no_op").string()}, "task-no-op");
  EXPECT_EQ(run.process.exit_code, 0) << run.process.err;
  ASSERT_EQ(run.started.size(), 1u) << run.process.out;
  EXPECT_EQ(run.started.front().value("triggeredid", ""), "task-no-op");
  EXPECT_EQ(run.started.front().value("source", ""), "no-op");
  const auto finished = only_finished(run, "task-no-op");
  EXPECT_EQ(finished["data"].value("status", ""), "succeeded") << finished.dump();
  EXPECT_EQ(finished["data"].value("result", ""), "pass");
}

TEST(AbiRuntime, PlainCPluginRunsTheTask) {
  const auto run = run_one_task({"--plugin", plugin("c_plugin").string()}, "task-c");
  EXPECT_EQ(run.process.exit_code, 0) << run.process.err;
  EXPECT_EQ(run.started.size(), 1u);
  const auto finished = only_finished(run, "task-c");
  EXPECT_EQ(finished["data"].value("status", ""), "succeeded");
  EXPECT_EQ(finished["data"].value("message", ""), "hello from C, instance c-plugin");
}

TEST(AbiRuntime, PluginBuiltAgainstTheFrozen10HeaderRunsTheTask) {
  const auto run = run_one_task({"--plugin", plugin("frozen_1_0").string()}, "task-frozen");
  EXPECT_EQ(run.process.exit_code, 0) << run.process.err;
  EXPECT_EQ(run.started.size(), 1u);
  const auto finished = only_finished(run, "task-frozen");
  EXPECT_EQ(finished["data"].value("message", ""), "built against 1.0.0");
}

TEST(AbiRuntime, ExceptionBecomesAnErroredFinishedWithItsText) {
  const auto run = run_one_task({"--plugin", plugin("throws").string()}, "task-throws");
  EXPECT_EQ(run.process.exit_code, 0) << run.process.err;
  EXPECT_EQ(run.started.size(), 1u);
  const auto finished = only_finished(run, "task-throws");
  EXPECT_EQ(finished["data"].value("status", ""), "errored") << finished.dump();
  EXPECT_EQ(finished["data"].value("result", ""), "fail") << finished.dump();
  EXPECT_HAS(finished["data"].value("message", ""), "throws: std::runtime_error from handle()");
}

TEST(AbiRuntime, HangingPluginIsTimedOutAndCancelled) {
  TempDir dir;
  const auto config =
      dir.write("host.yaml", "plugins:\n  - library: " + plugin("hangs_past_timeout").string() +
                                 "\n    taskTimeout: 200ms\n");
  const auto run = run_one_task({"--config", config.string()}, "task-hangs");
  EXPECT_EQ(run.process.exit_code, 0) << run.process.err;
  EXPECT_EQ(run.started.size(), 1u);
  const auto finished = only_finished(run, "task-hangs");
  EXPECT_EQ(finished["data"].value("status", ""), "errored") << finished.dump();
  const auto message = lower(finished["data"].value("message", ""));
  EXPECT_HAS(message, "timed out");
  EXPECT_HAS(message, "200ms");
}

TEST(AbiRuntime, SecondFinishIsRefusedAndOnlyOneFinishedIsSent) {
  const auto run = run_one_task({"--plugin", plugin("finishes_twice").string()}, "task-twice");
  EXPECT_EQ(run.process.exit_code, 0) << run.process.err;
  const auto finished = only_finished(run, "task-twice");
  EXPECT_EQ(finished["data"].value("message", ""), "first");
  EXPECT_EQ(finished["data"].value("status", ""), "succeeded");
  // The plugin saw KPH_OK (0) and then KPH_NOT_FOUND (5); the host logged the refusal.
  EXPECT_HAS(run.process.err, "finishes-twice: first finish_task returned 0, second returned 5");
  EXPECT_HAS(lower(run.process.err), "refused");
}

TEST(AbiRuntime, ReturningWithoutFinishingGetsAnErroredFinished) {
  const auto run = run_one_task({"--plugin", plugin("never_finishes").string()}, "task-never");
  EXPECT_EQ(run.process.exit_code, 0) << run.process.err;
  EXPECT_EQ(run.started.size(), 1u);
  const auto finished = only_finished(run, "task-never");
  EXPECT_EQ(finished["data"].value("status", ""), "errored") << finished.dump();
  EXPECT_HAS(finished["data"].value("message", ""), "without finishing");
}

TEST(AbiRuntime, FailingCreateStopsTheHostWithThePluginsReason) {
  const auto run = run_one_task({"--plugin", plugin("create_fails").string()}, "task-create");
  EXPECT_NE(run.process.exit_code, 0);
  EXPECT_HAS(run.process.err, "create-fails: this plugin never starts, on purpose");
  EXPECT_HAS(run.process.err, plugin("create_fails").string());
  EXPECT_TRUE(run.started.empty());
  EXPECT_TRUE(run.finished.empty());
}

TEST(AbiRuntime, HostCallsAfterDestroyAreRefusedWithoutACrash) {
  // Two instances of one library: the second destroy makes its calls with the first's owner
  // handle, whose destroy has returned (see plugins/emits_after_destroy.c).
  TempDir dir;
  const std::string library = plugin("emits_after_destroy").string();
  const auto config =
      dir.write("host.yaml", "plugins:\n  - name: first\n    library: " + library +
                                 "\n  - name: second\n    library: " + library + "\n");
  const auto run = run_host({"run", "--config", config.string()}, "");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_HAS(run.err,
             "emits-after-destroy: stale calls returned finish_task=1 emit_event=1 "
             "send_status_changed=1 is_cancelled=1");
  EXPECT_EQ(run.err.find("emits-after-destroy: stale log"), std::string::npos)
      << "a stale log call must not reach the log as if it came from a live plugin";
  EXPECT_TRUE(run.out_json_lines().empty()) << run.out;
}

class AbiRefusedAtStart : public ::testing::TestWithParam<const char*> {};

TEST_P(AbiRefusedAtStart, HostPrintsTheLoadersRefusalAndExitsNonZero) {
  const auto file = plugin(GetParam());
  const auto refusal = host::PluginLibrary::load(file);
  ASSERT_FALSE(refusal.ok());
  const auto run = run_host({"run", "--plugin", file.string()}, "");
  EXPECT_NE(run.exit_code, 0);
  EXPECT_HAS(run.err, refusal.error().message);
  EXPECT_TRUE(run.out.empty()) << run.out;
}

INSTANTIATE_TEST_SUITE_P(Plugins, AbiRefusedAtStart,
                         ::testing::Values("missing_required_symbol", "api_major_mismatch",
                                           "api_minor_newer", "api_malformed", "bad_metadata",
                                           "unresolved_symbol"));

}  // namespace
}  // namespace kph::testing
