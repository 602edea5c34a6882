#include "go_strconv.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace kph::plugins::lighthouse {
namespace {

struct FloatCase {
  const char* text;
  bool ok;
  double value;
};

TEST(GoParseFloat, AcceptsWhatGoAcceptsAndNothingElse) {
  const FloatCase cases[] = {
      {"600", true, 600},    {"10.0", true, 10},     {".5", true, 0.5},    {"5.", true, 5},
      {"1e3", true, 1000},   {"1E-2", true, 0.01},   {"-5", true, -5},     {"+5", true, 5},
      {"1_000", true, 1000}, {"0x1p-2", true, 0.25}, {"0X1.8P1", true, 3}, {"1e-400", true, 0},
      {"007", true, 7},      {"", false, 0},         {" 5", false, 0},     {"5 ", false, 0},
      {"5\t", false, 0},     {"10ms", false, 0},     {"1e400", false, 0},  {"0x1", false, 0},
      {"1__0", false, 0},    {"_1", false, 0},       {"1_", false, 0},     {"--5", false, 0},
      {"+-5", false, 0},     {".", false, 0},        {"e5", false, 0},     {"1e", false, 0},
      {"5%", false, 0},      {"0b101", false, 0},    {"infin", false, 0},  {"+nan", false, 0},
  };
  for (const auto& c : cases) {
    const auto parsed = go_parse_float(c.text);
    EXPECT_EQ(parsed.has_value(), c.ok) << "\"" << c.text << "\"";
    if (parsed && c.ok) {
      EXPECT_EQ(*parsed, c.value) << "\"" << c.text << "\"";
    }
  }
}

TEST(GoParseFloat, ReadsSpecialValuesInAnyCase) {
  EXPECT_EQ(go_parse_float("Inf"), std::numeric_limits<double>::infinity());
  EXPECT_EQ(go_parse_float("+INFINITY"), std::numeric_limits<double>::infinity());
  EXPECT_EQ(go_parse_float("-inf"), -std::numeric_limits<double>::infinity());
  ASSERT_TRUE(go_parse_float("NaN").has_value());
  EXPECT_TRUE(std::isnan(*go_parse_float("nan")));
}

TEST(GoParseInt, FollowsBaseZeroRules) {
  EXPECT_EQ(go_parse_int("42"), 42);
  EXPECT_EQ(go_parse_int("-42"), -42);
  EXPECT_EQ(go_parse_int("0x1F"), 31);
  EXPECT_EQ(go_parse_int("0o17"), 15);
  EXPECT_EQ(go_parse_int("017"), 15);  // a leading 0 means octal
  EXPECT_EQ(go_parse_int("0b101"), 5);
  EXPECT_EQ(go_parse_int("0"), 0);
  EXPECT_EQ(go_parse_int("-9223372036854775808"), std::numeric_limits<int64_t>::min());
  EXPECT_FALSE(go_parse_int("9223372036854775808"));
  EXPECT_FALSE(go_parse_int("08"));
  EXPECT_FALSE(go_parse_int("1.5"));
  EXPECT_FALSE(go_parse_int(""));
  EXPECT_FALSE(go_parse_int("0x"));
  EXPECT_EQ(go_parse_uint("18446744073709551615"), std::numeric_limits<uint64_t>::max());
  EXPECT_FALSE(go_parse_uint("-1"));
}

TEST(GoFormatFloat, PrintsLikePercentV) {
  const std::pair<double, const char*> cases[] = {
      {50, "50"},
      {75.3, "75.3"},
      {100, "100"},
      {0, "0"},
      {-0.0, "-0"},
      {100.0 * (2.0 / 3.0), "66.66666666666666"},
      {100.0 * (85.0 / 92.0), "92.3913043478261"},
      {18.900000000000002, "18.900000000000002"},
      {0.0001, "0.0001"},
      {0.00001, "1e-05"},
      {100000, "100000"},
      {1000000, "1e+06"},
      {1234567.5, "1.2345675e+06"},
      {1e100, "1e+100"},
      {-2.5, "-2.5"},
      {std::numeric_limits<double>::infinity(), "+Inf"},
      {-std::numeric_limits<double>::infinity(), "-Inf"},
      {std::nan(""), "NaN"},
  };
  for (const auto& [value, text] : cases) EXPECT_EQ(go_format_float(value), text) << text;
}

}  // namespace
}  // namespace kph::plugins::lighthouse
