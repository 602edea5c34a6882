// `keptn-host serve` as a black box against a real nats-server: events go in through NATS the
// way Keptn's control plane publishes them, and an independent client reads the stream to
// check what the host sent. Covers the end-to-end flow, `keptn-host send`, poison messages,
// two replicas on one consumer, SIGTERM drain, a server restart under load, core mode, and
// repeated kill -9 of the host while tasks run.
#include <gtest/gtest.h>

#include <csignal>
#include <optional>
#include <random>
#include <regex>
#include <thread>

#include "nats_test_client.hpp"
#include "serve_process.hpp"
#include "support/nats_server.hpp"
#include "support/net.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace kph::testing {
namespace {

using namespace std::chrono_literals;

class Serve : public ::testing::Test {
 protected:
  void SetUp() override {
    if (auto reason = NatsServer::unavailable_reason()) GTEST_SKIP() << *reason;
    server_ = std::make_unique<NatsServer>();
    client_ = std::make_unique<TestNats>(server_->url());
  }

  // A host config in nats mode with one plugin; `nats_extra` and `plugin_extra` are YAML lines
  // added under controlPlane.nats and under the plugin's entry.
  std::string write_config(const std::string& plugin, const std::string& nats_extra = "",
                           const std::string& plugin_extra = "",
                           const std::string& name = "host.yaml") {
    const bool own_ack_wait = nats_extra.find("ackWait:") != std::string::npos;
    std::string text = "controlPlane:\n  mode: nats\n  nats:\n    url: " + server_->url() +
                       (own_ack_wait ? "" : "\n    ackWait: 2s") + "\n    deliverPolicy: all\n" +
                       nats_extra + "plugins:\n  - library: " + test_plugin(plugin) + "\n" +
                       plugin_extra;
    return dir_.write(name, text).string();
  }

  std::unique_ptr<ServeProcess> serve(const std::vector<std::string>& args,
                                      const std::string& name = "serve") {
    return std::make_unique<ServeProcess>(args, dir_.path() / (name + ".log"));
  }

  // Waits until the host answers /readyz; fails with its log when it exits or never does.
  void expect_ready(ServeProcess& host, std::chrono::milliseconds deadline = 30s) {
    const bool ok = wait_for([&] { return host.ready() || !host.running(); }, deadline);
    ASSERT_TRUE(ok && host.running()) << "the host is not ready:\n" << host.log();
  }

  // Waits until the stream holds at least `count` .finished of the task (counted cheaply),
  // then tallies the whole stream once.
  TaskTally wait_for_finished(const std::string& task, const std::string& source, size_t count,
                              std::chrono::milliseconds deadline) {
    const std::string finished = "sh.keptn.event." + task + ".finished";
    wait_for([&] { return client_->count(finished) >= count; }, deadline, 100ms);
    return tally(client_->read_stream(), task, source);
  }

  // Waits until the consumer has handed out every message and each was acknowledged.
  bool consumer_drained(const std::string& consumer) {
    return wait_for(
        [&] {
          auto state = client_->consumer_state(consumer);
          return state && state->num_ack_pending == 0 && state->num_pending == 0;
        },
        10s);
  }

  static std::string describe(const TaskTally& t) {
    std::string out = std::to_string(t.triggered) + " triggered, " +
                      std::to_string(t.missing_started) + " without .started, " +
                      std::to_string(t.missing_finished) + " without .finished, " +
                      std::to_string(t.doubled_started) + " with 2+ .started, " +
                      std::to_string(t.doubled_finished) + " with 2+ .finished, " +
                      std::to_string(t.bad_correlation) + " badly correlated";
    for (const auto& problem : t.problems) out += "\n  " + problem;
    return out;
  }

