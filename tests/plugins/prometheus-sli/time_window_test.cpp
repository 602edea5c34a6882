#include "time_window.hpp"

#include <gtest/gtest.h>

namespace kph::plugins::prometheus_sli {
namespace {

constexpr int64_t kSecond = 1'000'000'000;

TEST(TimeWindow, ParsesRfc3339WithFractionAndZ) {
  const auto t = parse_timestamp("2022-04-06T14:36:19.667Z", "get-sli.end");
  ASSERT_TRUE(t.ok()) << t.error;
  EXPECT_EQ(*t.value, 1649255779 * kSecond + 667'000'000);
}

TEST(TimeWindow, ParsesNumericOffsetAsTheSameInstant) {
  const auto utc = parse_timestamp("2022-04-06T14:36:19Z", "x");
  const auto plus_two = parse_timestamp("2022-04-06T16:36:19+02:00", "x");
  const auto minus = parse_timestamp("2022-04-06T13:06:19-01:30", "x");
  ASSERT_TRUE(utc.ok() && plus_two.ok() && minus.ok());
  EXPECT_EQ(*utc.value, *plus_two.value);
  EXPECT_EQ(*utc.value, *minus.value);
}

TEST(TimeWindow, KeepsNanosecondsAndDropsFinerDigits) {
  const auto t = parse_timestamp("1970-01-01T00:00:01.1234567891Z", "x");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(*t.value, kSecond + 123'456'789);
}

TEST(TimeWindow, ParsesUnixSecondsWithSign) {
  EXPECT_EQ(*parse_timestamp("1683195600", "x").value, 1683195600 * kSecond);
  EXPECT_EQ(*parse_timestamp("+10", "x").value, 10 * kSecond);
  EXPECT_EQ(*parse_timestamp("-10", "x").value, -10 * kSecond);
}

TEST(TimeWindow, LeapDayAndCenturyRules) {
  EXPECT_TRUE(parse_timestamp("2024-02-29T00:00:00Z", "x").ok());
  EXPECT_FALSE(parse_timestamp("2023-02-29T00:00:00Z", "x").ok());
  EXPECT_FALSE(parse_timestamp("1900-02-29T00:00:00Z", "x").ok());
  EXPECT_TRUE(parse_timestamp("2000-02-29T00:00:00Z", "x").ok());
  EXPECT_EQ(*parse_timestamp("2000-03-01T00:00:00Z", "x").value, 951868800 * kSecond);
}

TEST(TimeWindow, RejectsMalformedTextNamingTheField) {
  for (const std::string text :
       {"yesterday", "", "2022-04-06", "2022-04-06T14:36:19", "2022-13-06T14:36:19Z",
        "2022-04-06T24:00:00Z", "2022-04-06T14:36:19.Z", "2022-04-06T14:36:19Zjunk",
        "2022-04-06T14:36:19+0200", "1.5", "12abc", "99999999999999999999"}) {
    const auto t = parse_timestamp(text, "get-sli.start");
    EXPECT_FALSE(t.ok()) << text;
    EXPECT_NE(t.error.find("get-sli.start"), std::string::npos) << t.error;
    EXPECT_NE(t.error.find("'" + text + "'"), std::string::npos) << t.error;
  }
}

TEST(TimeWindow, DurationIsRoundedUpToWholeSeconds) {
  const auto start = *parse_timestamp("2022-04-06T14:35:03.762Z", "x").value;
  const auto end = *parse_timestamp("2022-04-06T14:36:19.667Z", "x").value;
  EXPECT_EQ(duration_seconds_text(start, end), "76s");
  EXPECT_EQ(duration_seconds_text(0, 300 * kSecond), "300s");
  EXPECT_EQ(duration_seconds_text(5, 5), "0s");
  EXPECT_EQ(duration_seconds_text(0, 1), "1s");
  EXPECT_EQ(duration_seconds_text(0, 3600 * kSecond), "3600s");  // never converted to 1h
}

TEST(TimeWindow, QueryTimeIsShortestDecimalSeconds) {
  EXPECT_EQ(query_time_text(1649255779 * kSecond + 667'000'000), "1649255779.667");
  EXPECT_EQ(query_time_text(1683195600 * kSecond), "1683195600");
  EXPECT_EQ(query_time_text(kSecond + 1), "1.000000001");
  EXPECT_EQ(query_time_text(-kSecond - 500'000'000), "-1.5");
  EXPECT_EQ(query_time_text(0), "0");
}

}  // namespace
}  // namespace kph::plugins::prometheus_sli
