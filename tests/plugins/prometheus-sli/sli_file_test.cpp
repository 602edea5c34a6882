#include "sli_file.hpp"

#include <gtest/gtest.h>

#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace kph::plugins::prometheus_sli {
namespace {

constexpr const char* kWhere = "prometheus/sli.yaml of stage 'staging'";

TEST(SliFile, ReadsIndicatorsInFileOrder) {
  const auto file = parse_sli_file(R"yaml(---
spec_version: '1.0'
indicators:
  throughput: "sum(rate(http_requests_total{job='$SERVICE'}[$DURATION_SECONDS]))"
  error_rate: sum(rate(errors[1m]))
)yaml",
                                   kWhere);
  ASSERT_TRUE(file.ok()) << file.error;
  ASSERT_EQ(file.value->indicators.size(), 2u);
  EXPECT_EQ(file.value->indicators[0].first, "throughput");
  EXPECT_EQ(file.value->indicators[0].second,
            "sum(rate(http_requests_total{job='$SERVICE'}[$DURATION_SECONDS]))");
  EXPECT_EQ(file.value->indicators[1].first, "error_rate");
}

TEST(SliFile, ScalarsAreTextAndEmptyValuesAreEmpty) {
  const auto file = parse_sli_file("indicators:\n  a: 1\n  b: true\n  c:\n  d: ~\n", kWhere);
  ASSERT_TRUE(file.ok()) << file.error;
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"a", "1"}, {"b", "true"}, {"c", ""}, {"d", ""}};
  EXPECT_EQ(file.value->indicators, expected);
}

TEST(SliFile, BlockScalarKeepsNewlines) {
  const auto file = parse_sli_file("indicators:\n  q: |\n    sum(\n      up)\n", kWhere);
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(file.value->indicators[0].second, "sum(\n  up)\n");
}

TEST(SliFile, EmptyFilesAndFilesWithoutIndicatorsParse) {
  for (const std::string text : {"", "{}", "spec_version: '1.0'\n", "indicators:\n", "---\n"}) {
    const auto file = parse_sli_file(text, kWhere);
    ASSERT_TRUE(file.ok()) << text << ": " << file.error;
    EXPECT_TRUE(file.value->indicators.empty()) << text;
  }
}

TEST(SliFile, OtherKeysAreIgnored) {
  const auto file = parse_sli_file("spec_version: 2\nfoo: [1, 2]\nindicators: {a: b}\n", kWhere);
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(file.value->indicators.size(), 1u);
}

struct MalformedCase {
  const char* name;
  const char* text;
  const char* line;   // ", line N"
  const char* field;  // the field the message must name, or "" for syntax errors
  const char* found;  // what the message must say was found
};

class SliFileMalformed : public ::testing::TestWithParam<MalformedCase> {};

TEST_P(SliFileMalformed, ErrorNamesFileLineFieldAndWhatWasFound) {
  const auto& c = GetParam();
  const auto file = parse_sli_file(c.text, kWhere);
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.error.rfind(kWhere, 0), 0u) << file.error;
  EXPECT_NE(file.error.find(c.line), std::string::npos) << file.error;
  EXPECT_NE(file.error.find(c.field), std::string::npos) << file.error;
  EXPECT_NE(file.error.find(c.found), std::string::npos) << file.error;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, SliFileMalformed,
    ::testing::Values(
        MalformedCase{"syntax", "indicators:\n  a: [1,\n", ", line 3", "", "not valid YAML"},
        MalformedCase{"bad_indent", "indicators:\n  a: b\n c: d\n", ", line 3", "",
                      "not valid YAML"},
        MalformedCase{"text_after_quote", "spec_version: 1\nindicators:\n  a: 'x' y\n", ", line 3",
                      "", "not valid YAML"},
        MalformedCase{"top_level_list", "- indicators\n", ", line 1", "", "found a list"},
        MalformedCase{"top_level_text", "just text\n", ", line 1", "", "found the text"},
        MalformedCase{"indicators_list", "spec_version: '1'\nindicators:\n  - a\n  - b\n",
                      ", line 3", "field 'indicators'", "found a list"},
        MalformedCase{"indicators_text", "indicators: sum(up)\n", ", line 1", "field 'indicators'",
                      "found the text 'sum(up)'"},
        MalformedCase{"query_is_list", "indicators:\n  cpu:\n    - a\n", ", line 3",
                      "field 'indicators.cpu'", "found a list"},
        MalformedCase{"query_is_map", "indicators:\n  a: x\n  cpu: {q: 1}\n", ", line 3",
                      "field 'indicators.cpu'", "found a map"},
        MalformedCase{"key_is_list", "indicators:\n  ? [a, b]\n  : q\n", ", line 2",
                      "field 'indicators'", "found a list"}),
    [](const auto& info) { return std::string(info.param.name); });

