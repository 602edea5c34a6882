// `keptn-host run` as a user runs it: a real process fed JSON lines on standard input.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace kph::testing {
namespace {

std::string noop_plugin() { return std::string(KPH_TEST_PLUGIN_DIR) + "/noop.so"; }

std::string triggered(const std::string& id, const std::string& task = "noop") {
  nlohmann::json event = {
      {"specversion", "1.0"},
      {"id", id},
      {"source", "shipyard-controller"},
      {"type", "sh.keptn.event." + task + ".triggered"},
      {"datacontenttype", "application/json"},
      {"shkeptncontext", "ctx-" + id},
      {"gitcommitid", "c0ffee"},
      {"data",
       {{"project", "shop"}, {"stage", "dev"}, {"service", "carts"}, {"labels", {{"run", id}}}}}};
  return event.dump() + "\n";
}

TEST(Run, EveryTaskGetsOneStartedAndOneFinishedCorrelated) {
  auto result = run_host({"run", "--plugin", noop_plugin()}, triggered("t-1"));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  auto events = result.out_json_lines();
  ASSERT_EQ(events.size(), 2u) << result.out;
  EXPECT_EQ(events[0]["type"], "sh.keptn.event.noop.started");
  EXPECT_EQ(events[1]["type"], "sh.keptn.event.noop.finished");
  for (const auto& event : events) {
    EXPECT_EQ(event["triggeredid"], "t-1");
    EXPECT_EQ(event["shkeptncontext"], "ctx-t-1");
    EXPECT_EQ(event["gitcommitid"], "c0ffee");
    EXPECT_EQ(event["source"], "noop");
    EXPECT_EQ(event["specversion"], "1.0");
    EXPECT_EQ(event["data"]["project"], "shop");
    EXPECT_EQ(event["data"]["labels"]["run"], "t-1");
  }
  EXPECT_EQ(events[1]["data"]["status"], "succeeded");
  EXPECT_EQ(events[1]["data"]["result"], "pass");
}

TEST(Run, TenThousandEventsWithMalformedLinesMixedIn) {
  constexpr int kEvents = 10000;
  std::string input;
  std::set<int> bad_lines;
  int line = 0;
  for (int i = 0; i < kEvents; ++i) {
    input += triggered("t-" + std::to_string(i));
    ++line;
    if (i % 1000 == 0) {
      input += "{this is not json\n";
      bad_lines.insert(++line);
      input += R"({"id":"x)" + std::to_string(i) +
               R"(","source":"s","type":"sh.keptn.event.noop.triggered","data":{"project":"p"}})"
               "\n";
      bad_lines.insert(++line);
    }
  }
  auto result = run_host({"run", "--plugin", noop_plugin()}, input);
  ASSERT_EQ(result.exit_code, 0) << result.err.substr(0, 2000);

  std::map<std::string, int> started, finished;
  for (const auto& event : result.out_json_lines()) {
    const std::string type = event["type"];
    if (type == "sh.keptn.event.noop.started") ++started[event["triggeredid"]];
    if (type == "sh.keptn.event.noop.finished") ++finished[event["triggeredid"]];
  }
  EXPECT_EQ(started.size(), static_cast<size_t>(kEvents));
  EXPECT_EQ(finished.size(), static_cast<size_t>(kEvents));
  for (const auto& [id, count] : finished) ASSERT_EQ(count, 1) << id;
  for (const auto& [id, count] : started) ASSERT_EQ(count, 1) << id;
  for (int bad : bad_lines) {
    EXPECT_NE(result.err.find("stdin:" + std::to_string(bad) + ": "), std::string::npos) << bad;
  }
}

TEST(Run, ADuplicatedEventIdRunsOnce) {
  auto result = run_host({"run", "--plugin", noop_plugin()}, triggered("dup") + triggered("dup"));
  ASSERT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out_json_lines().size(), 2u);
  EXPECT_NE(result.err.find("stdin:2: event dup was already received"), std::string::npos)
      << result.err;
}

TEST(Run, EventsNoPluginSubscribesToAreOnlyRecorded) {
  auto result = run_host({"run", "--plugin", noop_plugin()}, triggered("t", "other"));
  ASSERT_EQ(result.exit_code, 0);
  EXPECT_TRUE(result.out.empty()) << result.out;
}

TEST(Run, ReadsEventsFromAFile) {
  TempDir dir;
  const auto file = dir.write("events.jsonl", triggered("f-1") + triggered("f-2"));
  auto result = run_host({"run", "--plugin", noop_plugin(), "--events", file.string()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out_json_lines().size(), 4u);
}

TEST(Run, RoutesFromConfigFilterByProject) {
  TempDir dir;
  const auto config =
      dir.write("host.yaml", "plugins:\n  - library: " + noop_plugin() +
                                 "\nroutes:\n  - event: sh.keptn.event.*.triggered\n"
                                 "    plugin: noop\n    projects: [shop]\n");
  std::string other = triggered("o-1", "deploy");
  auto pos = other.find("\"shop\"");
  other.replace(pos, 6, "\"else\"");
  auto result = run_host({"run", "--config", config.string()}, triggered("s-1", "deploy") + other);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  auto events = result.out_json_lines();
  ASSERT_EQ(events.size(), 2u) << result.out;
  EXPECT_EQ(events[0]["triggeredid"], "s-1");
  EXPECT_EQ(events[0]["type"], "sh.keptn.event.deploy.started");
}

TEST(Run, ABadPluginExitsTwoWithTheReason) {
  auto result = run_host({"run", "--plugin", "no-such-plugin"}, "");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("no-such-plugin"), std::string::npos) << result.err;

  TempDir dir;
  const auto not_a_plugin = dir.write("fake.so", "this is not an ELF file");
  result = run_host({"run", "--plugin", not_a_plugin.string()}, "");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("fake.so"), std::string::npos) << result.err;
}

TEST(Run, ABadConfigExitsTwoWithItsLocation) {
  TempDir dir;
  const auto config = dir.write("host.yaml", "plugins:\n  - library: x\n    colour: red\n");
  auto result = run_host({"run", "--config", config.string()}, "");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("host.yaml:3:"), std::string::npos) << result.err;
}

TEST(Run, NeedsAPlugin) {
  auto result = run_host({"run"}, "");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("no plugin to run"), std::string::npos) << result.err;
}

TEST(Cli, EveryCommandHasHelpAndThereIsAVersion) {
  for (const auto& args : std::vector<std::vector<std::string>>{{"--help"},
                                                                {"run", "--help"},
                                                                {"plugin", "--help"},
                                                                {"plugin", "inspect", "--help"},
                                                                {"config", "--help"},
                                                                {"config", "check", "--help"}}) {
    auto result = run_host(args);
    EXPECT_EQ(result.exit_code, 0) << args.back();
    EXPECT_NE(result.out.find("Usage"), std::string::npos) << result.out;
  }
  auto version = run_host({"--version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_NE(version.out.find("plugin API 1.0.0"), std::string::npos) << version.out;
}

}  // namespace
}  // namespace kph::testing
