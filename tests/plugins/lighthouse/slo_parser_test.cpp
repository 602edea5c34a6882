#include "slo_parser.hpp"

#include <gtest/gtest.h>

#include <climits>

namespace kph::plugins::lighthouse {
namespace {

Slo parse_ok(const std::string& text) {
  const SloParse parsed = parse_slo(text);
  EXPECT_TRUE(parsed.slo) << (parsed.issues.empty() ? "" : parsed.issues[0].to_string());
  return parsed.slo.value_or(Slo{});
}

TEST(ParseSlo, ReadsAFullFile) {
  const Slo slo = parse_ok(R"(---
spec_version: "1.0"
filter:
  handler: "ItemsController.addToCart"
  id: 42
comparison:
  aggregate_function: "p90"
  compare_with: "several_results"
  include_result_with_score: "pass_or_warn"
  number_of_comparison_results: 5
objectives:
  - sli: "response_time_p95"
    displayName: "Response time P95"
    key_sli: true
    pass:
      - criteria:
          - "<=+10%"
          - "<600"
    warning:
      - criteria:
          - "<=800"
    weight: 2
  - sli: "throughput"
  - sli: "error_rate"
    pass: [{criteria: ["=0"]}, {criteria: []}]
total_score:
  pass: "90%"
  warning: 75%
)");
  EXPECT_EQ(slo.spec_version, "1.0");
  ASSERT_EQ(slo.filter.size(), 2u);
  EXPECT_EQ(slo.filter[0],
            (std::pair<std::string, std::string>{"handler", "ItemsController.addToCart"}));
  EXPECT_EQ(slo.filter[1], (std::pair<std::string, std::string>{"id", "42"}));
  EXPECT_EQ(slo.comparison.aggregate_function, "p90");
  EXPECT_EQ(slo.comparison.compare_with, "several_results");
  EXPECT_EQ(slo.comparison.include_result_with_score, "pass_or_warn");
  EXPECT_EQ(slo.comparison.number_of_comparison_results, 5);
  ASSERT_EQ(slo.objectives.size(), 3u);
  const Objective& rt = slo.objectives[0];
  EXPECT_EQ(rt.sli, "response_time_p95");
  EXPECT_EQ(rt.display_name, "Response time P95");
  EXPECT_TRUE(rt.key_sli);
  EXPECT_EQ(rt.weight, 2);
  ASSERT_EQ(rt.pass.size(), 1u);
  EXPECT_EQ(rt.pass[0].criteria, (std::vector<std::string>{"<=+10%", "<600"}));
  ASSERT_EQ(rt.warning.size(), 1u);
  EXPECT_EQ(rt.warning[0].criteria, (std::vector<std::string>{"<=800"}));
  EXPECT_TRUE(slo.objectives[1].pass.empty());
  EXPECT_EQ(slo.objectives[1].weight, 1);
  ASSERT_EQ(slo.objectives[2].pass.size(), 2u);
  EXPECT_TRUE(slo.objectives[2].pass[1].criteria.empty());
  ASSERT_TRUE(slo.total_score);
  EXPECT_EQ(slo.total_score->pass, "90%");
  EXPECT_EQ(slo.total_score->warning, "75%");
}

TEST(ParseSlo, AppliesLighthouseDefaults) {
  const Slo without = parse_ok("objectives: []\n");
  EXPECT_EQ(without.comparison.compare_with, "single_result");
  EXPECT_EQ(without.comparison.include_result_with_score, "all");
  EXPECT_EQ(without.comparison.number_of_comparison_results, 1);
  EXPECT_EQ(without.comparison.aggregate_function, "avg");
  EXPECT_FALSE(without.total_score);

  // A present block keeps compare_with empty and defaults the count to 3.
  const Slo present = parse_ok("comparison: {}\n");
  EXPECT_EQ(present.comparison.compare_with, "");
  EXPECT_EQ(present.comparison.include_result_with_score, "all");
  EXPECT_EQ(present.comparison.number_of_comparison_results, 3);
  EXPECT_EQ(present.comparison.aggregate_function, "avg");

  const Slo zero = parse_ok("comparison: {number_of_comparison_results: 0, compare_with: x}\n");
  EXPECT_EQ(zero.comparison.number_of_comparison_results, 3);
  EXPECT_EQ(zero.comparison.compare_with, "x");

  const Slo negative = parse_ok("comparison: {number_of_comparison_results: -2}\n");
  EXPECT_EQ(negative.comparison.number_of_comparison_results, -2);
}

TEST(ParseSlo, DecodesScalarsLikeYamlV3) {
  struct Case {
    const char* weight;
    int64_t expected;
  };
  const Case cases[] = {
      {"0", 1},      {"", 1},         {"~", 1},     {"3", 3},
      {"-2", -2},    {"1.5", 1},      {"-1.5", -1}, {".5", 1},
      {"1e3", 1000}, {"0x10", 16},    {"010", 8},   {"0o10", 8},
      {"08", 8},     {"1_000", 1000}, {"+4", 4},    {"-.inf", INT64_MIN},
  };
  for (const auto& c : cases) {
    const Slo slo =
        parse_ok(std::string("objectives:\n  - sli: a\n    weight: ") + c.weight + "\n");
    ASSERT_EQ(slo.objectives.size(), 1u) << c.weight;
    EXPECT_EQ(slo.objectives[0].weight, c.expected) << c.weight;
  }
  const std::pair<const char*, bool> bools[] = {
      {"true", true}, {"True", true}, {"TRUE", true},    {"yes", true},
      {"on", true},   {"y", true},    {"\"yes\"", true}, {"false", false},
      {"no", false},  {"Off", false}, {"~", false},
  };
  for (const auto& [text, expected] : bools) {
    const Slo slo = parse_ok(std::string("objectives:\n  - sli: a\n    key_sli: ") + text + "\n");
    ASSERT_EQ(slo.objectives.size(), 1u) << text;
    EXPECT_EQ(slo.objectives[0].key_sli, expected) << text;
  }
  // Any scalar is text for a string field; null leaves it empty.
  const Slo text = parse_ok("total_score: {pass: 90, warning: ~}\nobjectives:\n  - sli: 12\n");
  EXPECT_EQ(text.total_score->pass, "90");
  EXPECT_EQ(text.total_score->warning, "");
  EXPECT_EQ(text.objectives[0].sli, "12");
}

TEST(ParseSlo, DropsNullObjectivesAndNullCriteria) {
  const Slo slo = parse_ok(R"(
objectives:
  - ~
  - sli: a
    pass:
      - criteria: [~, "<5"]
  -
)");
  ASSERT_EQ(slo.objectives.size(), 1u);
  EXPECT_EQ(slo.objectives[0].pass[0].criteria, (std::vector<std::string>{"<5"}));
  EXPECT_TRUE(parse_ok("objectives:\n").objectives.empty());
}

TEST(ParseSlo, AppliesMergeKeys) {
  const Slo slo = parse_ok(R"(
base: &base
  weight: 3
  pass: [{criteria: ["<1"]}]
objectives:
  - <<: *base
    sli: a
    weight: 5
  - <<: [*base]
    sli: b
)");
  ASSERT_EQ(slo.objectives.size(), 2u);
  EXPECT_EQ(slo.objectives[0].weight, 5);  // the mapping's own key wins
  EXPECT_EQ(slo.objectives[0].pass[0].criteria[0], "<1");
  EXPECT_EQ(slo.objectives[1].weight, 3);
}

TEST(ParseSlo, FileWithoutADocumentIsAnEmptySlo) {
  for (const char* text : {"", "# only a comment\n", "\n\n"}) {
    const SloParse parsed = parse_slo(text);
    ASSERT_TRUE(parsed.slo) << "\"" << text << "\"";
    EXPECT_TRUE(parsed.slo->objectives.empty());
    EXPECT_FALSE(parsed.slo->total_score);
  }
}

struct BadCase {
  const char* text;
  const char* expected;  // the first issue, as printed
};

TEST(ParseSlo, NamesLineColumnAndFieldOfEveryError) {
  const BadCase cases[] = {
      {"invalid",
       "slo.yaml:1:1: expected a mapping with objectives and total_score, found "
       "\"invalid\""},
      {"- a\n- b\n",
       "slo.yaml:1:1: expected a mapping with objectives and total_score, found a "
       "list"},
      {"~\n",
       "slo.yaml:1:1: the document is empty (null); expected a mapping with objectives "
       "and total_score"},
      {"objectives:\n  - sli: a\n    weight: abc\n",
       "slo.yaml:3:13: objectives[0].weight: expected an integer, found \"abc\""},
      {"objectives:\n  - sli: a\n    weight: \"2\"\n",
       "slo.yaml:3:13: objectives[0].weight: expected an integer, found \"2\""},
      {"objectives:\n  - sli: a\n    weight: true\n",
       "slo.yaml:3:13: objectives[0].weight: expected an integer, found \"true\""},
      {"objectives:\n  - sli: a\n    weight: 99999999999999999999\n",
       "slo.yaml:3:13: objectives[0].weight: expected an integer, found "
       "\"99999999999999999999\""},
      {"objectives:\n  - sli: a\n    key_sli: \"true\"\n",
       "slo.yaml:3:14: objectives[0].key_sli: expected true or false, found \"true\""},
      {"objectives:\n  - sli: a\n    key_sli: 1\n",
       "slo.yaml:3:14: objectives[0].key_sli: expected true or false, found \"1\""},
      {"objectives:\n  sli: a\n",
       "slo.yaml:2:3: objectives: expected a list of objectives, "
       "found a mapping"},
      {"objectives:\n  - just-a-name\n",
       "slo.yaml:2:5: objectives[0]: expected a mapping with sli, pass, warning, weight and "
       "key_sli, found \"just-a-name\""},
      {"objectives:\n  - sli: [a]\n",
       "slo.yaml:2:10: objectives[0].sli: expected a text value, "
       "found a list"},
      {"objectives:\n  - sli: a\n    pass: [~]\n",
       "slo.yaml:3:12: objectives[0].pass[0]: expected a mapping such as {criteria: "
       "[\"<=800\"]}, found null"},
      {"objectives:\n  - sli: a\n    pass: {criteria: [\"<1\"]}\n",
       "slo.yaml:3:11: objectives[0].pass: expected a list of {criteria: [...]} entries, found a "
       "mapping"},
      {"objectives:\n  - sli: a\n    warning:\n      - criteria: \"<1\"\n",
       "slo.yaml:4:19: objectives[0].warning[0].criteria: expected a list of criteria strings "
       "such as \"<=800\", found \"<1\""},
      {"objectives:\n  - sli: a\n    pass:\n      - criteria: [[\"<1\"]]\n",
       "slo.yaml:4:20: objectives[0].pass[0].criteria[0]: expected a criteria string such as "
       "\"<=800\", found a list"},
      {"comparison: single_result\n",
       "slo.yaml:1:13: comparison: expected a mapping with compare_with, "
       "include_result_with_score, number_of_comparison_results and aggregate_function, found "
       "\"single_result\""},
      {"comparison:\n  number_of_comparison_results: many\n",
       "slo.yaml:2:33: comparison.number_of_comparison_results: expected an integer, found "
       "\"many\""},
      {"total_score: 90%\n",
       "slo.yaml:1:14: total_score: expected a mapping such as {pass: "
       "\"90%\", warning: \"75%\"}, found \"90%\""},
      {"total_score:\n  pass: [90]\n",
       "slo.yaml:2:9: total_score.pass: expected a text value, "
       "found a list"},
      {"filter: [a]\n",
       "slo.yaml:1:9: filter: expected a mapping of filter names to values, "
       "found a list"},
      {"filter:\n  a: {b: c}\n",
       "slo.yaml:2:6: filter.a: expected a text value, found a "
       "mapping"},
      {"objectives: []\nobjectives: []\n",
       "slo.yaml:2:1: objectives: the key \"objectives\" is already defined at line 1; remove one "
       "of them"},
      {"objectives:\n  - sli: a\n    sli: b\n",
       "slo.yaml:3:5: objectives[0].sli: the key \"sli\" is already defined at line 2; remove one "
       "of them"},
      {"objectives:\n  - sli: a\n   weight: 1\n", "slo.yaml:3:4: this is not valid YAML: "},
      {"objectives: [\n", "slo.yaml:"},
      {"objectives:\n  - <<: 5\n    sli: a\n",
       "slo.yaml:2:9: objectives[0].<<: expected a mapping or a list of mappings to merge, found "
       "\"5\""},
  };
  for (const auto& c : cases) {
    const SloParse parsed = parse_slo(c.text);
    EXPECT_FALSE(parsed.slo) << c.text;
    ASSERT_FALSE(parsed.issues.empty()) << c.text;
    const std::string first = parsed.issues[0].to_string();
    const std::string expected = c.expected;
    EXPECT_EQ(first.substr(0, expected.size()), expected) << c.text;
  }
}

TEST(ParseSlo, ReportsEveryErrorNotOnlyTheFirst) {
  const SloParse parsed =
      parse_slo("objectives:\n  - sli: a\n    weight: x\n  - sli: b\n    key_sli: maybe\n");
  ASSERT_EQ(parsed.issues.size(), 2u);
  EXPECT_EQ(parsed.issues[0].field, "objectives[0].weight");
  EXPECT_EQ(parsed.issues[1].field, "objectives[1].key_sli");
  EXPECT_EQ(parsed.issues[1].line, 5);
}

TEST(ParseSlo, RefusesAliasBombs) {
  // 1000 objectives x 1000 criteria sets x 1000 criteria from a few kilobytes of text.
  std::string text = "c: &c [";
  for (int i = 0; i < 1000; ++i) text += i ? ", \"<1\"" : "\"<1\"";
  text += "]\ns: &s {criteria: *c}\np: &p [";
  for (int i = 0; i < 1000; ++i) text += i ? ", *s" : "*s";
  text += "]\no: &o {sli: x, pass: *p}\nobjectives: [";
  for (int i = 0; i < 1000; ++i) text += i ? ", *o" : "*o";
  text += "]\n";
  const SloParse parsed = parse_slo(text);
  EXPECT_FALSE(parsed.slo);
  ASSERT_EQ(parsed.issues.size(), 1u);
  EXPECT_NE(parsed.issues[0].message.find("through aliases"), std::string::npos);
}

}  // namespace
}  // namespace kph::plugins::lighthouse