  TempDir dir_;
  std::unique_ptr<NatsServer> server_;
  std::unique_ptr<TestNats> client_;
};

// The sum of a counter's series whose labels start with `labels_prefix`.
double counter_sum(const std::string& metrics, const std::string& name,
                   const std::string& labels_prefix) {
  double sum = 0;
  std::istringstream lines(metrics);
  std::string line;
  const std::string start = name + "{" + labels_prefix;
  while (std::getline(lines, line)) {
    if (line.rfind(start, 0) == 0) sum += std::stod(line.substr(line.rfind(' ') + 1));
  }
  return sum;
}

TEST_F(Serve, ATriggeredEventGetsItsStartedAndFinishedOnNats) {
  auto host = serve({"--nats", server_->url(), "--plugin", test_plugin("noop")});
  expect_ready(*host);

  // In through `keptn-host send`, as a control plane (or an operator) would publish it.
  const auto triggered = make_triggered("noop", {{"labels", {{"team", "a"}}}}, "ctx-e2e");
  const auto sent = run_host({"send", "--nats", server_->url(), "--event", "-"}, triggered.dump());
  ASSERT_EQ(sent.exit_code, 0) << sent.err;
  const auto acks = sent.out_json_lines();
  ASSERT_EQ(acks.size(), 1u) << sent.out;
  EXPECT_EQ(acks[0]["stream"], "keptn");
  EXPECT_EQ(acks[0]["id"], triggered["id"]);

  const auto result = wait_for_finished("noop", "noop", 1, 20s);
  ASSERT_TRUE(result.exactly_once()) << describe(result) << "\n" << host->log();

  const auto stream = client_->read_stream();
  const StoredMessage* started = nullptr;
  const StoredMessage* finished = nullptr;
  for (const auto& message : stream) {
    if (!message.event) continue;
    if (message.subject == "sh.keptn.event.noop.started") started = &message;
    if (message.subject == "sh.keptn.event.noop.finished") finished = &message;
  }
  ASSERT_TRUE(started && finished);
  EXPECT_LT(started->sequence, finished->sequence);
  for (const auto* message : {started, finished}) {
    const auto& event = *message->event;
    EXPECT_EQ(event["triggeredid"], triggered["id"]);
    EXPECT_EQ(event["shkeptncontext"], "ctx-e2e");
    EXPECT_EQ(event["source"], "noop");
    EXPECT_EQ(event["type"], message->subject);
    EXPECT_EQ(event["data"]["project"], "sockshop");
    EXPECT_EQ(event["data"]["service"], "carts");
  }
  EXPECT_EQ((*finished->event)["data"]["status"], "succeeded");
  EXPECT_EQ((*finished->event)["data"]["result"], "pass");

  // The .triggered is acknowledged once its .finished is stored: nothing stays pending.
  EXPECT_TRUE(consumer_drained("keptn-host-noop"));
  // The journal knows the task as finished.
  const auto entries = client_->bucket_entries("keptn-host-tasks");
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].first, triggered["id"].get<std::string>() + ".noop");
  EXPECT_EQ(entries[0].second["state"], "finished");

  host->signal(SIGTERM);
  EXPECT_EQ(host->wait_exit(20s), 0) << host->log();
}

TEST_F(Serve, AReplayAfterTheDuplicateWindowSendsNothingAgain) {
  // The stream forgets Nats-Msg-Ids after its duplicate window. A .triggered replayed later
  // must still not bring a second .started or .finished: the journal knows the task, and the
  // host sees its .finished already in the stream.
  const auto config = write_config("noop", "    duplicateWindow: 1s\n");
  auto host = serve({"--config", config});
  expect_ready(*host);
  const auto triggered = make_triggered("noop");
  client_->publish_event(triggered);
  ASSERT_TRUE(wait_for_finished("noop", "noop", 1, 20s).exactly_once()) << host->log();

  // Let the stream's memory of the ids lapse, then replay the very same event.
  std::this_thread::sleep_for(1500ms);
  client_->publish_event(triggered);
  ASSERT_TRUE(wait_for(
      [&] {
        return counter_sum(host->metrics(), "keptn_host_tasks_redelivered_total",
                           "plugin=\"noop\"") >= 1;
      },
      20s))
      << host->log();
  ASSERT_TRUE(consumer_drained("keptn-host-noop"));
  const auto result = tally(client_->read_stream(), "noop", "noop");
  EXPECT_EQ(client_->count("sh.keptn.event.noop.triggered"), 2u);
  EXPECT_EQ(client_->count("sh.keptn.event.noop.started"), 1u) << describe(result);
  EXPECT_EQ(client_->count("sh.keptn.event.noop.finished"), 1u) << describe(result);

  host->signal(SIGTERM);
  EXPECT_EQ(host->wait_exit(20s), 0) << host->log();
}

