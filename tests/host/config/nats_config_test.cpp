// controlPlane.nats: every key read, the defaults, and malformed values refused with a message
// that names the place, what was expected, what was found and what to do. A secret written
// inline is refused without its value ever appearing in the message.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "config/host_config.hpp"
#include "config/nats_config_parser.hpp"
#include "config_test_support.hpp"

namespace kph::host {
namespace {

using namespace std::chrono_literals;
using testing::ConfigFile;
using testing::expect_one_error;
using testing::load_errors;
using testing::load_valid;

TEST(NatsConfig, DefaultsWhenOnlyTheModeIsGiven) {
  ConfigFile file("controlPlane:\n  mode: nats\n");
  const auto config = load_valid(file);
  EXPECT_EQ(config.control_plane.mode, "nats");
  const NatsConfig& n = config.control_plane.nats;
  EXPECT_EQ(n.url, "");
  EXPECT_EQ(n.mode, "jetstream");
  EXPECT_EQ(n.stream, "keptn");
  EXPECT_TRUE(n.create_stream);
  EXPECT_EQ(n.subjects, std::vector<std::string>{"sh.keptn.>"});
  EXPECT_EQ(n.consumer, "");
  EXPECT_EQ(n.filter_subject, "sh.keptn.event.*.triggered");
  EXPECT_EQ(n.deliver_policy, "10m");
  EXPECT_EQ(n.max_deliver, -1) << "a crash must never cost an event";
  EXPECT_EQ(n.ack_wait, 30s);
  EXPECT_TRUE(n.backoff.empty());
  EXPECT_EQ(n.journal_bucket, "keptn-host-tasks");
  EXPECT_EQ(n.shutdown_grace, 25s);
  EXPECT_FALSE(n.tls.enabled);
  EXPECT_TRUE(n.token.empty());
  EXPECT_TRUE(n.credentials.empty());
}

TEST(NatsConfig, ReadsEveryKey) {
  ConfigFile file(R"(controlPlane:
  mode: nats
  nats:
    url: tls://nats-a:4222, tls://nats-b:4222
    mode: core
    stream: keptn-events
    createStream: false
    subjects: [sh.keptn.>, sh.other.*]
    streamMaxAge: 48h
    streamMaxBytes: -1
    duplicateWindow: 5m
    replicas: 3
    consumer: my-host
    filterSubject: sh.keptn.event.*.triggered
    deliverPolicy: new
    maxDeliver: 7
    ackWait: 45s
    backoff: [5s, 30s, 2m]
    maxAckPending: 50
    fetchBatch: 8
    fetchExpires: 10s
    publishTimeout: 3s
    shutdownGrace: 1m
    queueGroup: lighthouse-service
    journal: {bucket: tasks, ttl: 24h}
    eventStore: {maxScan: 500}
    tls: {ca: certs/ca.pem, cert: /etc/c.pem, key: /etc/k.pem}
    user: {env: NATS_USER}
    password: {file: secrets/pw}
    reconnect: {initialDelay: 100ms, maxDelay: 30s, jitter: 2s}
)");
  const auto config = load_valid(file);
  const NatsConfig& n = config.control_plane.nats;
  EXPECT_EQ(n.url, "tls://nats-a:4222, tls://nats-b:4222");
  EXPECT_EQ(n.mode, "core");
  EXPECT_EQ(n.stream, "keptn-events");
  EXPECT_FALSE(n.create_stream);
  EXPECT_EQ(n.subjects, (std::vector<std::string>{"sh.keptn.>", "sh.other.*"}));
  EXPECT_EQ(n.stream_max_age, 48h);
  EXPECT_EQ(n.stream_max_bytes, -1);
  EXPECT_EQ(n.duplicate_window, 5min);
  EXPECT_EQ(n.replicas, 3);
  EXPECT_EQ(n.consumer, "my-host");
  EXPECT_EQ(n.filter_subject, "sh.keptn.event.*.triggered");
  EXPECT_EQ(n.deliver_policy, "new");
  EXPECT_EQ(n.max_deliver, 7);
  EXPECT_EQ(n.ack_wait, 45s);
  EXPECT_EQ(n.backoff, (std::vector<std::chrono::milliseconds>{5s, 30s, 2min}));
  EXPECT_EQ(n.max_ack_pending, 50);
  EXPECT_EQ(n.fetch_batch, 8);
  EXPECT_EQ(n.fetch_expires, 10s);
  EXPECT_EQ(n.publish_timeout, 3s);
  EXPECT_EQ(n.shutdown_grace, 1min);
  EXPECT_EQ(n.queue_group, "lighthouse-service");
  EXPECT_EQ(n.journal_bucket, "tasks");
  EXPECT_EQ(n.journal_ttl, 24h);
  EXPECT_EQ(n.event_store_max_scan, 500);
  EXPECT_TRUE(n.tls.enabled);
  EXPECT_EQ(n.tls.ca, file.folder() / "certs/ca.pem");
  EXPECT_EQ(n.tls.cert, "/etc/c.pem");
  EXPECT_EQ(n.tls.key, "/etc/k.pem");
  EXPECT_EQ(n.user.env, "NATS_USER");
  EXPECT_EQ(n.password.file, file.folder() / "secrets/pw");
  EXPECT_EQ(n.reconnect.initial_delay, 100ms);
  EXPECT_EQ(n.reconnect.max_delay, 30s);
  EXPECT_EQ(n.reconnect.jitter, 2s);
}

TEST(NatsConfig, SecretsComeFromFilesOrEnvironment) {
  ConfigFile token_env("controlPlane:\n  mode: nats\n  nats:\n    token: {env: NATS_TOKEN}\n");
  EXPECT_EQ(load_valid(token_env).control_plane.nats.token.env, "NATS_TOKEN");
  ConfigFile token_file(
      "controlPlane:\n  mode: nats\n  nats:\n    token: {file: /run/secrets/t}\n");
  EXPECT_EQ(load_valid(token_file).control_plane.nats.token.file, "/run/secrets/t");
  ConfigFile creds("controlPlane:\n  mode: nats\n  nats:\n    credentials: keptn.creds\n");
  EXPECT_EQ(load_valid(creds).control_plane.nats.credentials, creds.folder() / "keptn.creds");
  ConfigFile deliver("controlPlane:\n  mode: nats\n  nats:\n    deliverPolicy: 1h30m\n");
  EXPECT_EQ(load_valid(deliver).control_plane.nats.deliver_policy, "1h30m");
}

struct Malformed {
  std::string name;
  std::string nats_block;  // indented by four spaces under controlPlane.nats
  std::string location;    // "line:column", the block starting on line 4
  std::vector<std::string> keywords;
};

const std::vector<Malformed> kMalformed = {
    {"unknown key",
     "    urll: nats://x:4222\n",
     "4:5",
     {"unknown key \"urll\" in controlPlane.nats", "did you mean url?"}},
    {"url without scheme",
     "    url: keptn-nats:4222\n",
     "4:10",
     {"controlPlane.nats.url is not a NATS URL", "nats://host:port", "found \"keptn-nats:4222\""}},
    {"url with a bad second server",
     "    url: nats://a:1,nats:/b\n",
     "4:10",
     {"is not a NATS URL"}},
    {"unknown mode",
     "    mode: jetstreem\n",
     "4:11",
     {"controlPlane.nats.mode is unknown", "expected jetstream or core",
      "did you mean jetstream?"}},
    {"stream name with a dot",
     "    stream: keptn.events\n",
     "4:13",
     {"controlPlane.nats.stream is not a valid NATS name", "found \"keptn.events\""}},
    {"consumer with a space", "    consumer: \"my host\"\n", "4:15", {"not a valid NATS name"}},
    {"createStream not a boolean",
     "    createStream: yes please\n",
     "4:19",
     {"controlPlane.nats.createStream is not a boolean", "expected true or false"}},
    {"empty subjects",
     "    subjects: []\n",
     "4:15",
     {"controlPlane.nats.subjects is empty", "at least one subject"}},
    {"subject with a wildcard inside a token",
     "    subjects: [sh.keptn.ev*]\n",
     "4:15",
     {"controlPlane.nats.subjects[0] is not a subject"}},
    {"filter with > not last",
     "    filterSubject: sh.>.event\n",
     "4:20",
     {"controlPlane.nats.filterSubject is not a subject"}},
    {"filter with an empty token", "    filterSubject: sh..keptn\n", "4:20", {"is not a subject"}},
    {"zero maxDeliver",
     "    maxDeliver: 0\n",
     "4:17",
     {"controlPlane.nats.maxDeliver is zero", "-1 (unlimited)"}},
    {"negative maxDeliver below -1",
     "    maxDeliver: -5\n",
     "4:17",
     {"maxDeliver is out of range"}},
    {"maxDeliver not above the backoff",
     "    maxDeliver: 3\n    backoff: [1s, 5s]\n",
     "4:17",
     {"maxDeliver is 3 but backoff lists 2 redelivery waits", "raise maxDeliver to at least 4"}},
    {"backoff with a bad duration",
     "    backoff: [1s, soon]\n",
     "4:19",
     {"controlPlane.nats.backoff[1] is not a valid duration"}},
    {"backoff not a list",
     "    backoff: 5s\n",
     "4:14",
     {"controlPlane.nats.backoff is not a list"}},
    {"zero ackWait", "    ackWait: 0s\n", "4:14", {"controlPlane.nats.ackWait is zero"}},
    {"fetchExpires too short",
     "    fetchExpires: 200ms\n",
     "4:19",
     {"controlPlane.nats.fetchExpires is too short", "at least 1s"}},
    {"unknown deliverPolicy",
     "    deliverPolicy: everything\n",
     "4:20",
     {"controlPlane.nats.deliverPolicy is unknown", "all, new, or a duration"}},
    {"zero streamMaxBytes",
     "    streamMaxBytes: 0\n",
     "4:21",
     {"controlPlane.nats.streamMaxBytes is zero"}},
    {"tls cert without key",
     "    tls: {cert: c.pem}\n",
     "4:10",
     {"controlPlane.nats.tls has a cert but no key", "add key:"}},
    {"tls not a mapping", "    tls: true\n", "4:10", {"controlPlane.nats.tls is not a mapping"}},
    {"secret with both sources",
     "    token: {file: a, env: B}\n",
     "4:12",
     {"controlPlane.nats.token has both file and env", "keep exactly one"}},
    {"secret with no source",
     "    token: {}\n",
     "4:12",
     {"controlPlane.nats.token names no source"}},
    {"bad environment variable name",
     "    token: {env: 9LIVES}\n",
     "4:18",
     {"controlPlane.nats.token.env is not an environment variable name"}},
    {"token and user",
     "    token: {env: T}\n    user: {env: U}\n    password: {env: P}\n",
     "4:12",
     {"has both a token and a user/password"}},
    {"user without password",
     "    user: {env: U}\n",
     "4:11",
     {"controlPlane.nats has a user but no password", "add password:"}},
    {"credentials with a token",
     "    credentials: a.creds\n    token: {env: T}\n",
     "4:18",
     {"has a credentials file and a token or user"}},
    {"reconnect delays the wrong way round",
     "    reconnect: {initialDelay: 10s, maxDelay: 1s}\n",
     "4:16",
     {"maxDelay is shorter than its initialDelay"}},
    {"journal bucket with a dot",
     "    journal: {bucket: a.b}\n",
     "4:23",
     {"controlPlane.nats.journal.bucket is not a valid NATS name"}},
    {"eventStore maxScan zero",
     "    eventStore: {maxScan: 0}\n",
     "4:27",
     {"controlPlane.nats.eventStore.maxScan is out of range"}},
};

TEST(NatsConfigErrors, EachMistakeIsNamedWithItsPlace) {
  for (const auto& c : kMalformed) {
    const std::string message = expect_one_error(
        {c.name, "controlPlane:\n  mode: nats\n  nats:\n" + c.nats_block, c.location, c.keywords});
    if (message.empty()) continue;
    EXPECT_NE(message.find("; expected "), std::string::npos) << c.name << ": " << message;
    EXPECT_NE(message.find(", found "), std::string::npos) << c.name << ": " << message;
  }
}

TEST(NatsConfigErrors, AnInlineSecretIsRefusedWithoutShowingIt) {
  for (const std::string key : {"token", "user", "password"}) {
    SCOPED_TRACE(key);
    ConfigFile file("controlPlane:\n  mode: nats\n  nats:\n    " + key + ": s3cr3t-Value\n");
    const auto lines = load_errors(file);
    ASSERT_GE(lines.size(), 1u);
    const std::string all = ::testing::PrintToString(lines);
    EXPECT_EQ(all.find("s3cr3t"), std::string::npos) << all;
    EXPECT_NE(lines[0].find("controlPlane.nats." + key + " is written inline"), std::string::npos)
        << lines[0];
    EXPECT_NE(lines[0].find("not shown"), std::string::npos) << lines[0];
    EXPECT_NE(lines[0].find("{env: NATS_"), std::string::npos) << lines[0];
  }
}

TEST(NatsConfigErrors, ANatsBlockNeedsNatsMode) {
  ConfigFile file("controlPlane:\n  nats:\n    stream: keptn\n");
  const auto lines = load_errors(file);
  ASSERT_EQ(lines.size(), 1u) << ::testing::PrintToString(lines);
  EXPECT_NE(lines[0].find("controlPlane.nats is set but the mode is local"), std::string::npos)
      << lines[0];
}

TEST(NatsConfigErrors, TheNatsBlockMustBeAMapping) {
  ConfigFile file("controlPlane:\n  mode: nats\n  nats: nats://keptn-nats\n");
  const auto lines = load_errors(file);
  ASSERT_EQ(lines.size(), 1u) << ::testing::PrintToString(lines);
  EXPECT_NE(lines[0].find("controlPlane.nats is not a mapping"), std::string::npos) << lines[0];
  EXPECT_NE(lines[0].find("nats: {url: nats://keptn-nats:4222}"), std::string::npos) << lines[0];
}

TEST(NatsNames, SubjectsAndNamesFollowNatsRules) {
  using config::is_valid_nats_name;
  using config::is_valid_nats_subject;
  EXPECT_TRUE(is_valid_nats_subject("sh.keptn.>"));
  EXPECT_TRUE(is_valid_nats_subject("sh.keptn.event.*.triggered"));
  EXPECT_TRUE(is_valid_nats_subject("sh.keptn.event.get-sli.finished"));
  EXPECT_FALSE(is_valid_nats_subject(""));
  EXPECT_FALSE(is_valid_nats_subject("sh..keptn"));
  EXPECT_FALSE(is_valid_nats_subject(".sh"));
  EXPECT_FALSE(is_valid_nats_subject("sh."));
  EXPECT_FALSE(is_valid_nats_subject("sh.>.x"));
  EXPECT_FALSE(is_valid_nats_subject("sh.ke*"));
  EXPECT_FALSE(is_valid_nats_subject("sh.keptn event"));
  EXPECT_TRUE(is_valid_nats_name("keptn-host_1"));
  EXPECT_FALSE(is_valid_nats_name("a.b"));
  EXPECT_FALSE(is_valid_nats_name("a>"));
  EXPECT_FALSE(is_valid_nats_name(""));
  EXPECT_FALSE(is_valid_nats_name(std::string(201, 'a')));
}

}  // namespace
}  // namespace kph::host
