// The NATS transport's parts against a real nats-server: the connection (with token auth), the
// task journal in a KV bucket, the JetStream sink's idempotency keys, and the event store that
// reads the stream.
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/ids.hpp"
#include "nats_test_client.hpp"
#include "support/nats_server.hpp"
#include "support/net.hpp"
#include "support/temp_dir.hpp"
#include "transport/nats/async_publisher.hpp"
#include "transport/nats/jetstream_setup.hpp"
#include "transport/nats/jetstream_sink.hpp"
#include "transport/nats/kv_task_journal.hpp"
#include "transport/nats/nats_connection.hpp"
#include "transport/nats/stream_event_store.hpp"

namespace kph::host::nats {
namespace {

using namespace std::chrono_literals;
using kph::testing::NatsServer;
using kph::testing::NatsServerOptions;
using kph::testing::TestNats;

class NatsTransport : public ::testing::Test {
 protected:
  void SetUp() override {
    if (auto reason = NatsServer::unavailable_reason()) GTEST_SKIP() << *reason;
    server_ = std::make_unique<NatsServer>();
    config_.url = server_->url();
    config_.publish_timeout = 3s;
  }

  std::unique_ptr<NatsConnection> connect() {
    auto connection = NatsConnection::open(config_, "transport test");
    EXPECT_TRUE(connection.ok()) << connection.error().message;
    if (!connection) return nullptr;
    EXPECT_TRUE((*connection)->wait_connected(10s, [] { return false; }));
    return std::move(*connection);
  }