TEST_F(Serve, SendRefusesABrokenEventAndNamesIt) {
  const auto sent = run_host({"send", "--nats", server_->url(), "--event", "-"},
                             "{\"type\": \"sh.keptn.event.noop.triggered\"}\n");
  EXPECT_EQ(sent.exit_code, 2);
  EXPECT_NE(sent.err.find("stdin"), std::string::npos) << sent.err;
}

TEST_F(Serve, PoisonMessagesNeverStopTheConsumer) {
  auto host = serve({"--nats", server_->url(), "--plugin", test_plugin("noop")});
  expect_ready(*host);
  const std::string subject = "sh.keptn.event.noop.triggered";
  client_->publish(subject, "{not json");
  client_->publish(subject, "[1, 2, 3]");
  client_->publish(subject, std::string("\x00\xff\xfe binary", 10));
  client_->publish(subject, "");
  client_->publish(subject, R"({"type": "sh.keptn.event.noop.triggered", "source": "x"})");
  auto no_project = make_triggered("noop");
  no_project["data"].erase("project");
  client_->publish_event(no_project);
  auto huge = make_triggered("noop", {{"blob", std::string(1100 * 1024, 'x')}});
  client_->publish_event(huge);
  client_->publish_event(make_triggered("unknown-task"));
  client_->publish("sh.keptn.something",
                   R"({"id": "x1", "type": "sh.keptn.something", "source": "y"})");
  const auto good = make_triggered("noop");
  client_->publish_event(good);

  // The good event behind them is run; none of the others starts a task.
  size_t responses = 0;
  wait_for(
      [&] {
        responses = 0;
        for (const auto& message : client_->read_stream()) {
          if (!message.event || message.event->value("triggeredid", "").empty()) continue;
          if (message.event->value("triggeredid", "") == good["id"]) {
            ++responses;
          } else {
            ADD_FAILURE() << "a response to a poison message: " << message.data.substr(0, 200);
          }
        }
        return responses == 2;
      },
      20s, 100ms);
  EXPECT_EQ(responses, 2u) << host->log();
  // Everything was settled: nothing waits for an ack, nothing was redelivered.
  EXPECT_TRUE(consumer_drained("keptn-host-noop")) << host->log();
  EXPECT_EQ(client_->consumer_state("keptn-host-noop")->num_redelivered, 0);
  const std::string log = host->log();
  size_t terminated = 0;
  for (size_t at = log.find("terminated a message"); at != std::string::npos;
       at = log.find("terminated a message", at + 1)) {
    ++terminated;
  }
  EXPECT_EQ(terminated, 7u) << log;
  EXPECT_NE(log.find("expected at most 1 MiB"), std::string::npos);
  EXPECT_TRUE(host->running());
}

