#include "common/cloud_event.hpp"

#include <gtest/gtest.h>

namespace kph::host {
namespace {

const char* kTriggered = R"({"specversion":"1.0","id":"e1","source":"shipyard-controller",
  "type":"sh.keptn.event.evaluation.triggered","datacontenttype":"application/json",
  "shkeptncontext":"c1","data":{"project":"p","stage":"s","service":"v"}})";

TEST(CloudEvent, AcceptsTheCloudEventsShape) {
  auto event = parse_cloud_event(kTriggered);
  ASSERT_TRUE(event) << event.error().message;
  EXPECT_EQ((*event)["datacontenttype"], "application/json");
  EXPECT_EQ(event_data_string(*event, "project"), "p");
}

TEST(CloudEvent, RenamesKeptnsContenttype) {
  auto event = parse_cloud_event(
      R"({"id":"e1","source":"api","type":"sh.keptn.event.test.finished","contenttype":"application/json","shkeptncontext":"c","triggeredid":"t","data":{}})");
  ASSERT_TRUE(event) << event.error().message;
  EXPECT_EQ((*event)["datacontenttype"], "application/json");
  EXPECT_FALSE(event->contains("contenttype"));
  EXPECT_EQ((*event)["specversion"], "1.0");
}

TEST(CloudEvent, KeepsUnknownTopLevelKeys) {
  auto event = parse_cloud_event(
      R"({"id":"e","source":"s","type":"sh.keptn.event.a.finished","temporaryData":{"x":1}})");
  ASSERT_TRUE(event);
  EXPECT_EQ((*event)["temporaryData"]["x"], 1);
}

TEST(CloudEvent, GivesAContextToATriggeredEventWithoutOne) {
  auto event = parse_cloud_event(
      R"({"id":"e","source":"s","type":"sh.keptn.event.a.triggered","data":{"project":"p","stage":"s","service":"v"}})");
  ASSERT_TRUE(event);
  EXPECT_EQ(event_string(*event, "shkeptncontext").size(), 36u);
}

struct Malformed {
  std::string text;
  std::string says;
};

TEST(CloudEvent, RefusesMalformedEventsWithTheReason) {
  const Malformed cases[] = {
      {"", "not valid JSON"},
      {"{", "not valid JSON"},
      {"[1,2]", "expected a CloudEvent JSON object, found array"},
      {"\"text\"", "found string"},
      {R"({"source":"s","type":"t"})", "field \"id\" must be a non-empty string"},
      {R"({"id":"","source":"s","type":"t"})", "field \"id\""},
      {R"({"id":"e","type":"t"})", "field \"source\""},
      {R"({"id":"e","source":"s"})", "field \"type\""},
      {R"({"id":7,"source":"s","type":"t"})", "field \"id\""},
      {R"({"id":"e","source":"s","type":"t","data":[1]})", "\"data\" must be a JSON object"},
      {R"({"id":"e","source":"s","type":"sh.keptn.event.a.triggered","shkeptncontext":"c","data":{"stage":"s","service":"v"}})",
       "event e (sh.keptn.event.a.triggered): a .triggered event needs data.project"},
      {R"({"id":"e","source":"s","type":"sh.keptn.event.a.triggered","shkeptncontext":"c","data":{"project":"p","stage":"","service":"v"}})",
       "data.stage"},
      {R"({"id":"e","source":"s","type":"sh.keptn.event.a.triggered","shkeptncontext":"c"})",
       "data.project"},
  };
  for (const auto& c : cases) {
    auto event = parse_cloud_event(c.text);
    ASSERT_FALSE(event) << c.text;
    EXPECT_NE(event.error().message.find(c.says), std::string::npos)
        << c.text << " -> " << event.error().message;
  }
}

TEST(CloudEvent, RefusesEventsOverOneMebibyte) {
  std::string big = R"({"id":"e","source":"s","type":"t","data":{"x":")";
  big.append(kMaxEventBytes, 'a');
  big.append("\"}}");
  auto event = parse_cloud_event(big);
  ASSERT_FALSE(event);
  EXPECT_NE(event.error().message.find("the limit is 1048576 bytes"), std::string::npos);
}

TEST(CloudEvent, BinaryGarbageIsRefusedNotFatal) {
  std::string garbage;
  for (int i = 0; i < 512; ++i) garbage.push_back(static_cast<char>((i * 37) & 0xff));
  EXPECT_FALSE(parse_cloud_event(garbage));
}

}  // namespace
}  // namespace kph::host
