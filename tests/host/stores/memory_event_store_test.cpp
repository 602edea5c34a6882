#include "stores/memory_event_store.hpp"

#include <gtest/gtest.h>

#include "stores/file_event_store.hpp"
#include "support/temp_dir.hpp"

namespace kph::host {
namespace {

nlohmann::json event(const std::string& id, const std::string& type, const std::string& service) {
  return {{"id", id},
          {"type", type},
          {"shkeptncontext", "c-" + id},
          {"data", {{"project", "p"}, {"stage", "s"}, {"service", service}}}};
}

TEST(MemoryEventStore, AnswersNewestFirstWithinTheLimit) {
  MemoryEventStore store(100);
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(store.record(event(std::to_string(i), "sh.keptn.event.evaluation.finished", "a")));
  }
  ASSERT_TRUE(store.record(event("x", "sh.keptn.event.evaluation.finished", "b")));
  EventQuery query;
  query.type = "sh.keptn.event.evaluation.finished";
  query.service = "a";
  query.limit = 3;
  auto found = store.query(query);
  ASSERT_TRUE(found);
  ASSERT_EQ(found->size(), 3u);
  EXPECT_EQ((*found)[0]["id"], "4");
  EXPECT_EQ((*found)[2]["id"], "2");
}

TEST(MemoryEventStore, KeepsOnlyTheNewest) {
  MemoryEventStore store(2);
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(store.record(event(std::to_string(i), "t", "a")));
  EXPECT_EQ(store.size(), 2u);
  auto found = store.query(EventQuery{});
  ASSERT_TRUE(found);
  EXPECT_EQ((*found)[1]["id"], "2");
}

TEST(EventQuery, ParsesAndRefusesMalformedQueries) {
  auto ok = parse_event_query({{"type", "t"}, {"triggeredid", "x"}, {"limit", 5}});
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->limit, 5u);
  EXPECT_EQ(ok->triggeredid, "x");
  for (const auto& bad :
       {nlohmann::json::array(), nlohmann::json({{"limit", 0}}), nlohmann::json({{"limit", "5"}}),
        nlohmann::json({{"type", 1}}), nlohmann::json({{"colour", "red"}})}) {
    EXPECT_FALSE(parse_event_query(bad)) << bad.dump();
  }
}

TEST(FileEventStore, SurvivesARestartAndSkipsBrokenLines) {
  kph::testing::TempDir dir;
  const auto file = dir.path() / "events.jsonl";
  {
    auto store = FileEventStore::open(file, 100);
    ASSERT_TRUE(store) << store.error().message;
    ASSERT_TRUE((*store)->record(event("1", "t", "a")));
    ASSERT_TRUE((*store)->record(event("2", "t", "a")));
  }
  {
    std::ofstream append(file, std::ios::app);
    append << "{not json\n[1]\n";
  }
  auto reopened = FileEventStore::open(file, 100);
  ASSERT_TRUE(reopened);
  auto found = (*reopened)->query(EventQuery{});
  ASSERT_TRUE(found);
  ASSERT_EQ(found->size(), 2u);
  EXPECT_EQ((*found)[0]["id"], "2");
}

}  // namespace
}  // namespace kph::host