SliFileSource level(const std::string& where, std::optional<std::string> content) {
  return SliFileSource{where, std::move(content)};
}

TEST(SliFileMerge, MoreSpecificLevelsOverwriteAndOthersSurvive) {
  const auto merged = merge_sli_files({
      level("project", "indicators:\n  a: project-a\n  b: project-b\n"),
      level("stage", "indicators:\n  b: stage-b\n  c: stage-c\n"),
      level("service", "indicators:\n  c: service-c\n"),
  });
  ASSERT_TRUE(merged.ok()) << merged.error;
  const IndicatorQueries expected = {{"a", "project-a"}, {"b", "stage-b"}, {"c", "service-c"}};
  EXPECT_EQ(*merged.value, expected);
}

TEST(SliFileMerge, MissingLevelsAreSkippedAndNoFileAtAllIsFine) {
  const auto none = merge_sli_files({level("p", std::nullopt), level("s", std::nullopt)});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none.value->empty());
  const auto only_service =
      merge_sli_files({level("p", std::nullopt), level("svc", "indicators:\n  x: y\n")});
  ASSERT_TRUE(only_service.ok());
  EXPECT_EQ(only_service.value->at("x"), "y");
}

TEST(SliFileMerge, RepeatedNameInOneFileKeepsTheLast) {
  const auto merged = merge_sli_files({level("p", "indicators:\n  a: first\n  a: second\n")});
  ASSERT_TRUE(merged.ok()) << merged.error;
  EXPECT_EQ(merged.value->at("a"), "second");
}

TEST(SliFileMerge, FileWithoutIndicatorsIsAnErrorWhenNothingEarlierDefinedAny) {
  const auto merged =
      merge_sli_files({level("prometheus/sli.yaml of project 'p'", "spec_version: '1.0'\n"),
                       level("stage", "indicators:\n  a: b\n")});
  ASSERT_FALSE(merged.ok());
  EXPECT_NE(merged.error.find("prometheus/sli.yaml of project 'p'"), std::string::npos);
  EXPECT_NE(merged.error.find("missing required field 'indicators'"), std::string::npos);
}

TEST(SliFileMerge, FileWithoutIndicatorsIsFineAfterALevelThatHasSome) {
  const auto merged = merge_sli_files(
      {level("project", "indicators:\n  a: b\n"), level("service", "spec_version: '1.0'\n")});
  ASSERT_TRUE(merged.ok()) << merged.error;
  EXPECT_EQ(merged.value->size(), 1u);
}

TEST(SliFileMerge, AParseErrorAtAnyLevelIsFatal) {
  const auto merged = merge_sli_files(
      {level("project", "indicators:\n  a: b\n"), level("svc-file", "indicators: [\n")});
  ASSERT_FALSE(merged.ok());
  EXPECT_EQ(merged.error.rfind("svc-file", 0), 0u) << merged.error;
}

TEST(SliFileMerge, TheExampleResourcesAreValid) {
  const auto root = kph::testing::source_dir() / "config/resources/sockshop";
  const auto merged = merge_sli_files(
      {level("project", kph::testing::read_file(root / "prometheus/sli.yaml")),
       level("stage", kph::testing::read_file(root / "staging/prometheus/sli.yaml"))});
  ASSERT_TRUE(merged.ok()) << merged.error;
  for (const char* name : {"throughput", "error_rate", "response_time_p95", "cpu_seconds"}) {
    EXPECT_FALSE(merged.value->at(name).empty()) << name;
  }
  EXPECT_NE(merged.value->at("response_time_p95").find("canary"), std::string::npos);
}

}  // namespace
}  // namespace kph::plugins::prometheus_sli