TEST_F(Serve, TwoReplicasOnOneConsumerRunEachTaskOnce) {
  const auto config = write_config("slow", "    fetchBatch: 4\n",
                                   "    maxConcurrency: 4\n    config: {delayMs: 10}\n");
  auto a = serve({"--config", config}, "a");
  auto b = serve({"--config", config}, "b");
  expect_ready(*a);
  expect_ready(*b);
  constexpr size_t kTasks = 200;
  for (size_t i = 0; i < kTasks; ++i) client_->publish_event(make_triggered("slow"));

  const auto result = wait_for_finished("slow", "slow", kTasks, 90s);
  ASSERT_EQ(result.triggered, kTasks);
  EXPECT_TRUE(result.exactly_once()) << describe(result);
  EXPECT_EQ(result.errored, 0u);
  const double by_a =
      counter_sum(a->metrics(), "keptn_host_tasks_finished_total", "plugin=\"slow\"");
  const double by_b =
      counter_sum(b->metrics(), "keptn_host_tasks_finished_total", "plugin=\"slow\"");
  EXPECT_EQ(by_a + by_b, kTasks) << a->metrics();
  EXPECT_GT(by_a, 0) << "replica a took no work";
  EXPECT_GT(by_b, 0) << "replica b took no work";
  a->signal(SIGTERM);
  b->signal(SIGTERM);
  EXPECT_EQ(a->wait_exit(30s), 0);
  EXPECT_EQ(b->wait_exit(30s), 0);
}

TEST_F(Serve, NoMoreTasksAreStartedThanTheWorkersAreAboutToRun) {
  // A task's claim and .started go out without a worker waiting for them, but only for tasks
  // the workers are about to run: a crash fails every started task (slow is not resumable),
  // so a backlog must wait unstarted, even one the host holds (queueSize well above the
  // workers).
  constexpr size_t kWorkers = 2;
  const auto config = write_config("slow", "",
                                   "    maxConcurrency: " + std::to_string(kWorkers) +
                                       "\n    queueSize: 16\n    config: {delayMs: 300}\n");
  auto host = serve({"--config", config});
  expect_ready(*host);
  constexpr size_t kTasks = 16;
  for (size_t i = 0; i < kTasks; ++i) client_->publish_event(make_triggered("slow"));
  size_t most_started_unfinished = 0;
  size_t samples = 0;
  wait_for(
      [&] {
        const size_t started = client_->count("sh.keptn.event.slow.started");
        const size_t finished = client_->count("sh.keptn.event.slow.finished");
        most_started_unfinished =
            std::max(most_started_unfinished, started - std::min(started, finished));
        ++samples;
        return finished >= kTasks;
      },
      60s, 50ms);
  const auto result = tally(client_->read_stream(), "slow", "slow");
  ASSERT_EQ(result.triggered, kTasks);
  EXPECT_TRUE(result.exactly_once()) << describe(result);
  EXPECT_GT(samples, 10u);
  // Running (kWorkers), started and waiting for a worker (at most kWorkers), and one
  // .finished on its way per worker.
  EXPECT_GE(most_started_unfinished, kWorkers) << "the workers were never all busy";
  EXPECT_LE(most_started_unfinished, 3 * kWorkers);
}

