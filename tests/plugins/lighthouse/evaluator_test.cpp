#include "evaluator.hpp"

#include <gtest/gtest.h>

#include "slo_parser.hpp"

namespace kph::plugins::lighthouse {
namespace {

using nlohmann::json;

Slo slo_of(const std::string& yaml) {
  const SloParse parsed = parse_slo(yaml);
  EXPECT_TRUE(parsed.slo) << (parsed.issues.empty() ? "" : parsed.issues[0].to_string());
  return parsed.slo.value_or(Slo{});
}

SliValue ok(const std::string& metric, double value) { return {metric, value, 0, true, ""}; }

// A previous evaluation whose indicator results carry the given values for one SLI.
PreviousEvaluation previous(const std::string& id, const std::string& metric,
                            std::vector<std::pair<double, bool>> values) {
  PreviousEvaluation out;
  out.id = id;
  out.data.evaluation.indicator_results.emplace();
  for (const auto& [value, success] : values) {
    IndicatorResult r;
    r.value = SliValue{metric, value, 0, success, ""};
    out.data.evaluation.indicator_results->push_back(r);
  }
  return out;
}

ScoreOutcome score_of(const Slo& slo, const ObjectivesOutcome& o) {
  return calculate_score(o.max_score, o.results, slo.total_score, o.key_sli);
}

json targets(const std::optional<std::vector<SliTarget>>& list) {
  if (!list) return nullptr;
  json out = json::array();
  for (const auto& t : *list) out.push_back(to_json(t));
  return out;
}

const char* kTwoObjectives = R"(
objectives:
  - sli: rt
    displayName: Response time
    pass: [{criteria: ["<600"]}]
    warning: [{criteria: ["<=800"]}]
  - sli: err
    pass: [{criteria: ["=0"]}]
total_score: {pass: "90%", warning: "75%"}
)";

TEST(EvaluateObjectives, PassesWhenEveryObjectivePasses) {
  const Slo slo = slo_of(kTwoObjectives);
  const auto o = evaluate_objectives(slo, {ok("rt", 412.7), ok("err", 0)}, {});
  ASSERT_FALSE(o.error);
  EXPECT_EQ(o.max_score, 2);
  ASSERT_EQ(o.results.size(), 2u);
  EXPECT_EQ(to_json(o.results[0]), json::parse(R"({
    "score": 1, "status": "pass", "displayName": "Response time", "keySli": false,
    "value": {"metric": "rt", "value": 412.7, "comparedValue": 0, "success": true},
    "passTargets": [{"criteria": "<600", "targetValue": 600, "violated": false}],
    "warningTargets": [{"criteria": "<=800", "targetValue": 800, "violated": false}]})"));
  EXPECT_TRUE(to_json(o.results[1])["warningTargets"].is_null());
  const ScoreOutcome s = score_of(slo, o);
  EXPECT_EQ(s.result, "pass");
  EXPECT_EQ(s.score, 100);
  EXPECT_FALSE(s.message);
  EXPECT_EQ(o.leftover_message, "");
}

TEST(EvaluateObjectives, WarningCountsHalfTheWeight) {
  const Slo slo = slo_of(R"(
objectives:
  - sli: rt
    pass: [{criteria: ["<600"]}]
    warning: [{criteria: ["<=800"]}]
    weight: 2
total_score: {pass: "90%", warning: "40%"}
)");
  const auto o = evaluate_objectives(slo, {ok("rt", 700)}, {});
  EXPECT_EQ(o.results[0].status, "warning");
  EXPECT_EQ(o.results[0].score, 1);
  EXPECT_EQ(targets(o.results[0].pass_targets),
            json::parse(R"([{"criteria": "<600", "targetValue": 600, "violated": true}])"));
  const ScoreOutcome s = score_of(slo, o);
  EXPECT_EQ(s.result, "warning");
  EXPECT_EQ(s.score, 50);
  EXPECT_EQ(*s.message,
            "Evaluation returned a warning: the calculated score of 50 is close to the warning "
            "target value of 40");
}

struct ScoreCase {
  const char* total_score;
  const char* result;
  const char* message;  // empty: none
};

TEST(CalculateScore, TwoOfThreeAgainstEachThreshold) {
  const ScoreCase cases[] = {
      {"{pass: \"90%\"}", "fail",
       "Evaluation failed since the calculated score of 66.66666666666666 is below the target "
       "value of 90"},
      {"{pass: \"90%\", warning: \"60%\"}", "warning",
       "Evaluation returned a warning: the calculated score of 66.66666666666666 is close to the "
       "warning target value of 60"},
      {"{pass: \"90%\", warning: \"75%\"}", "fail",
       "Evaluation failed since the calculated score of 66.66666666666666 is below the warning "
       "value of 75"},
      {"{pass: \"66.66666666666666\"}", "pass", ""},
      {"{pass: \"66.7%\", warning: 66.66666666666666}", "warning",
       "Evaluation returned a warning: the calculated score of 66.66666666666666 is close to the "
       "warning target value of 66.66666666666666"},
      {"{pass: \"75.3%\"}", "fail",
       "Evaluation failed since the calculated score of 66.66666666666666 is below the target "
       "value of 75.3"},
  };
  for (const auto& c : cases) {
    const Slo slo = slo_of(std::string(R"(
objectives:
  - {sli: a, pass: [{criteria: ["<1"]}]}
  - {sli: b, pass: [{criteria: ["<1"]}]}
  - {sli: c, pass: [{criteria: ["<1"]}]}
total_score: )") + c.total_score +
                           "\n");
    const auto o = evaluate_objectives(slo, {ok("a", 0), ok("b", 0), ok("c", 5)}, {});
    const ScoreOutcome s = score_of(slo, o);
    EXPECT_EQ(s.score, 66.66666666666666) << c.total_score;
    EXPECT_EQ(s.result, c.result) << c.total_score;
    EXPECT_EQ(s.message.value_or(""), c.message) << c.total_score;
  }
}

TEST(CalculateScore, EightyFiveOfNinetyTwo) {
  const Slo slo = slo_of(R"(
objectives:
  - {sli: a, pass: [{criteria: ["<1"]}], weight: 85}
  - {sli: b, pass: [{criteria: ["<1"]}], weight: 7}
total_score: {pass: "90"}
)");
  const auto o = evaluate_objectives(slo, {ok("a", 0), ok("b", 9)}, {});
  const ScoreOutcome s = score_of(slo, o);
  EXPECT_EQ(s.score, 92.3913043478261);
  EXPECT_EQ(s.result, "pass");
}

TEST(CalculateScore, ThresholdErrorsComeBeforeEverythingElse) {
  const auto run = [](const std::string& total_score) {
    const Slo slo = slo_of("objectives:\n  - {sli: a}\n" + total_score);
    const auto o = evaluate_objectives(slo, {ok("a", 0)}, {});
    return score_of(slo, o);
  };
  EXPECT_EQ(*run("").error, "no target score defined");
  EXPECT_EQ(*run("total_score: {warning: \"75%\"}\n").error, "no target score defined");
  EXPECT_EQ(*run("total_score: {pass: \" 90%\"}\n").error,
            "could not parse pass target percentage");
  EXPECT_EQ(*run("total_score: {pass: \"90%%\"}\n").error,
            "could not parse pass target percentage");
  // A bad warning threshold fails even an evaluation that passes.
  EXPECT_EQ(*run("total_score: {pass: \"0\", warning: \"high\"}\n").error,
            "could not parse warning target percentage");
  // Only informative objectives: pass with 100.
  const ScoreOutcome info = run("total_score: {pass: \"90%\"}\n");
  EXPECT_FALSE(info.error);
  EXPECT_EQ(info.result, "pass");
  EXPECT_EQ(info.score, 100);
}

TEST(EvaluateObjectives, FailingKeySliFailsTheEvaluation) {
  const Slo slo = slo_of(R"(
objectives:
  - {sli: rt, displayName: Response time, key_sli: true, pass: [{criteria: ["<600"]}]}
  - {sli: err, pass: [{criteria: ["=0"]}], weight: 9}
total_score: {pass: "90%", warning: "75%"}
)");
  const auto o = evaluate_objectives(slo, {ok("rt", 900), ok("err", 0)}, {});
  EXPECT_TRUE(o.results[0].key_sli);
  EXPECT_EQ(o.results[0].status, "fail");
  const ScoreOutcome s = score_of(slo, o);
  EXPECT_EQ(s.score, 90);
  EXPECT_EQ(s.result, "fail");
  EXPECT_EQ(*s.message,
            "Evaluation failed due to key_sli objective 'Response time': failed evaluation with "
            "score 0.000000");
}

TEST(EvaluateObjectives, MissingKeySliValueFailsWithTheProvidersMessage) {
  const Slo slo = slo_of(R"(
objectives:
  - {sli: rt, key_sli: true, pass: [{criteria: ["<600", "<=+10%", "bad"]}],
     warning: [{criteria: ["<=800"]}]}
  - {sli: err, key_sli: true, pass: [{criteria: ["=0"]}]}
total_score: {pass: "0%"}
)");
  const SliValue failed{"err", 0, 0, false, "query returned no data"};
  const auto o =
      evaluate_objectives(slo, {failed}, {previous("e1", "rt", {{100, true}, {200, true}})});
  // A missing value: Keptn's placeholder, every parsable criterion listed as violated with the
  // fixed number or the bare aggregate (150), and keySli left false.
  EXPECT_EQ(to_json(o.results[0]), json::parse(R"({
    "score": 0, "status": "fail", "displayName": "", "keySli": false,
    "value": {"metric": "rt", "value": 0, "comparedValue": 0, "success": false,
              "message": "no value received from SLI provider"},
    "passTargets": [{"criteria": "<600", "targetValue": 600, "violated": true},
                    {"criteria": "<=+10%", "targetValue": 150, "violated": true}],
    "warningTargets": [{"criteria": "<=800", "targetValue": 800, "violated": true}]})"));
  EXPECT_EQ(to_json(o.results[1])["value"], json::parse(R"({"metric": "err", "value": 0,
    "comparedValue": 0, "success": false, "message": "query returned no data"})"));
  EXPECT_FALSE(o.results[1].key_sli);
  // The last failing key SLI wins; its displayName is empty here.
  const ScoreOutcome s = score_of(slo, o);
  EXPECT_EQ(s.result, "fail");
  EXPECT_EQ(*s.message, "Evaluation failed due to key_sli objective '': query returned no data");
}

TEST(EvaluateObjectives, WarningOnAKeySliIsNoKeySliFailure) {
  const Slo slo = slo_of(R"(
objectives:
  - {sli: rt, key_sli: true, pass: [{criteria: ["<600"]}], warning: [{criteria: ["<=800"]}]}
total_score: {pass: "50%"}
)");
  const auto o = evaluate_objectives(slo, {ok("rt", 700)}, {});
  EXPECT_FALSE(o.key_sli.failed);
  EXPECT_EQ(score_of(slo, o).result, "pass");
}

TEST(EvaluateObjectives, InformativeObjectivesNeverScore) {
  const Slo slo = slo_of(R"(
objectives:
  - {sli: tp, key_sli: true, warning: [{criteria: ["<5", "oops"]}], weight: 4}
  - {sli: none}
  - {sli: rt, pass: [{criteria: ["<600"]}]}
total_score: {pass: "90%"}
)");
  const auto o = evaluate_objectives(slo, {ok("tp", 1234), ok("rt", 1)}, {});
  EXPECT_EQ(o.max_score, 1);
  EXPECT_EQ(to_json(o.results[0]), json::parse(R"({
    "score": 0, "status": "info", "displayName": "", "keySli": false,
    "value": {"metric": "tp", "value": 1234, "comparedValue": 0, "success": true},
    "passTargets": [],
    "warningTargets": [{"criteria": "<5", "targetValue": 5, "violated": true}]})"));
  EXPECT_TRUE(to_json(o.results[1])["value"].is_null());
  EXPECT_EQ(to_json(o.results[1])["warningTargets"], json::array());
  EXPECT_FALSE(o.key_sli.failed);
  EXPECT_EQ(score_of(slo, o).score, 100);
}

TEST(EvaluateObjectives, ComparesWithTheAggregatedHistory) {
  const Slo slo = slo_of(R"(
objectives:
  - {sli: rt, pass: [{criteria: ["<=+10%", "<600"]}], warning: [{criteria: ["<=+20%"]}]}
total_score: {pass: "90%"}
)");
  const std::vector<PreviousEvaluation> history = {
      previous("e1", "rt", {{100, true}}),
      previous("e2", "rt", {{200, true}, {5000, false}}),
      previous("e3", "other", {{1, true}}),
  };
  const auto pass = evaluate_objectives(slo, {ok("rt", 160)}, history);
  EXPECT_EQ(to_json(pass.results[0]), json::parse(R"({
    "score": 1, "status": "pass", "displayName": "", "keySli": false,
    "value": {"metric": "rt", "value": 160, "comparedValue": 150, "success": true},
    "passTargets": [{"criteria": "<=+10%", "targetValue": 165, "violated": false},
                    {"criteria": "<600", "targetValue": 600, "violated": false}],
    "warningTargets": [{"criteria": "<=+20%", "targetValue": 180, "violated": false}]})"));
  const auto warn = evaluate_objectives(slo, {ok("rt", 170)}, history);
  EXPECT_EQ(warn.results[0].status, "warning");
  EXPECT_EQ(warn.results[0].score, 0.5);
}

TEST(EvaluateObjectives, RelativeCriteriaPassWithoutHistory) {
  const Slo slo = slo_of(R"(
objectives:
  - {sli: rt, pass: [{criteria: ["<=-10%", "<-5"]}]}
total_score: {pass: "90%"}
)");
  const auto o = evaluate_objectives(slo, {ok("rt", 1e9)}, {previous("e1", "rt", {{1, false}})});
  EXPECT_EQ(o.results[0].status, "pass");
  EXPECT_EQ(targets(o.results[0].pass_targets), json::parse(R"([
    {"criteria": "<=-10%", "targetValue": 0, "violated": false},
    {"criteria": "<-5", "targetValue": 0, "violated": false}])"));
}

TEST(EvaluateObjectives, UnknownAggregateComparesWithZero) {
  const Slo slo = slo_of(R"(
comparison: {aggregate_function: max}
objectives:
  - {sli: rt, pass: [{criteria: ["<=+10%"]}]}
total_score: {pass: "90%"}
)");
  const auto o = evaluate_objectives(slo, {ok("rt", 1)}, {previous("e1", "rt", {{100, true}})});
  EXPECT_EQ(o.results[0].status, "fail");
  EXPECT_EQ(o.results[0].pass_targets->at(0).target_value, 0);
}

TEST(EvaluateObjectives, PercentilesOfHistory) {
  const Slo slo = slo_of(R"(
comparison: {aggregate_function: p90, compare_with: several_results,
             number_of_comparison_results: 20}
objectives:
  - {sli: rt, pass: [{criteria: ["<=+0"]}]}
total_score: {pass: "90%"}
)");
  std::vector<PreviousEvaluation> history;
  for (int i = 1; i <= 20; ++i) history.push_back(previous("e", "rt", {{double(i), true}}));
  const auto o = evaluate_objectives(slo, {ok("rt", 18.9)}, history);
  EXPECT_EQ(o.results[0].value->compared_value, 18.900000000000002);
  EXPECT_EQ(o.results[0].status, "pass");
}

TEST(EvaluateObjectives, InvalidPassCriterionAbortsTheEvaluation) {
  const Slo named = slo_of(R"(
objectives:
  - {sli: rt, displayName: Response time, pass: [{criteria: ["<600"]}, {criteria: ["600"]}]}
)");
  const auto o = evaluate_objectives(named, {ok("rt", 1)}, {});
  ASSERT_TRUE(o.error);
  EXPECT_EQ(*o.error, "error with Response time: invalid criteria string");
  EXPECT_TRUE(o.results.empty());

  const Slo unnamed = slo_of("objectives:\n  - {sli: rt, pass: [{criteria: [\"<=10ms\"]}]}\n");
  EXPECT_EQ(*evaluate_objectives(unnamed, {ok("rt", 1)}, {}).error,
            "error with rt: could not parse criteria target value");
  // Without a value the criterion is never parsed, so there is no error.
  EXPECT_FALSE(evaluate_objectives(unnamed, {}, {}).error);
}

TEST(EvaluateObjectives, InvalidWarningCriterionIsIgnored) {
  const Slo slo = slo_of(R"(
objectives:
  - {sli: rt, pass: [{criteria: ["<600"]}], warning: [{criteria: ["<=900"]}, {criteria: ["x"]}]}
)");
  const auto fail = evaluate_objectives(slo, {ok("rt", 700)}, {});
  EXPECT_EQ(fail.results[0].status, "fail");
  EXPECT_EQ(targets(fail.results[0].warning_targets), json::array());
  const auto pass = evaluate_objectives(slo, {ok("rt", 1)}, {});
  EXPECT_EQ(pass.results[0].status, "pass");
  EXPECT_EQ(targets(pass.results[0].warning_targets), json::array());
}

TEST(EvaluateObjectives, EmptyCriteriaSetPassesButDoesNotScore) {
  const Slo slo = slo_of(R"(
objectives:
  - {sli: a, pass: [{criteria: []}]}
  - {sli: b, pass: [{criteria: ["<5"]}], warning: [{criteria: []}]}
total_score: {pass: "90%"}
)");
  const auto o = evaluate_objectives(slo, {ok("a", 1), ok("b", 3)}, {});
  EXPECT_EQ(o.results[0].status, "pass");
  EXPECT_EQ(o.results[0].score, 1);
  EXPECT_FALSE(o.results[0].pass_targets);  // null
  EXPECT_FALSE(o.results[1].warning_targets);
  const ScoreOutcome s = score_of(slo, o);
  EXPECT_EQ(s.score, 50);
  EXPECT_EQ(s.result, "fail");
  // An empty warning set is satisfied, so a failed pass becomes a warning.
  const auto warn = evaluate_objectives(slo, {ok("a", 1), ok("b", 30)}, {});
  EXPECT_EQ(warn.results[1].status, "warning");
}

TEST(EvaluateObjectives, ReportsLeftoverSlisInSwapRemovalOrder) {
  const Slo slo = slo_of("objectives:\n  - {sli: a, pass: [{criteria: [\"<1\"]}]}\n");
  const auto o = evaluate_objectives(slo, {ok("a", 0), ok("b", 0), ok("c", 0)}, {});
  EXPECT_EQ(o.leftover_message,
            "Lighthouse received additional SLIs, which are not specified as SLO: c, b . Please "
            "consider using them as an SLO.");
  const auto none = evaluate_objectives(slo, {ok("a", 0), ok("", 0)}, {});
  EXPECT_EQ(none.leftover_message, "");
}

TEST(EvaluateObjectives, SecondObjectiveForTheSameSliFindsNoValue) {
  const Slo slo = slo_of(R"(
objectives:
  - {sli: rt, pass: [{criteria: ["<600"]}]}
  - {sli: rt, pass: [{criteria: ["<800"]}]}
)");
  const auto o = evaluate_objectives(slo, {ok("rt", 1)}, {});
  EXPECT_EQ(o.results[0].status, "pass");
  EXPECT_EQ(o.results[1].status, "fail");
  EXPECT_EQ(o.results[1].value->message, "no value received from SLI provider");
}

TEST(EvaluateObjectives, NoObjectivesMeansAMaximumOfHundred) {
  const auto o = evaluate_objectives(Slo{}, {ok("a", 1)}, {});
  EXPECT_EQ(o.max_score, 100);
  EXPECT_TRUE(o.results.empty());
  EXPECT_EQ(o.leftover_message, "");
}

TEST(EvaluateObjectives, NegativeWeightsAreKept) {
  const Slo slo = slo_of(R"(
objectives:
  - {sli: a, pass: [{criteria: ["<1"]}], weight: -1}
  - {sli: b, pass: [{criteria: ["<1"]}], weight: 3}
total_score: {pass: "90%"}
)");
  const auto o = evaluate_objectives(slo, {ok("a", 0), ok("b", 5)}, {});
  EXPECT_EQ(o.max_score, 2);
  EXPECT_EQ(score_of(slo, o).score, -50);
}

}  // namespace
}  // namespace kph::plugins::lighthouse