  std::unique_ptr<NatsServer> server_;
  NatsConfig config_;
};

nlohmann::json response(const std::string& kind, const std::string& triggered_id,
                        const nlohmann::json& data = nlohmann::json::object()) {
  return {{"specversion", "1.0"},
          {"id", new_uuid()},
          {"source", "noop"},
          {"type", "sh.keptn.event.noop." + kind},
          {"triggeredid", triggered_id},
          {"shkeptncontext", "ctx"},
          {"data", data}};
}

TEST_F(NatsTransport, JournalEntriesOnlyMoveForward) {
  auto connection = connect();
  ASSERT_TRUE(connection);
  auto opened = KvTaskJournal::open(*connection, config_, "host-a:1");
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  TaskJournal& journal = **opened;
  const std::string key = journal_key(new_uuid(), "noop");

  auto absent = journal.get(key);
  ASSERT_TRUE(absent.ok()) << absent.error().message;
  EXPECT_FALSE(absent->has_value());

  const auto started = response("started", "t");
  auto claimed = journal.claim(key, {JournalEntry::State::kStarted, started, ""});
  ASSERT_TRUE(claimed.ok()) << claimed.error().message;
  EXPECT_FALSE(claimed->has_value()) << "a new task is claimed";
  auto read = journal.get(key);
  ASSERT_TRUE(read.ok() && read->has_value());
  EXPECT_EQ((*read)->state, JournalEntry::State::kStarted);
  EXPECT_EQ((*read)->event, started);
  EXPECT_EQ((*read)->owner, "host-a:1");

  // Claimed again (a redelivery, another replica): nothing is written, the entry is returned.
  auto reclaimed =
      journal.claim(key, {JournalEntry::State::kStarted, response("started", "t"), "host-b:2"});
  ASSERT_TRUE(reclaimed.ok() && reclaimed->has_value());
  EXPECT_EQ((*reclaimed)->state, JournalEntry::State::kStarted);
  EXPECT_EQ((*reclaimed)->event, started);
  EXPECT_EQ((*reclaimed)->owner, "host-a:1");

  auto again = journal.put(key, {JournalEntry::State::kStarted, started, ""});
  ASSERT_FALSE(again.ok()) << "a second start means another host has the task";
  EXPECT_NE(again.error().message.find("is already started (written by host-a:1)"),
            std::string::npos)
      << again.error().message;

  const auto finished = response("finished", "t", {{"status", "succeeded"}});
  ASSERT_TRUE(journal.put(key, {JournalEntry::State::kFinished, finished, "host-b:2"}).ok());
  read = journal.get(key);
  ASSERT_TRUE(read.ok() && read->has_value());
  EXPECT_EQ((*read)->state, JournalEntry::State::kFinished);
  EXPECT_EQ((*read)->event, finished);
  EXPECT_EQ((*read)->owner, "host-b:2");
  EXPECT_FALSE(journal.put(key, {JournalEntry::State::kFinished, finished, ""}).ok());
  EXPECT_FALSE(journal.put(key, {JournalEntry::State::kStarted, started, ""}).ok());
  EXPECT_FALSE(journal.put(key, {JournalEntry::State::kLeftOpen, started, ""}).ok());
  reclaimed = journal.claim(key, {JournalEntry::State::kStarted, started, ""});
  ASSERT_TRUE(reclaimed.ok() && reclaimed->has_value());
  EXPECT_EQ((*reclaimed)->state, JournalEntry::State::kFinished);

  const std::string open_key = journal_key(new_uuid(), "approval");
  ASSERT_TRUE(journal.claim(open_key, {JournalEntry::State::kStarted, started, ""}).ok());
  ASSERT_TRUE(journal.put(open_key, {JournalEntry::State::kLeftOpen, started, ""}).ok());
  ASSERT_TRUE(journal.put(open_key, {JournalEntry::State::kFinished, finished, ""}).ok());
}

TEST_F(NatsTransport, OnlyOneOfManyConcurrentStartsWins) {
  auto connection = connect();
  ASSERT_TRUE(connection);
  auto a = KvTaskJournal::open(*connection, config_, "a");
  auto b = KvTaskJournal::open(*connection, config_, "b");
  ASSERT_TRUE(a.ok() && b.ok());
  for (int round = 0; round < 20; ++round) {
    const std::string key = journal_key(new_uuid(), "noop");
    std::atomic<int> wins{0};
    std::atomic<int> told_started{0};
    std::vector<std::thread> racers;
    for (int i = 0; i < 4; ++i) {
      TaskJournal* journal = i % 2 == 0 ? a->get() : b->get();
      racers.emplace_back([&, journal] {
        auto claimed =
            journal->claim(key, {JournalEntry::State::kStarted, response("started", key), ""});
        if (!claimed) return;
        if (!claimed->has_value()) {
          ++wins;
        } else if ((*claimed)->state == JournalEntry::State::kStarted) {
          ++told_started;
        }
      });
    }
    for (auto& racer : racers) racer.join();
    EXPECT_EQ(wins.load(), 1) << "round " << round;
    EXPECT_EQ(told_started.load(), 3) << "round " << round << ": the others see the winner's";
  }
}

TEST_F(NatsTransport, AJournalValueThatIsNotAnEntryIsReported) {
  auto connection = connect();
  ASSERT_TRUE(connection);
  auto journal = KvTaskJournal::open(*connection, config_, "a");
  ASSERT_TRUE(journal.ok());
  TestNats client(server_->url());
  client.publish("$KV.keptn-host-tasks.broken", "not json at all");
  auto read = (*journal)->get("broken");
  ASSERT_FALSE(read.ok());
  EXPECT_NE(read.error().message.find("the entry broken is not a journal entry"), std::string::npos)
      << read.error().message;
}

TEST_F(NatsTransport, TheSinkPublishesEachTaskResponseOnce) {
  auto connection = connect();
  ASSERT_TRUE(connection);
  ASSERT_TRUE(ensure_stream(connection->jetstream(), config_).ok());
  JetStreamSink sink(*connection, "keptn", 3s);
  const auto first = response("started", "t-1");
  auto ack = sink.publish_acked(first);
  ASSERT_TRUE(ack.ok()) << ack.error().message;
  EXPECT_EQ(ack->stream, "keptn");
  EXPECT_FALSE(ack->duplicate);
  // A retry after a crash: a new event id, the same task.
  auto retry = sink.publish_acked(response("started", "t-1"));
  ASSERT_TRUE(retry.ok());
  EXPECT_TRUE(retry->duplicate);
  EXPECT_EQ(retry->sequence, ack->sequence);
  // Status changes may repeat: each is kept.
  auto s1 = sink.publish_acked(response("status.changed", "t-1"));
  auto s2 = sink.publish_acked(response("status.changed", "t-1"));
  ASSERT_TRUE(s1.ok() && s2.ok());
  EXPECT_FALSE(s2->duplicate);
  TestNats client(server_->url());
  EXPECT_EQ(client.read_stream().size(), 3u);
}

TEST_F(NatsTransport, TheSinkRefusesWhatIsNotASubject) {
  auto connection = connect();
  ASSERT_TRUE(connection);
  JetStreamSink sink(*connection, "keptn", 1s);
  auto event = response("started", "t");
  event["type"] = "sh.keptn.event.bad type.started";
  auto sent = sink.publish(event);
  ASSERT_FALSE(sent.ok());
  EXPECT_NE(sent.error().message.find("is not a NATS subject"), std::string::npos)
      << sent.error().message;
}

TEST_F(NatsTransport, TheSinkRidesOutAServerRestart) {
  auto connection = connect();
  ASSERT_TRUE(connection);
  ASSERT_TRUE(ensure_stream(connection->jetstream(), config_).ok());
  JetStreamSink sink(*connection, "keptn", 20s);
  server_->stop();
  std::thread restarter([&] {
    ASSERT_TRUE(kph::testing::wait_for([&] { return !connection->connected(); }, 10s));
    server_->start();
  });
  auto sent = sink.publish(response("finished", "t-restart"));
  restarter.join();
  ASSERT_TRUE(sent.ok()) << sent.error().message;
  TestNats client(server_->url());
  EXPECT_EQ(client.read_stream().size(), 1u);
}

TEST_F(NatsTransport, TheSinkGivesUpAfterItsTimeout) {
  auto connection = connect();
  ASSERT_TRUE(connection);
  JetStreamSink sink(*connection, "keptn", 500ms);
  server_->stop(true);
  const auto started = std::chrono::steady_clock::now();
  auto sent = sink.publish(response("finished", "t-down"));
  ASSERT_FALSE(sent.ok());
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
  EXPECT_NE(sent.error().message.find("publishing event"), std::string::npos)
      << sent.error().message;
}

// The answers an asynchronous call gives, collected for the test to wait on.
template <typename T>
class Answers {
 public:
  std::function<void(T)> callback() {
    return [this](T value) {
      std::lock_guard<std::mutex> lock(mutex_);
      values_.push_back(std::move(value));
      arrived_.notify_all();
    };
  }
  // The answers once there are `count` (or what came within the deadline).
  std::vector<T> wait(size_t count, std::chrono::milliseconds deadline = 30s) {
    std::unique_lock<std::mutex> lock(mutex_);
    arrived_.wait_for(lock, deadline, [&] { return values_.size() >= count; });
    return values_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable arrived_;
  std::vector<T> values_;
};

// Waits for the one answer and checks that it is a failure that says `part`.
void expect_one_failure_saying(Answers<Status>& answers, const std::string& part) {
  const auto got = answers.wait(1);
  ASSERT_EQ(got.size(), 1u);
  ASSERT_FALSE(got[0].ok());
  EXPECT_NE(got[0].error().message.find(part), std::string::npos) << got[0].error().message;
}

std::unique_ptr<AsyncPublisher> open_publisher(NatsConnection& connection) {
  auto publisher = AsyncPublisher::open(connection);
  EXPECT_TRUE(publisher.ok()) << publisher.error().message;
  return publisher ? std::move(*publisher) : nullptr;
}

TEST_F(NatsTransport, TheAsyncSinkAnswersEveryPublishAndKeepsTheIdempotencyKey) {
  auto connection = connect();
  ASSERT_TRUE(connection);
  ASSERT_TRUE(ensure_stream(connection->jetstream(), config_).ok());
  auto publisher = open_publisher(*connection);
  ASSERT_TRUE(publisher);
  JetStreamSink sink(*connection, "keptn", 3s, {}, publisher.get());
  Answers<Status> answers;
  sink.publish_async(response("started", "t-async"), answers.callback());
  // The same task's .started again (a retry): acknowledged, and dropped by the stream.
  sink.publish_async(response("started", "t-async"), answers.callback());
  sink.publish_async(response("finished", "t-async"), answers.callback());
  auto bad = response("finished", "t-async");
  bad["type"] = "sh.keptn.event.bad type.finished";
  sink.publish_async(bad, answers.callback());
  const auto got = answers.wait(4);
  ASSERT_EQ(got.size(), 4u);
  size_t failed = 0;
  for (const auto& answer : got) {
    if (answer.ok()) continue;
    ++failed;
    EXPECT_NE(answer.error().message.find("is not a NATS subject"), std::string::npos)
        << answer.error().message;
  }
  EXPECT_EQ(failed, 1u);
  TestNats client(server_->url());
  EXPECT_EQ(client.read_stream().size(), 2u);
}

TEST_F(NatsTransport, TheAsyncSinkRidesOutAServerRestart) {
  auto connection = connect();
  ASSERT_TRUE(connection);
  ASSERT_TRUE(ensure_stream(connection->jetstream(), config_).ok());
  auto publisher = open_publisher(*connection);
  ASSERT_TRUE(publisher);
  JetStreamSink sink(*connection, "keptn", 20s, {}, publisher.get());
  server_->stop();
  ASSERT_TRUE(kph::testing::wait_for([&] { return !connection->connected(); }, 10s));
  Answers<Status> answers;
  sink.publish_async(response("finished", "t-async-restart"), answers.callback());
  server_->start();
  const auto got = answers.wait(1, 60s);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_TRUE(got[0].ok()) << got[0].error().message;
  TestNats client(server_->url());
  EXPECT_EQ(client.read_stream().size(), 1u);
}

TEST_F(NatsTransport, TheAsyncSinkReportsAPublishTheServerNeverAnswered) {
  auto connection = connect();
  ASSERT_TRUE(connection);
  auto publisher = open_publisher(*connection);
  ASSERT_TRUE(publisher);
  JetStreamSink sink(*connection, "keptn", 500ms, {}, publisher.get());
  server_->stop(true);
  Answers<Status> answers;
  sink.publish_async(response("finished", "t-async-down"), answers.callback());
  expect_one_failure_saying(answers, "publishing event");
}

TEST_F(NatsTransport, AsyncJournalWritesDecideAsTheBlockingOnesDo) {
  auto connection = connect();
  ASSERT_TRUE(connection);
  auto publisher = open_publisher(*connection);
  ASSERT_TRUE(publisher);
  auto opened_a = KvTaskJournal::open(*connection, config_, "host-a:1", publisher.get());
  auto opened_b = KvTaskJournal::open(*connection, config_, "host-b:2");
  ASSERT_TRUE(opened_a.ok() && opened_b.ok());
  TaskJournal& a = **opened_a;
  TaskJournal& b = **opened_b;
  using Claim = Result<std::optional<JournalEntry>>;
  const auto started = response("started", "t");
  const auto finished = response("finished", "t", {{"status", "succeeded"}});

  // A new task: claimed; claimed again: the entry is reported and nothing is written.
  const std::string key = journal_key(new_uuid(), "noop");
  Answers<Claim> claims;
  a.claim_async(key, {JournalEntry::State::kStarted, started, ""}, claims.callback());
  ASSERT_EQ(claims.wait(1).size(), 1u);
  a.claim_async(key, {JournalEntry::State::kStarted, response("started", "t"), ""},
                claims.callback());
  auto got = claims.wait(2);
  ASSERT_EQ(got.size(), 2u);
  ASSERT_TRUE(got[0].ok() && got[1].ok());
  EXPECT_FALSE(got[0]->has_value()) << "a new task is claimed";
  ASSERT_TRUE(got[1]->has_value());
  EXPECT_EQ((*got[1])->event, started);
  EXPECT_EQ((*got[1])->owner, "host-a:1");

  // Moving its own task forward, then once more (refused: finished is final).
  Answers<Status> writes;
  a.put_async(key, {JournalEntry::State::kFinished, finished, ""}, writes.callback());
  ASSERT_EQ(writes.wait(1).size(), 1u);
  a.put_async(key, {JournalEntry::State::kFinished, finished, ""}, writes.callback());
  auto written = writes.wait(2);
  ASSERT_EQ(written.size(), 2u);
  EXPECT_TRUE(written[0].ok()) << written[0].error().message;
  ASSERT_FALSE(written[1].ok());
  EXPECT_NE(written[1].error().message.find("is already finished"), std::string::npos)
      << written[1].error().message;
  auto read = b.get(key);
  ASSERT_TRUE(read.ok() && read->has_value());
  EXPECT_EQ((*read)->state, JournalEntry::State::kFinished);
  EXPECT_EQ((*read)->event, finished);

  // Another host finished the task meanwhile: the compare-and-set fails, and the answer says
  // who has it.
  const std::string taken = journal_key(new_uuid(), "noop");
  Answers<Claim> taken_claim;
  a.claim_async(taken, {JournalEntry::State::kStarted, started, ""}, taken_claim.callback());
  ASSERT_EQ(taken_claim.wait(1).size(), 1u);
  ASSERT_TRUE(b.put(taken, {JournalEntry::State::kFinished, finished, ""}).ok());
  Answers<Status> late;
  a.put_async(taken, {JournalEntry::State::kFinished, response("finished", "t"), ""},
              late.callback());
  expect_one_failure_saying(late, "written by host-b:2");
}

TEST_F(NatsTransport, AStreamIsCreatedWithLimitsOnlyWhenAllowed) {
  auto connection = connect();
  ASSERT_TRUE(connection);
  config_.create_stream = false;
  auto refused = ensure_stream(connection->jetstream(), config_);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("JetStream stream keptn does not exist"),
            std::string::npos)
      << refused.error().message;
  EXPECT_NE(refused.error().message.find("createStream: true"), std::string::npos);
  config_.create_stream = true;
  ASSERT_TRUE(ensure_stream(connection->jetstream(), config_).ok());
  ASSERT_TRUE(ensure_stream(connection->jetstream(), config_).ok()) << "binding is idempotent";
  // A consumer twice: created, then updated in place.
  ASSERT_TRUE(ensure_consumer(connection->jetstream(), config_, "c1").ok());
  config_.max_deliver = 4;
  config_.backoff = {2s};
  ASSERT_TRUE(ensure_consumer(connection->jetstream(), config_, "c1").ok());
  // Unlimited deliveries (the default) with a backoff list is a valid consumer too.
  config_.max_deliver = -1;
  auto unlimited = ensure_consumer(connection->jetstream(), config_, "c2");
  ASSERT_TRUE(unlimited.ok()) << unlimited.error().message;
  TestNats client(server_->url());
  EXPECT_TRUE(client.consumer_state("c1").has_value());
}

TEST_F(NatsTransport, ReplicasStartingTogetherAllBindToOneStreamAndConsumer) {
  // Each replica has its own connection, as separate processes do.
  constexpr int kReplicas = 6;
  std::vector<std::unique_ptr<NatsConnection>> connections;
  for (int i = 0; i < kReplicas; ++i) {
    connections.push_back(connect());
    ASSERT_TRUE(connections.back());
  }
  std::vector<std::string> failures(kReplicas);
  std::vector<std::thread> replicas;
  for (int i = 0; i < kReplicas; ++i) {
    replicas.emplace_back([&, i] {
      auto stream = ensure_stream(connections[i]->jetstream(), config_);
      if (!stream) {
        failures[i] = stream.error().message;
        return;
      }
      auto consumer = ensure_consumer(connections[i]->jetstream(), config_, "shared");
      if (!consumer) failures[i] = consumer.error().message;
    });
  }
  for (auto& replica : replicas) replica.join();
  for (int i = 0; i < kReplicas; ++i) EXPECT_EQ(failures[i], "") << "replica " << i;
  TestNats client(server_->url());
  EXPECT_TRUE(client.consumer_state("shared").has_value());
}

TEST_F(NatsTransport, AnotherStreamOnTheSameSubjectsIsNamedAsTheConflict) {
  auto connection = connect();
  ASSERT_TRUE(connection);
  NatsConfig other = config_;
  other.stream = "events";
  ASSERT_TRUE(ensure_stream(connection->jetstream(), other).ok());
  auto refused = ensure_stream(connection->jetstream(), config_);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("cannot create the JetStream stream keptn"),
            std::string::npos)
      << refused.error().message;
  EXPECT_NE(refused.error().message.find("set controlPlane.nats.stream to its name"),
            std::string::npos)
      << refused.error().message;
}

TEST_F(NatsTransport, TokenAuthFromAnEnvironmentVariable) {
  NatsServerOptions options;
  options.token = "t0ken-for-test";
  NatsServer secured(options);
  ::setenv("KPH_TEST_NATS_TOKEN", "t0ken-for-test", 1);
  NatsConfig config;
  config.url = secured.url();
  config.token.env = "KPH_TEST_NATS_TOKEN";
  auto connection = NatsConnection::open(config, "token test");
  ASSERT_TRUE(connection.ok()) << connection.error().message;
  EXPECT_TRUE((*connection)->wait_connected(10s, [] { return false; }));
  ::unsetenv("KPH_TEST_NATS_TOKEN");

  config.token.env = "KPH_TEST_NATS_TOKEN_UNSET";
  auto refused = NatsConnection::open(config, "token test");
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("KPH_TEST_NATS_TOKEN_UNSET is not set"), std::string::npos)
      << refused.error().message;
}

