// The NATS transport's small rules, without a server: idempotency keys, journal bucket keys,
// default consumer names, reconnect delays, redelivery timing, URL resolution and secrets.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <string>

#include "support/temp_dir.hpp"
#include "transport/nats/jetstream_setup.hpp"
#include "transport/nats/kv_task_journal.hpp"
#include "transport/nats/nats_connection.hpp"
#include "transport/nats/publish_key.hpp"
#include "transport/nats/secret.hpp"

namespace kph::host::nats {
namespace {

using namespace std::chrono_literals;

nlohmann::json event(const std::string& type, const std::string& id,
                     const std::string& triggered_id = "", const std::string& source = "noop") {
  nlohmann::json e = {{"type", type}, {"id", id}, {"source", source}};
  if (!triggered_id.empty()) e["triggeredid"] = triggered_id;
  return e;
}

TEST(PublishKey, StartedAndFinishedAreKeyedByTheirTask) {
  const auto a = event("sh.keptn.event.noop.started", "id-1", "t-1");
  const auto b = event("sh.keptn.event.noop.started", "id-2", "t-1");
  EXPECT_EQ(publish_key(a), publish_key(b)) << "two attempts at one task's .started";
  EXPECT_EQ(publish_key(a), "t-1|sh.keptn.event.noop.started|noop");
  EXPECT_NE(publish_key(event("sh.keptn.event.noop.finished", "id-3", "t-1")), publish_key(a));
  EXPECT_NE(publish_key(event("sh.keptn.event.noop.started", "id-4", "t-1", "other")),
            publish_key(a))
      << "another plugin's response to the same event";
  EXPECT_NE(publish_key(event("sh.keptn.event.noop.started", "id-5", "t-2")), publish_key(a));
}

TEST(PublishKey, OtherEventsAreKeyedByTheirId) {
  EXPECT_EQ(publish_key(event("sh.keptn.event.noop.status.changed", "id-1", "t-1")), "id-1");
  EXPECT_EQ(publish_key(event("sh.keptn.event.get-sli.triggered", "id-2")), "id-2");
  EXPECT_EQ(publish_key(event("sh.keptn.event.noop.finished", "id-3")), "id-3")
      << "a .finished without triggeredid";
  EXPECT_EQ(publish_key(event("not-keptn", "id-4", "t")), "id-4");
}

TEST(BucketKey, ValidKeysStayReadableOthersAreHexEncoded) {
  EXPECT_EQ(bucket_key("0b6e1c52-1d6f-4c1e-9a0e-0c7e5b1f3a11.lighthouse"),
            "0b6e1c52-1d6f-4c1e-9a0e-0c7e5b1f3a11.lighthouse");
  EXPECT_EQ(bucket_key(".x"), "h=2e78");
  EXPECT_EQ(bucket_key("a..b"), "h=612e2e62");
  EXPECT_EQ(bucket_key("x."), "h=782e");
  EXPECT_EQ(bucket_key("h=00"), "h=683d3030") << "a valid key must not pose as an encoded one";
  EXPECT_EQ(bucket_key("a b"), "h=612062");
  EXPECT_NE(bucket_key("a..b"), bucket_key("a.b"));
}

TEST(DefaultConsumerName, IsStableAcrossOrderAndSafeForNats) {
  EXPECT_EQ(default_consumer_name({"noop"}), "keptn-host-noop");
  EXPECT_EQ(default_consumer_name({"lighthouse", "approval"}),
            default_consumer_name({"approval", "lighthouse"}));
  EXPECT_EQ(default_consumer_name({"approval", "lighthouse"}), "keptn-host-approval-lighthouse");
  EXPECT_EQ(default_consumer_name({"a.b", "c d"}), "keptn-host-a_b-c_d");
  EXPECT_EQ(default_consumer_name({}), "keptn-host");
  const std::vector<std::string> many = {"lighthouse",  "prometheus-sli", "approval",
                                         "remediation", "helm-deploy",    "job-executor"};
  const std::string long_name = default_consumer_name(many);
  EXPECT_LE(long_name.size(), 64u);
  EXPECT_EQ(long_name, default_consumer_name(many));
  auto other = many;
  other.pop_back();
  EXPECT_NE(long_name, default_consumer_name(other));
}

TEST(ReconnectDelay, DoublesUpToTheMaximum) {
  NatsReconnectConfig config;
  config.initial_delay = 100ms;
  config.max_delay = 1s;
  EXPECT_EQ(reconnect_delay(config, 1), 100ms);
  EXPECT_EQ(reconnect_delay(config, 2), 200ms);
  EXPECT_EQ(reconnect_delay(config, 4), 800ms);
  EXPECT_EQ(reconnect_delay(config, 5), 1s);
  EXPECT_EQ(reconnect_delay(config, 1000000), 1s);
  EXPECT_EQ(reconnect_delay(config, 0), 100ms);
}

TEST(Redelivery, ProgressIsReportedWellWithinTheShortestAckWait) {
  NatsConfig config;
  config.ack_wait = 30s;
  EXPECT_EQ(progress_interval(config), 10s);
  config.backoff = {3s, 1min};
  EXPECT_EQ(progress_interval(config), 1s);
  config.ack_wait = 100ms;
  config.backoff.clear();
  EXPECT_EQ(progress_interval(config), 100ms) << "never more often than every 100 ms";
  EXPECT_EQ(ack_waits(config), (std::vector<std::chrono::milliseconds>{100ms}));
}

TEST(Redelivery, NakDelayFollowsTheBackoffOrDoubles) {
  NatsConfig config;
  EXPECT_EQ(nak_delay(config, 1), 1s);
  EXPECT_EQ(nak_delay(config, 2), 2s);
  EXPECT_EQ(nak_delay(config, 100), 32s);
  config.backoff = {5s, 30s};
  EXPECT_EQ(nak_delay(config, 1), 5s);
  EXPECT_EQ(nak_delay(config, 2), 30s);
  EXPECT_EQ(nak_delay(config, 9), 30s);
}

TEST(NatsUrl, ConfigThenNatsUrlThenEventBrokerThenKeptnDefault) {
  ::unsetenv("NATS_URL");
  ::unsetenv("EVENTBROKER");
  NatsConfig config;
  EXPECT_EQ(resolve_nats_url(config).url, "nats://keptn-nats:4222");
  EXPECT_EQ(resolve_nats_url(config).source, "default");
  ::setenv("EVENTBROKER", "nats://broker:4222", 1);
  EXPECT_EQ(resolve_nats_url(config).url, "nats://broker:4222");
  EXPECT_EQ(resolve_nats_url(config).source, "EVENTBROKER");
  ::setenv("NATS_URL", "nats://from-env:4222", 1);
  EXPECT_EQ(resolve_nats_url(config).source, "NATS_URL");
  config.url = "nats://configured:4222";
  EXPECT_EQ(resolve_nats_url(config).url, "nats://configured:4222");
  ::unsetenv("NATS_URL");
  ::unsetenv("EVENTBROKER");
}

TEST(NatsUrl, CredentialsInTheUrlAreNotLogged) {
  EXPECT_EQ(redact_url("nats://user:pa55@host:4222"), "nats://***@host:4222");
  EXPECT_EQ(redact_url("nats://tok@h:1, nats://h2:2"), "nats://***@h:1,nats://h2:2");
  EXPECT_EQ(redact_url("nats://host:4222"), "nats://host:4222");
}

TEST(Secret, ReadFromFileWithoutTheTrailingNewline) {
  kph::testing::TempDir dir;
  SecretSource source;
  source.file = dir.write("token", "s3cret\n");
  auto value = read_secret(source, "controlPlane.nats.token");
  ASSERT_TRUE(value.ok()) << value.error().message;
  EXPECT_EQ(*value, "s3cret");
}

TEST(Secret, ReadFromEnvironment) {
  ::setenv("KPH_TEST_SECRET", "from-env", 1);
  SecretSource source;
  source.env = "KPH_TEST_SECRET";
  auto value = read_secret(source, "controlPlane.nats.password");
  ASSERT_TRUE(value.ok()) << value.error().message;
  EXPECT_EQ(*value, "from-env");
  ::unsetenv("KPH_TEST_SECRET");
}

TEST(Secret, FailuresNameTheSourceNeverTheValue) {
  kph::testing::TempDir dir;
  SecretSource missing;
  missing.file = dir.path() / "absent";
  auto value = read_secret(missing, "controlPlane.nats.token");
  ASSERT_FALSE(value.ok());
  EXPECT_NE(value.error().message.find("controlPlane.nats.token: cannot read the file"),
            std::string::npos)
      << value.error().message;
  EXPECT_NE(value.error().message.find((dir.path() / "absent").string()), std::string::npos);

  SecretSource empty;
  empty.file = dir.write("empty", "\n");
  value = read_secret(empty, "controlPlane.nats.token");
  ASSERT_FALSE(value.ok());
  EXPECT_NE(value.error().message.find("is empty"), std::string::npos) << value.error().message;

  ::unsetenv("KPH_TEST_UNSET_SECRET");
  SecretSource unset;
  unset.env = "KPH_TEST_UNSET_SECRET";
  value = read_secret(unset, "controlPlane.nats.user");
  ASSERT_FALSE(value.ok());
  EXPECT_NE(value.error().message.find("KPH_TEST_UNSET_SECRET is not set"), std::string::npos)
      << value.error().message;
}

}  // namespace
}  // namespace kph::host::nats