TEST_F(Serve, AHostThatStalledPastItsAckWaitSendsNoSecondFinished) {
  // A duplicate window shorter than the stall: only the journal can stop a second .finished.
  // Short pulls, so that the stalled host's open pull does not hold the redelivery long.
  const auto config =
      write_config("slow", "    ackWait: 1s\n    duplicateWindow: 1s\n    fetchExpires: 2s\n",
                   "    config: {delayMs: 3000}\n");
  auto a = serve({"--config", config}, "a");
  expect_ready(*a);
  client_->publish_event(make_triggered("slow"));
  ASSERT_TRUE(wait_for([&] { return client_->count("sh.keptn.event.slow.started") >= 1; }, 30s))
      << a->log();
  a->signal(SIGSTOP);
  // Another replica gets the redelivery, finds the task started by a host it no longer hears
  // from, and finishes it errored (slow is not resumable).
  auto b = serve({"--config", config}, "b");
  const bool taken_over =
      wait_for([&] { return client_->count("sh.keptn.event.slow.finished") >= 1; }, 60s);
  // Past the stream's duplicate window (the server forgets ids on a timer of about the
  // window) before the stalled host goes on.
  if (taken_over) std::this_thread::sleep_for(3s);
  a->signal(SIGCONT);
  ASSERT_TRUE(taken_over) << b->log();
  // The stalled host ends its task too.
  ASSERT_TRUE(wait_for(
      [&] {
        return a->metrics().find("keptn_host_tasks_in_flight{plugin=\"slow\"} 0\n") !=
               std::string::npos;
      },
      30s))
      << a->log();
  const auto result = tally(client_->read_stream(), "slow", "slow");
  EXPECT_EQ(result.triggered, 1u);
  EXPECT_TRUE(result.exactly_once()) << describe(result) << "\n" << a->log();
  EXPECT_EQ(result.errored, 1u) << "b's .finished, host restarted during task";
  EXPECT_NE(a->log().find("another host finished this task"), std::string::npos) << a->log();
  a->signal(SIGTERM);
  b->signal(SIGTERM);
  EXPECT_EQ(a->wait_exit(30s), 0) << a->log();
  EXPECT_EQ(b->wait_exit(30s), 0) << b->log();
}

TEST_F(Serve, SigtermStopsIntakeAtOnceAndDrainsRunningTasks) {
  const auto config = write_config("slow", "    shutdownGrace: 20s\n",
                                   "    maxConcurrency: 4\n    config: {delayMs: 1500}\n");
  auto host = serve({"--config", config});
  expect_ready(*host);
  for (int i = 0; i < 4; ++i) client_->publish_event(make_triggered("slow"));
  // All four running.
  ASSERT_TRUE(wait_for(
      [&] {
        size_t started = 0;
        for (const auto& m : client_->read_stream()) {
          started += m.subject == "sh.keptn.event.slow.started";
        }
        return started == 4;
      },
      20s))
      << host->log();

  host->signal(SIGTERM);
  EXPECT_TRUE(wait_for([&] { return !host->ready(); }, 2s));
  // Published after SIGTERM: this host must not take them.
  const auto late = make_triggered("slow");
  client_->publish_event(late);

  EXPECT_EQ(host->wait_exit(30s), 0) << host->log();
  const auto drained = tally(client_->read_stream(), "slow", "slow");
  EXPECT_EQ(drained.triggered, 5u);
  EXPECT_EQ(drained.missing_finished, 1u) << "only the late event is left: " << describe(drained);
  EXPECT_EQ(drained.errored, 0u) << "the running tasks finished within the grace period";
  const std::string log = host->log();
  std::smatch took;
  ASSERT_TRUE(std::regex_search(log, took, std::regex("stopped taking work.*tookMs=([0-9]+)")))
      << log;
  EXPECT_LT(std::stoi(took[1]), 100) << "intake must stop within 100 ms";

  // The next host picks up what arrived meanwhile.
  auto next = serve({"--config", config}, "next");
  const auto result = wait_for_finished("slow", "slow", 5, 30s);
  EXPECT_TRUE(result.exactly_once()) << describe(result);
  EXPECT_EQ(result.errored, 0u);
}

TEST_F(Serve, TasksLeftAtTheEndOfTheGracePeriodAreFinishedByTheNextHost) {
  const auto config = write_config("slow", "    shutdownGrace: 300ms\n",
                                   "    maxConcurrency: 2\n    config: {delayMs: 2500}\n");
  auto host = serve({"--config", config});
  expect_ready(*host);
  for (int i = 0; i < 2; ++i) client_->publish_event(make_triggered("slow"));
  ASSERT_TRUE(wait_for(
      [&] { return tally(client_->read_stream(), "slow", "slow").missing_started == 0; }, 20s));
  host->signal(SIGTERM);
  EXPECT_EQ(host->wait_exit(30s), 0) << host->log();

  auto next = serve({"--config", config}, "next");
  const auto result = wait_for_finished("slow", "slow", 2, 30s);
  EXPECT_TRUE(result.exactly_once()) << describe(result) << "\n" << next->log();
}

