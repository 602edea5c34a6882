#include "sli_retrieval.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace kph::plugins::prometheus_sli {
namespace {

using nlohmann::json;

GetSliRequest request_for(std::vector<std::string> indicators) {
  GetSliRequest request;
  request.project = "sockshop";
  request.stage = "staging";
  request.service = "carts";
  request.deployment = "canary";
  request.start = "2022-04-06T14:35:03.762Z";
  request.end = "2022-04-06T14:36:19.667Z";
  request.indicators = std::move(indicators);
  return request;
}

struct Recorded {
  std::vector<std::pair<std::string, std::string>> calls;
  QueryFunction function(IndicatorOutcome outcome) {
    return [this, outcome](const std::string& query, const std::string& time) {
      calls.emplace_back(query, time);
      return outcome;
    };
  }
};

TEST(RetrieveIndicators, QueriesEachIndicatorInOrderAtTheWindowEnd) {
  Recorded recorded;
  const auto values = retrieve_indicators(
      request_for({"throughput", "mine", "throughput"}), {{"mine", "up{job='$SERVICE'}"}},
      recorded.function(IndicatorOutcome::retrieved(1)), nullptr);
  ASSERT_EQ(values.size(), 3u);
  EXPECT_EQ(values[1].metric, "mine");
  ASSERT_EQ(recorded.calls.size(), 3u);
  EXPECT_EQ(recorded.calls[0].first,
            "sum(rate(http_requests_total{job='carts-sockshop-staging-canary'}[76s]))");
  EXPECT_EQ(recorded.calls[0].second, "1649255779.667");
  EXPECT_EQ(recorded.calls[1].first, "up{job='carts'}");
}

TEST(RetrieveIndicators, UnsupportedIndicatorFailsWithoutAQuery) {
  Recorded recorded;
  const auto values = retrieve_indicators(
      request_for({"cpu"}), {}, recorded.function(IndicatorOutcome::retrieved(1)), nullptr);
  ASSERT_EQ(values.size(), 1u);
  EXPECT_FALSE(values[0].outcome.success);
  EXPECT_TRUE(recorded.calls.empty());
}

TEST(RetrieveIndicators, EmptyBuiltInErrorRateSaysWhyAndHowToGetZero) {
  Recorded recorded;
  const auto values = retrieve_indicators(
      request_for({"error_rate"}), {},
      recorded.function(IndicatorOutcome::failed("query did not return any values: none")),
      nullptr);
  ASSERT_EQ(values.size(), 1u);
  EXPECT_NE(values[0].outcome.message.find("or vector(0)"), std::string::npos);
  // A user's own error_rate query gets no hint about the built-in one.
  const auto own = retrieve_indicators(
      request_for({"error_rate"}), {{"error_rate", "x"}},
      recorded.function(IndicatorOutcome::failed("query did not return any values: none")),
      nullptr);
  EXPECT_EQ(own[0].outcome.message, "query did not return any values: none");
}

TEST(RetrieveIndicators, BadWindowFailsEveryIndicatorWithoutQuerying) {
  for (const auto& [start, end, expected] :
       {std::tuple{"yesterday", "2022-04-06T14:36:19Z",
                   "unable to parse get-sli.start 'yesterday'"},
        std::tuple{"2022-04-06T14:36:19Z", "", "unable to parse get-sli.end ''"},
        std::tuple{"2022-04-06T14:36:19Z", "2022-04-06T14:35:00Z", "is before get-sli.start"}}) {
    Recorded recorded;
    auto request = request_for({"throughput", "error_rate"});
    request.start = start;
    request.end = end;
    const auto values = retrieve_indicators(
        request, {}, recorded.function(IndicatorOutcome::retrieved(1)), nullptr);
    ASSERT_EQ(values.size(), 2u);
    for (const auto& value : values) {
      EXPECT_FALSE(value.outcome.success);
      EXPECT_NE(value.outcome.message.find(expected), std::string::npos) << value.outcome.message;
    }
    EXPECT_TRUE(recorded.calls.empty());
  }
}

TEST(RetrieveIndicators, StopsWhenCancelled) {
  Recorded recorded;
  int asked = 0;
  const auto values = retrieve_indicators(request_for({"throughput", "error_rate"}), {},
                                          recorded.function(IndicatorOutcome::retrieved(1)),
                                          [&] { return ++asked > 1; });
  EXPECT_TRUE(values.empty());
  EXPECT_EQ(recorded.calls.size(), 1u);
}

TEST(FinishedData, AllRetrievedIsPassWithoutMessage) {
  const auto data = finished_data(
      request_for({"a", "b"}),
      {{"a", IndicatorOutcome::retrieved(0.25)}, {"b", IndicatorOutcome::retrieved(2)}});
  EXPECT_EQ(data, json::parse(R"({
    "status": "succeeded", "result": "pass",
    "get-sli": {"start": "2022-04-06T14:35:03.762Z", "end": "2022-04-06T14:36:19.667Z",
      "indicatorValues": [
        {"metric": "a", "value": 0.25, "comparedValue": 0, "success": true},
        {"metric": "b", "value": 2, "comparedValue": 0, "success": true}]}})"));
  EXPECT_EQ(data["get-sli"]["indicatorValues"][1]["value"].dump(), "2");
}

TEST(FinishedData, SomeFailedIsWarningNamingThem) {
  const auto data =
      finished_data(request_for({"a", "b", "c"}),
                    {{"a", IndicatorOutcome::retrieved(1)},
                     {"b", IndicatorOutcome::failed("query did not return any values")},
                     {"c", IndicatorOutcome::failed("x")}});
  EXPECT_EQ(data["status"], "succeeded");
  EXPECT_EQ(data["result"], "warning");
  EXPECT_EQ(data["message"], "could not retrieve 2 of 3 indicators: b, c");
  EXPECT_EQ(data["get-sli"]["indicatorValues"][1],
            json::parse(R"({"metric": "b", "value": 0, "comparedValue": 0, "success": false,
                            "message": "query did not return any values"})"));
}

TEST(FinishedData, AllFailedIsFailWithTheFirstCauseAndStatusSucceeded) {
  const auto data = finished_data(
      request_for({"a", "b"}),
      {{"a", IndicatorOutcome::failed("boom")}, {"b", IndicatorOutcome::failed("bang")}});
  EXPECT_EQ(data["status"], "succeeded");
  EXPECT_EQ(data["result"], "fail");
  EXPECT_EQ(data["message"], "unable to retrieve metrics: a: boom (and 1 more indicators failed)");
}

TEST(FinishedData, NoIndicatorsIsPassWithoutIndicatorValues) {
  const auto data = finished_data(request_for({}), {});
  EXPECT_EQ(data, json::parse(R"({"status": "succeeded", "result": "pass",
    "get-sli": {"start": "2022-04-06T14:35:03.762Z", "end": "2022-04-06T14:36:19.667Z"}})"));
}

TEST(ErroredData, CarriesMessageAndTheWindowWhenKnown) {
  EXPECT_EQ(errored_data("bad"),
            json::parse(R"({"status":"errored","result":"fail","message":"bad"})"));
  EXPECT_EQ(errored_data("bad", "s", "e")["get-sli"], json::parse(R"({"start":"s","end":"e"})"));
}

TEST(ValueJson, WholeNumbersHaveNoFraction) {
  EXPECT_EQ(value_json(0).dump(), "0");
  EXPECT_EQ(value_json(-7).dump(), "-7");
  EXPECT_EQ(value_json(412.7).dump(), "412.7");
  EXPECT_EQ(value_json(1.5e-7).get<double>(), 1.5e-7);
  EXPECT_EQ(value_json(1e300).get<double>(), 1e300);
}

}  // namespace
}  // namespace kph::plugins::prometheus_sli
