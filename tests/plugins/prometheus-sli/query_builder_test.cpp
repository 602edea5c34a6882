#include "query_builder.hpp"

#include <gtest/gtest.h>

namespace kph::plugins::prometheus_sli {
namespace {

QueryContext carts() {
  QueryContext context;
  context.project = "sockshop";
  context.stage = "staging";
  context.service = "carts";
  context.deployment = "canary";
  context.labels = {{"version", "0.1.1"}};
  context.duration = "76s";
  return context;
}

TEST(DefaultFilter, JobTermComesFirstWithoutFilters) {
  EXPECT_EQ(default_filter_expression(carts()), "job='carts-sockshop-staging-canary'");
}

TEST(DefaultFilter, PlainValuesAreQuotedAndStrippedOfQuotes) {
  auto context = carts();
  context.filters = {{"handler", "ItemsController.addToCart"}, {"method", "'GET\""}};
  EXPECT_EQ(default_filter_expression(context),
            "job='carts-sockshop-staging-canary',handler='ItemsController.addToCart',method='GET'");
}

TEST(DefaultFilter, OperatorValuesAreKeptWithDoubleQuotesTurnedSingle) {
  auto context = carts();
  context.filters = {{"handler", "!=HealthCheckController"},
                     {"path", "=~\"/api/.*\""},
                     {"code", "!~'5..'"},
                     {"env", "=prod"}};
  EXPECT_EQ(default_filter_expression(context),
            "job='carts-sockshop-staging-canary',handler!=HealthCheckController,"
            "path=~'/api/.*',code!~'5..',env=prod");
}

TEST(DefaultFilter, AJobFilterReplacesTheDefaultJob) {
  auto context = carts();
  context.filters = {{"handler", "x"}, {"job", "my-job"}};
  EXPECT_EQ(default_filter_expression(context), "handler='x',job='my-job'");
}

TEST(BuiltInQueries, AreExactlyKeptnsTemplates) {
  const auto context = carts();
  const std::string f = "job='carts-sockshop-staging-canary'";
  EXPECT_EQ(*built_in_query("throughput", context),
            "sum(rate(http_requests_total{" + f + "}[76s]))");
  EXPECT_EQ(*built_in_query("error_rate", context),
            "sum(rate(http_requests_total{" + f +
                ",status!~'2..'}[76s]))/sum(rate(http_requests_total{" + f + "}[76s]))");
  for (const auto& [name, q] :
       {std::pair{"response_time_p50", "0.50"}, std::pair{"response_time_p90", "0.90"},
        std::pair{"response_time_p95", "0.95"}}) {
    EXPECT_EQ(*built_in_query(name, context),
              std::string("histogram_quantile(") + q +
                  ",sum(rate(http_response_time_milliseconds_bucket{" + f + "}[76s]))by(le))");
  }
  EXPECT_FALSE(built_in_query("cpu", context).has_value());
  EXPECT_EQ(built_in_indicators().size(), 5u);
}

TEST(Placeholders, KeptnWorkedExample) {
  EXPECT_EQ(substitute_placeholders("sum(rate(http_requests_total{job='$SERVICE-$PROJECT-$STAGE',"
                                    "track='$DEPLOYMENT',v='$LABEL.version'}[$DURATION_SECONDS]))",
                                    carts()),
            "sum(rate(http_requests_total{job='carts-sockshop-staging',track='canary',v='0.1.1'}"
            "[76s]))");
}

TEST(Placeholders, CustomFiltersReplaceKeyAndUpperCaseKey) {
  auto context = carts();
  context.filters = {{"handler", "'addToCart'"}};
  EXPECT_EQ(substitute_placeholders("a=$handler,b=$HANDLER,c=$Handler", context),
            "a=addToCart,b=addToCart,c=$Handler");
}

TEST(Placeholders, FiltersComeFirstSoTheirValuesAreExpandedAndTheyShadowBuiltIns) {
  auto context = carts();
  context.filters = {{"ns", "$PROJECT-ns"}, {"SERVICE", "override"}};
  EXPECT_EQ(substitute_placeholders("$ns $SERVICE", context), "sockshop-ns override");
}

TEST(Placeholders, LabelValuesDoNotMeetEarlierSteps) {
  auto context = carts();
  context.labels = {{"raw", "$PROJECT"}};
  EXPECT_EQ(substitute_placeholders("$LABEL.raw", context), "$PROJECT");
}

TEST(Placeholders, LongerLabelNamesWinOverTheirPrefixes) {
  auto context = carts();
  context.labels = {{"ver", "A"}, {"version", "B"}};
  EXPECT_EQ(substitute_placeholders("$LABEL.ver $LABEL.version", context), "A B");
  context.filters = {{"ver", "x"}, {"version", "y"}};
  EXPECT_EQ(substitute_placeholders("$ver $version", context), "x y");
}

TEST(Placeholders, UnknownAndUnsupportedPlaceholdersStay) {
  EXPECT_EQ(substitute_placeholders("$DURATION $DURATION_MINUTES $project $FOO", carts()),
            "$DURATION $DURATION_MINUTES $project $FOO");
}

TEST(Placeholders, EmptyFilterKeysAndLabelNamesAreIgnored) {
  auto context = carts();
  context.filters = {{"", "boom"}};
  context.labels = {{"", "boom"}};
  EXPECT_EQ(substitute_placeholders("$SERVICE $LABEL.x", context), "carts $LABEL.x");
}

TEST(Placeholders, EveryIndicatorSeesTheOriginalFilters) {
  auto context = carts();
  context.filters = {{"handler", "'x'"}};
  const IndicatorQueries queries = {{"a", "$handler"}};
  // Keptn stripped the quotes in the shared filter list; the built-in query of a later
  // indicator must still see the original value.
  EXPECT_EQ(*query_for_indicator("a", queries, context).value, "x");
  EXPECT_EQ(*query_for_indicator("throughput", queries, context).value,
            "sum(rate(http_requests_total{job='carts-sockshop-staging-canary',handler='x'}[76s]))");
}

TEST(QueryForIndicator, SliFileEntryWinsOverBuiltIn) {
  const IndicatorQueries queries = {{"throughput", "sum(up{svc='$SERVICE'})"}};
  EXPECT_EQ(*query_for_indicator("throughput", queries, carts()).value, "sum(up{svc='carts'})");
}

TEST(QueryForIndicator, EmptyEntryFallsBackToBuiltIn) {
  const IndicatorQueries queries = {{"throughput", ""}, {"cpu", ""}};
  EXPECT_TRUE(query_for_indicator("throughput", queries, carts()).ok());
  const auto cpu = query_for_indicator("cpu", queries, carts());
  EXPECT_FALSE(cpu.ok());
}

TEST(QueryForIndicator, UnknownIndicatorSaysHowToAddIt) {
  const auto cpu = query_for_indicator("cpu", {}, carts());
  ASSERT_FALSE(cpu.ok());
  EXPECT_NE(cpu.error.find("unsupported SLI 'cpu'"), std::string::npos) << cpu.error;
  EXPECT_NE(cpu.error.find("response_time_p95"), std::string::npos) << cpu.error;
  EXPECT_NE(cpu.error.find("cpu: <PromQL>"), std::string::npos) << cpu.error;
}

}  // namespace
}  // namespace kph::plugins::prometheus_sli