TEST_F(Serve, SighupReloadsPluginsWithoutDroppingRunningTasks) {
  const auto config =
      write_config("slow", "", "    maxConcurrency: 2\n    config: {delayMs: 2000}\n");
  auto host = serve({"--config", config});
  expect_ready(*host);
  for (int i = 0; i < 2; ++i) client_->publish_event(make_triggered("slow"));
  ASSERT_TRUE(wait_for([&] { return client_->count("sh.keptn.event.slow.started") == 2; }, 20s));

  // A broken config is refused; the running plugins stay.
  dir_.write("host.yaml", "controlPlane:\n  mode: nats\n  nats:\n    ackWait: never\n");
  host->signal(SIGHUP);
  ASSERT_TRUE(
      wait_for([&] { return host->log().find("reload refused") != std::string::npos; }, 10s))
      << host->log();
  // A good one: the new instance is fast.
  write_config("slow", "", "    maxConcurrency: 2\n    config: {delayMs: 1}\n");
  host->signal(SIGHUP);
  ASSERT_TRUE(wait_for([&] { return host->log().find("reloaded;") != std::string::npos; }, 10s))
      << host->log();
  for (int i = 0; i < 3; ++i) client_->publish_event(make_triggered("slow"));
  const auto result = wait_for_finished("slow", "slow", 5, 30s);
  EXPECT_TRUE(result.exactly_once()) << describe(result) << "\n" << host->log();
  EXPECT_EQ(result.errored, 0u) << "the tasks running during the reload finished normally";
  EXPECT_TRUE(host->ready());
  host->signal(SIGTERM);
  EXPECT_EQ(host->wait_exit(30s), 0) << host->log();
}

TEST_F(Serve, RecoversFromANatsServerRestartUnderLoad) {
  const auto config = write_config("slow", "", "    maxConcurrency: 4\n    config: {delayMs: 5}\n");
  auto host = serve({"--config", config});
  expect_ready(*host);

  std::atomic<bool> saw_not_ready{false};
  std::atomic<bool> watching{true};
  std::thread watcher([&] {
    while (watching) {
      if (!host->ready()) saw_not_ready = true;
      std::this_thread::sleep_for(20ms);  // a probe's period, as Kubernetes would poll
    }
  });
  constexpr size_t kTasks = 120;
  for (size_t i = 0; i < kTasks; ++i) {
    if (i == kTasks / 2) server_->restart();
    client_->publish_event(make_triggered("slow"));
  }
  const auto result = wait_for_finished("slow", "slow", kTasks, 90s);
  watching = false;
  watcher.join();
  EXPECT_EQ(result.triggered, kTasks);
  EXPECT_TRUE(result.exactly_once()) << describe(result) << "\n" << host->log();
  EXPECT_TRUE(saw_not_ready.load()) << "/readyz never said not ready during the restart";
  EXPECT_TRUE(wait_for([&] { return host->ready(); }, 20s)) << host->log();
  EXPECT_GE(host->metric("keptn_host_nats_reconnects_total"), 1) << host->metrics();
}

TEST_F(Serve, CoreModeUsesAQueueGroup) {
  client_->create_stream();
  const auto config = write_config("noop", "    mode: core\n    queueGroup: noop-service\n");
  auto a = serve({"--config", config}, "a");
  auto b = serve({"--config", config}, "b");
  expect_ready(*a);
  expect_ready(*b);
  constexpr size_t kTasks = 20;
  for (size_t i = 0; i < kTasks; ++i) client_->publish_event(make_triggered("noop"));
  const auto result = wait_for_finished("noop", "noop", kTasks, 30s);
  EXPECT_TRUE(result.exactly_once()) << describe(result);
  EXPECT_TRUE(client_->bucket_entries("keptn-host-tasks").empty()) << "core mode has no journal";
}

