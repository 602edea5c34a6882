#include "approval_decision.hpp"

#include <gtest/gtest.h>

namespace kph::plugins::approval {
namespace {

using nlohmann::json;

struct Row {
  const char* name;
  const char* result;
  const char* pass;
  const char* warning;
  ApprovalAction action;
  const char* message;  // the strategy text Keptn reports
  size_t warnings;
};

class DecisionTable : public ::testing::TestWithParam<Row> {};

TEST_P(DecisionTable, MatchesKeptn) {
  const auto& row = GetParam();
  const auto decision = decide(row.result, row.pass, row.warning);
  EXPECT_EQ(decision.action, row.action);
  EXPECT_EQ(decision.result, row.result);
  EXPECT_EQ(decision.message(), row.message);
  EXPECT_EQ(decision.warnings.size(), row.warnings);
}

constexpr auto kPass = ApprovalAction::kFinishPass;
constexpr auto kFail = ApprovalAction::kFinishFail;
constexpr auto kWait = ApprovalAction::kWaitForUser;

INSTANTIATE_TEST_SUITE_P(Rows, DecisionTable,
                         ::testing::Values(
                             // pass: automatic finishes pass, anything else waits.
                             Row{"pass_automatic", "pass", "automatic", "manual", kPass,
                                 "Approval strategy for result 'pass': automatic", 0},
                             Row{"pass_manual", "pass", "manual", "automatic", kWait,
                                 "Approval strategy for result 'pass': manual", 0},
                             Row{"pass_empty", "pass", "", "automatic", kWait,
                                 "Approval strategy for result 'pass': manual", 0},
                             Row{"pass_capitalised", "pass", "Automatic", "", kWait,
                                 "Approval strategy for result 'pass': Automatic", 1},
                             Row{"pass_typo", "pass", "auto", "", kWait,
                                 "Approval strategy for result 'pass': auto", 1},
                             // warning: automatic finishes pass (not warning), anything else waits.
                             Row{"warning_automatic", "warning", "manual", "automatic", kPass,
                                 "Approval strategy for result 'warning': automatic", 0},
                             Row{"warning_manual", "warning", "automatic", "manual", kWait,
                                 "Approval strategy for result 'warning': manual", 0},
                             Row{"warning_empty", "warning", "automatic", "", kWait,
                                 "Approval strategy for result 'warning': manual", 0},
                             Row{"warning_unknown", "warning", "", "yes", kWait,
                                 "Approval strategy for result 'warning': yes", 1},
                             // fail: strategies ignored, finishes fail.
                             Row{"fail_manual", "fail", "manual", "manual", kFail,
                                 "Approval strategy for result 'fail': automatic", 0},
                             Row{"fail_automatic", "fail", "automatic", "automatic", kFail,
                                 "Approval strategy for result 'fail': automatic", 0},
                             Row{"fail_unknown_strategies", "fail", "x", "y", kFail,
                                 "Approval strategy for result 'fail': automatic", 0},
                             // empty or any other result: a human decides.
                             Row{"empty", "", "automatic", "automatic", kWait,
                                 "Approval strategy for result '': manual", 0},
                             Row{"failed", "failed", "automatic", "automatic", kWait,
                                 "Approval strategy for result 'failed': manual", 0},
                             Row{"upper_case", "PASS", "automatic", "automatic", kWait,
                                 "Approval strategy for result 'PASS': manual", 0}),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(EffectiveResult, ResultFieldFirst) {
  EXPECT_EQ(
      effective_result(json::parse(R"({"result": "warning", "evaluation": {"result": "fail"}})")),
      "warning");
}

TEST(EffectiveResult, EvaluationResultWhenResultIsEmptyOrAbsent) {
  EXPECT_EQ(effective_result(json::parse(R"({"result": "", "evaluation": {"result": "pass"}})")),
            "pass");
  EXPECT_EQ(effective_result(json::parse(R"({"evaluation": {"result": "fail", "score": "x"}})")),
            "fail");
}

TEST(EffectiveResult, EmptyWhenNeitherIsAString) {
  EXPECT_EQ(effective_result(json::parse(R"({})")), "");
  EXPECT_EQ(effective_result(json::parse(R"({"evaluation": "pass"})")), "");
  EXPECT_EQ(effective_result(json::parse(R"({"evaluation": {"result": 1}})")), "");
  EXPECT_EQ(effective_result(json::parse(R"([1])")), "");
}

TEST(DecideForEvent, ReadsTheShipyardProperties) {
  std::string error;
  const auto decision = decide_for_event(
      json::parse(R"({"project": "sockshop", "result": "pass", "status": "succeeded",
                      "approval": {"pass": "automatic", "warning": "manual"}})"),
      error);
  ASSERT_TRUE(decision) << error;
  EXPECT_EQ(decision->action, ApprovalAction::kFinishPass);
}

TEST(DecideForEvent, MissingApprovalPropertiesMeanManual) {
  std::string error;
  const auto decision = decide_for_event(json::parse(R"({"result": "pass"})"), error);
  ASSERT_TRUE(decision) << error;
  EXPECT_EQ(decision->action, ApprovalAction::kWaitForUser);
  EXPECT_EQ(decision->message(), "Approval strategy for result 'pass': manual");
}

TEST(DecideForEvent, ChainedAfterAnEvaluation) {
  std::string error;
  const auto decision =
      decide_for_event(json::parse(R"({"evaluation": {"result": "warning", "score": 80},
                      "approval": {"warning": "automatic"}})"),
                       error);
  ASSERT_TRUE(decision) << error;
  EXPECT_EQ(decision->action, ApprovalAction::kFinishPass);
}

struct Malformed {
  const char* name;
  const char* data;
  const char* message;
};

class DecideForEventMalformed : public ::testing::TestWithParam<Malformed> {};

TEST_P(DecideForEventMalformed, NamesTheFieldExpectedAndFound) {
  std::string error;
  EXPECT_FALSE(decide_for_event(json::parse(GetParam().data), error));
  EXPECT_NE(error.find(GetParam().message), std::string::npos) << error;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, DecideForEventMalformed,
    ::testing::Values(
        Malformed{"data_list", R"([1, 2])", "field 'data': expected an object, found array [1,2]"},
        Malformed{"result_number", R"({"result": 1})",
                  "field 'result': expected a string, found number 1"},
        Malformed{
            "approval_text", R"({"approval": "automatic"})",
            "field 'approval': expected an object {pass, warning}, found string \"automatic\""},
        Malformed{"pass_bool", R"({"approval": {"pass": true}})",
                  "field 'approval.pass': expected a string, found boolean true"},
        Malformed{"warning_list", R"({"approval": {"warning": ["manual"]}})",
                  "field 'approval.warning': expected a string, found array"}),
    [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace kph::plugins::approval