TEST_F(NatsTransport, TheFirstConnectIsRetriedUntilTheServerIsThere) {
  const uint16_t port = kph::testing::free_port();
  config_.url = "nats://127.0.0.1:" + std::to_string(port);
  config_.reconnect.initial_delay = 50ms;
  config_.reconnect.max_delay = 200ms;
  config_.reconnect.jitter = 10ms;
  auto connection = NatsConnection::open(config_, "late server test");
  ASSERT_TRUE(connection.ok()) << connection.error().message;
  EXPECT_FALSE((*connection)->connected());
  NatsServerOptions options;
  options.port = port;
  NatsServer late(options);
  EXPECT_TRUE((*connection)->wait_connected(10s, [] { return false; }));
}

class StreamStore : public NatsTransport {
 protected:
  void SetUp() override {
    NatsTransport::SetUp();
    if (IsSkipped()) return;
    client_ = std::make_unique<TestNats>(server_->url());
    client_->create_stream();
  }

  // An evaluation.finished for one service, numbered so tests can check the order.
  void publish_evaluation(const std::string& service, int number) {
    client_->publish_event(
        {{"specversion", "1.0"},
         {"id", "eval-" + service + "-" + std::to_string(number)},
         {"source", "lighthouse"},
         {"type", "sh.keptn.event.evaluation.finished"},
         {"shkeptncontext", "ctx"},
         {"triggeredid", "t"},
         {"data",
          {{"project", "sockshop"}, {"stage", "dev"}, {"service", service}, {"number", number}}}});
  }