// lighthouse alone, waiting for an SLI provider ("test-sli") that only the test plays. Its SLI
// timeout is an hour away: an evaluation that finishes got its reply.
class ServeLighthouse : public Serve {
 protected:
  std::unique_ptr<ServeProcess> start_lighthouse(const std::string& nats_extra = "") {
    dir_.write("resources/sockshop/dev/carts/slo.yaml",
               "spec_version: \"1.0\"\nobjectives:\n  - sli: response_time_p95\n    pass:\n"
               "      - criteria: [\"<600\"]\ntotal_score:\n  pass: \"90%\"\n  warning: \"75%\"\n");
    const auto config = dir_.write(
        "host.yaml",
        "controlPlane:\n  mode: nats\n  nats:\n    url: " + server_->url() +
            "\n    deliverPolicy: all\n" + nats_extra +
            "resources:\n  provider: local\n  directory: " + (dir_.path() / "resources").string() +
            "\nplugins:\n  - library: lighthouse\n    config: {sliProvider: "
            "{default: test-sli}, sliTimeoutSeconds: 3600}\n");
    return serve({"--config", config.string()});
  }

  // Sends an evaluation.triggered and returns the get-sli.triggered lighthouse asks with.
  std::optional<nlohmann::json> start_evaluation() {
    client_->publish_event(make_triggered("evaluation", {{"evaluation",
                                                          {{"start", "2023-05-04T10:15:00.000Z"},
                                                           {"end", "2023-05-04T10:20:00.000Z"}}}}));
    return wait_for_event("sh.keptn.event.get-sli.triggered");
  }

  std::optional<nlohmann::json> wait_for_event(const std::string& type) {
    std::optional<nlohmann::json> found;
    wait_for(
        [&] {
          for (const auto& message : client_->read_stream()) {
            if (message.event && message.event->value("type", "") == type) {
              found = message.event;
              return true;
            }
          }
          return false;
        },
        60s, 100ms);
    return found;
  }

  // The SLI provider's answer: response_time_p95 is 420.
  static nlohmann::json sli_reply(const nlohmann::json& request) {
    return {{"specversion", "1.0"},
            {"id", "531d06e9-615b-47e4-aa36-e8121cce7166"},
            {"source", "test-sli"},
            {"type", "sh.keptn.event.get-sli.finished"},
            {"triggeredid", request["id"]},
            {"shkeptncontext", request["shkeptncontext"]},
            {"data",
             {{"project", "sockshop"},
              {"stage", "dev"},
              {"service", "carts"},
              {"status", "succeeded"},
              {"result", "pass"},
              {"get-sli",
               {{"start", request["data"]["get-sli"]["start"]},
                {"end", request["data"]["get-sli"]["end"]},
                {"indicatorValues",
                 {{{"metric", "response_time_p95"}, {"value", 420.0}, {"success", true}}}}}}}}};
  }

  // The evaluation finished with the reply's value.
  void expect_evaluated(const ServeProcess& host) {
    const auto finished = wait_for_event("sh.keptn.event.evaluation.finished");
    ASSERT_TRUE(finished) << host.log();
    EXPECT_EQ((*finished)["data"]["status"], "succeeded") << finished->dump();
    EXPECT_EQ((*finished)["data"]["result"], "pass") << finished->dump();
    EXPECT_EQ((*finished)["data"]["evaluation"]["indicatorResults"][0]["value"]["value"], 420.0);
  }
};

