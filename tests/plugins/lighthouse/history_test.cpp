#include "history.hpp"

#include <gtest/gtest.h>

namespace kph::plugins::lighthouse {
namespace {

using nlohmann::json;

json finished(const std::string& id, const std::string& time, const std::string& result,
              const std::string& triggered_id, const std::string& service = "carts") {
  return {{"id", id},
          {"type", "sh.keptn.event.evaluation.finished"},
          {"time", time},
          {"triggeredid", triggered_id},
          {"data",
           {{"project", "sockshop"},
            {"stage", "staging"},
            {"service", service},
            {"result", result},
            {"evaluation", {{"result", result}, {"score", 50}, {"indicatorResults", nullptr}}}}}};
}

json invalidated(const std::string& triggered_id) {
  return {{"id", "inv-" + triggered_id},
          {"type", "sh.keptn.event.evaluation.invalidated"},
          {"triggeredid", triggered_id},
          {"data", {{"project", "sockshop"}}}};
}

std::vector<std::string> ids(const std::vector<PreviousEvaluation>& list) {
  std::vector<std::string> out;
  for (const auto& e : list) out.push_back(e.id);
  return out;
}

const HistoryScope kScope = {"sockshop", "staging", "carts"};

Comparison comparison(const std::string& compare_with, int64_t count,
                      const std::string& include = "all") {
  Comparison c;
  c.compare_with = compare_with;
  c.number_of_comparison_results = count;
  c.include_result_with_score = include;
  return c;
}

TEST(ComparisonCount, FollowsCompareWith) {
  EXPECT_EQ(comparison_count(comparison("single_result", 7)), 1);
  EXPECT_EQ(comparison_count(comparison("several_results", 7)), 7);
  EXPECT_EQ(comparison_count(comparison("", 7)), 3);
  EXPECT_EQ(comparison_count(comparison("Several_Results", 7)), 3);
  EXPECT_TRUE(comparison_count_supported(1));
  EXPECT_TRUE(comparison_count_supported(100));
  EXPECT_FALSE(comparison_count_supported(0));
  EXPECT_FALSE(comparison_count_supported(101));
  EXPECT_FALSE(comparison_count_supported(-1));
}

TEST(SelectPreviousEvaluations, TakesTheNewestOfTheSameService) {
  const json events = json::array({
      finished("old", "2023-05-01T00:00:00.000Z", "pass", "t1"),
      finished("newest", "2023-05-04T00:00:00.000Z", "fail", "t2"),
      finished("other-service", "2023-05-05T00:00:00.000Z", "pass", "t3", "orders"),
      finished("middle", "2023-05-03T00:00:00.000Z", "warning", "t4"),
  });
  EXPECT_EQ(ids(select_previous_evaluations(events, json::array(), kScope,
                                            comparison("single_result", 0))),
            (std::vector<std::string>{"newest"}));
  EXPECT_EQ(ids(select_previous_evaluations(events, json::array(), kScope,
                                            comparison("several_results", 2))),
            (std::vector<std::string>{"newest", "middle"}));
  EXPECT_EQ(ids(select_previous_evaluations(events, json::array(), kScope, comparison("", 0))),
            (std::vector<std::string>{"newest", "middle", "old"}));
}

TEST(SelectPreviousEvaluations, FiltersOnTheOverallResult) {
  const json events = json::array({
      finished("f", "2023-05-04T00:00:00.000Z", "fail", "t1"),
      finished("w", "2023-05-03T00:00:00.000Z", "warning", "t2"),
      finished("p", "2023-05-02T00:00:00.000Z", "pass", "t3"),
  });
  const auto pick = [&](const std::string& include) {
    return ids(select_previous_evaluations(events, json::array(), kScope,
                                           comparison("several_results", 3, include)));
  };
  EXPECT_EQ(pick("pass"), (std::vector<std::string>{"p"}));
  EXPECT_EQ(pick("PASS"), (std::vector<std::string>{"p"}));  // lower-cased first
  EXPECT_EQ(pick("pass_or_warn"), (std::vector<std::string>{"w", "p"}));
  EXPECT_EQ(pick("pass_or_warning"), (std::vector<std::string>{"f", "w", "p"}));  // acts as all
  EXPECT_EQ(pick("all"), (std::vector<std::string>{"f", "w", "p"}));
}

TEST(SelectPreviousEvaluations, LeavesOutInvalidatedEvaluations) {
  const json events = json::array({
      finished("a", "2023-05-04T00:00:00.000Z", "pass", "t1"),
      finished("b", "2023-05-03T00:00:00.000Z", "pass", "t2"),
      finished("c", "2023-05-02T00:00:00.000Z", "pass", "t3"),
  });
  EXPECT_EQ(ids(select_previous_evaluations(events, json::array({invalidated("t1")}), kScope,
                                            comparison("several_results", 2))),
            (std::vector<std::string>{"b", "c"}));
}

TEST(SelectPreviousEvaluations, UndecodableEventsStillTakeTheirPlace) {
  json broken = finished("broken", "2023-05-04T00:00:00.000Z", "pass", "t1");
  broken["data"]["evaluation"]["score"] = "high";
  const json events = json::array({
      broken,
      finished("ok", "2023-05-03T00:00:00.000Z", "pass", "t2"),
      finished("older", "2023-05-02T00:00:00.000Z", "pass", "t3"),
  });
  EXPECT_EQ(ids(select_previous_evaluations(events, json::array(), kScope,
                                            comparison("several_results", 2))),
            (std::vector<std::string>{"ok"}));
}

TEST(SelectPreviousEvaluations, IgnoresWhatIsNotAnEvent) {
  const json events = json::array({1, "x", json::object(), {{"data", "text"}}});
  EXPECT_TRUE(
      select_previous_evaluations(events, json::array({2}), kScope, comparison("", 0)).empty());
  EXPECT_TRUE(
      select_previous_evaluations(json::object(), nullptr, kScope, comparison("", 0)).empty());
}

}  // namespace
}  // namespace kph::plugins::lighthouse