  std::unique_ptr<TestNats> client_;
};

TEST_F(StreamStore, NewestMatchingEventsFirst) {
  for (int i = 1; i <= 12; ++i) {
    publish_evaluation(i % 3 == 0 ? "orders" : "carts", i);
    client_->publish_event(kph::testing::make_triggered("noop"));
  }
  auto connection = connect();
  ASSERT_TRUE(connection);
  StreamEventStore store(*connection, config_);
  EventQuery query;
  query.type = "sh.keptn.event.evaluation.finished";
  query.project = "sockshop";
  query.stage = "dev";
  query.service = "carts";
  query.limit = 5;
  auto found = store.query(query);
  ASSERT_TRUE(found.ok()) << found.error().message;
  std::vector<int> numbers;
  for (const auto& event : *found) numbers.push_back(event["data"]["number"]);
  EXPECT_EQ(numbers, (std::vector<int>{11, 10, 8, 7, 5}));

  query.limit = 100;
  query.service = "orders";
  found = store.query(query);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->size(), 4u);

  query.type = "sh.keptn.event.evaluation.invalidated";
  found = store.query(query);
  ASSERT_TRUE(found.ok());
  EXPECT_TRUE(found->empty());

  query.type = "sh.keptn.event.*.finished";
  EXPECT_FALSE(store.query(query).ok()) << "a wildcard is not an event type";
  EXPECT_TRUE(store.record(nlohmann::json::object()).ok());
}

TEST_F(StreamStore, ManyEventsAreReadBackwardsInWindowsWithinTheScanLimit) {
  // More events of the type than maxScan: the store reads the newest windows only.
  for (int i = 1; i <= 60; ++i) publish_evaluation("carts", i);
  auto connection = connect();
  ASSERT_TRUE(connection);
  config_.event_store_max_scan = 20;
  StreamEventStore store(*connection, config_);
  EventQuery query;
  query.type = "sh.keptn.event.evaluation.finished";
  query.service = "carts";
  query.limit = 3;
  auto found = store.query(query);
  ASSERT_TRUE(found.ok()) << found.error().message;
  ASSERT_EQ(found->size(), 3u);
  EXPECT_EQ((*found)[0]["data"]["number"], 60);
  EXPECT_EQ((*found)[2]["data"]["number"], 58);
}

}  // namespace
}  // namespace kph::host::nats