TEST_F(ServeLighthouse, AReplyPublishedWhileTheHostCouldNotHearItIsFoundAfterItReconnects) {
  // A server that drops a client which stops answering its pings, within about a second. (It
  // delays a ping while it has just sent the client something, such as the pull request's
  // heartbeat every second, so the interval must be well below that.)
  NatsServerOptions options;
  options.extra_config = "ping_interval: \"250ms\"\nping_max: 2\n";
  server_ = std::make_unique<NatsServer>(options);
  client_ = std::make_unique<TestNats>(server_->url());
  auto host = start_lighthouse();
  expect_ready(*host);
  const auto request = start_evaluation();
  ASSERT_TRUE(request) << host->log();

  host->signal(SIGSTOP);
  const bool dropped =
      wait_for([&] { return server_->clients_named("keptn-host") == 0; }, 30s, 200ms);
  // The reply goes out while the host cannot hear it: only the stream keeps it.
  if (dropped) client_->publish_event(sli_reply(*request));
  host->signal(SIGCONT);
  ASSERT_TRUE(dropped) << "the server kept the stopped host's connection";

  expect_evaluated(*host);
  EXPECT_NE(host->log().find("reconnected to NATS"), std::string::npos) << host->log();
  host->signal(SIGTERM);
  EXPECT_EQ(host->wait_exit(30s), 0) << host->log();
}

TEST_F(ServeLighthouse, ATaskWaitingForAReplyGetsItWhileTheHostDrains) {
  auto host = start_lighthouse("    shutdownGrace: 50s\n");
  expect_ready(*host);
  const auto request = start_evaluation();
  ASSERT_TRUE(request) << host->log();
  host->signal(SIGTERM);
  ASSERT_TRUE(
      wait_for([&] { return host->log().find("stopped taking work") != std::string::npos; }, 30s))
      << host->log();
  // Another replica's SLI provider answers while this host drains.
  client_->publish_event(sli_reply(*request));
  expect_evaluated(*host);
  EXPECT_EQ(host->wait_exit(30s), 0) << host->log();
}

TEST_F(Serve, KilledAgainAndAgainEveryTaskStillGetsExactlyOneStartedAndFinished) {
  // Keptn's stream, created by someone else, holding the work before any host runs.
  client_->create_stream();
  constexpr size_t kTasks = 300;
  for (size_t i = 0; i < kTasks; ++i) client_->publish_event(make_triggered("slow"));
  const auto config = write_config("slow", "    ackWait: 1s\n    fetchBatch: 16\n",
                                   "    maxConcurrency: 8\n    config: {delayMs: 40}\n");

  std::mt19937 random(20240611);
  size_t kills = 0;
  for (int round = 0; round < 22; ++round) {
    auto host = serve({"--config", config}, "round-" + std::to_string(round));
    // Kill at a random point of its work: after it has sent between 1 and 24 more events.
    const uint64_t before = client_->count("sh.keptn.>");
    const uint64_t more = std::uniform_int_distribution<uint64_t>(1, 24)(random);
    wait_for(
        [&] {
          return client_->count("sh.keptn.>") >= before + more || !host->running() ||
                 client_->count("sh.keptn.event.slow.finished") >= kTasks;
        },
        15s, 5ms);
    ASSERT_TRUE(host->running()) << host->log();
    host->kill_hard();
    ++kills;
  }
  auto last = serve({"--config", config}, "last");
  const auto result = wait_for_finished("slow", "slow", kTasks, 120s);
  EXPECT_GE(kills, 20u);
  EXPECT_EQ(result.triggered, kTasks);
  const auto consumer = client_->consumer_state("keptn-host-slow");
  EXPECT_TRUE(result.exactly_once())
      << describe(result) << "\nconsumer: pending " << (consumer ? consumer->num_pending : 0)
      << ", waiting for an ack " << (consumer ? consumer->num_ack_pending : 0) << ", redelivered "
      << (consumer ? consumer->num_redelivered : 0) << "\n"
      << last->log();
  RecordProperty("errored_after_restart", static_cast<int>(result.errored));
  last->signal(SIGTERM);
  EXPECT_EQ(last->wait_exit(30s), 0) << last->log();
}

}  // namespace
}  // namespace kph::testing
