#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "config/duration.hpp"
#include "config/host_config.hpp"

namespace kph::host {
namespace {

using namespace std::chrono_literals;

struct ValidDuration {
  std::string text;
  std::chrono::milliseconds expected;
};

TEST(ParseDuration, ReadsEveryUnitAndCombination) {
  const std::vector<ValidDuration> cases = {
      {"500ms", 500ms}, {"30s", 30s},         {"10m", 10min},
      {"1h", 1h},       {"1h30m", 90min},     {"2h5m10s", 2h + 5min + 10s},
      {"0s", 0ms},      {"1m500ms", 60500ms}, {"1h1ms", 3600001ms},
      {"007s", 7s},     {"90m", 90min},       {"876000h", std::chrono::hours(876000)},
  };
  for (const auto& c : cases) {
    auto parsed = parse_duration(c.text);
    ASSERT_TRUE(parsed.ok()) << c.text << ": " << parsed.error().message;
    EXPECT_EQ(*parsed, c.expected) << c.text;
  }
}

struct InvalidDuration {
  std::string text;
  std::string what;  // a part of the message that says what is wrong
  std::string todo;  // a part of the message that says what to do
};

TEST(ParseDuration, RefusesMalformedTextSayingWhatIsWrongAndWhatToDo) {
  const std::vector<InvalidDuration> cases = {
      {"", "the duration is empty", "write e.g. 30s"},
      {"-5s", "negative durations are not allowed", "without the '-'"},
      {"10", "the number 10 has no unit", "e.g. 10s"},
      {"10x", "unknown unit \"x\"", "use h, m, s or ms"},
      {"2d", "unknown unit \"d\"", "48h instead of 2d"},
      {"10S", "unknown unit \"S\"", "use h, m, s or ms"},
      {"5us", "unknown unit \"us\"", "use h, m, s or ms"},
      {"1.5h", "fractions are not supported", "1h30m instead of 1.5h"},
      {"30m1h", "\"h\" is repeated or comes after a smaller unit", "largest first"},
      {"1m1m", "\"m\" is repeated", "each unit once"},
      {"1 h", "contains a space", "together"},
      {" 1h", "contains a space", "together"},
      {"h", "expected a number at \"h\"", "whole numbers"},
      {"1h-5m", "expected a number at \"-5m\"", "whole numbers"},
      {"+5s", "expected a number at \"+5s\"", "whole numbers"},
      {"876001h", "longer than the 876000h", "shorter"},
      {"99999999999999999999999s", "longer than", "shorter"},
      {"9223372036854775807ms", "longer than", "shorter"},
      {"5000000000000000h", "longer than", "shorter"},
  };
  for (const auto& c : cases) {
    auto parsed = parse_duration(c.text);
    ASSERT_FALSE(parsed.ok()) << c.text;
    const auto& message = parsed.error().message;
    EXPECT_NE(message.find(c.what), std::string::npos) << c.text << ": " << message;
    EXPECT_NE(message.find(c.todo), std::string::npos) << c.text << ": " << message;
    EXPECT_NE(message.find("; expected a duration such as 500ms, 30s, 10m or 1h30m, found "),
              std::string::npos)
        << message;
  }
}

TEST(ParseDuration, ShowsUnprintableInputEscaped) {
  auto parsed = parse_duration(std::string("1\0s\xff", 4));
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.error().message.find("found \"1\\x00s\\xff\""), std::string::npos)
      << parsed.error().message;
}

TEST(FormatDuration, WritesTextThatReadsBackToTheSameValue) {
  using config::format_duration;
  EXPECT_EQ(format_duration(0ms), "0s");
  EXPECT_EQ(format_duration(90min), "1h30m");
  EXPECT_EQ(format_duration(2h + 5min + 10s + 7ms), "2h5m10s7ms");
  EXPECT_EQ(format_duration(-1500ms), "-1s500ms");
  EXPECT_EQ(format_duration(std::chrono::milliseconds::min()).front(), '-');
  for (auto value : {1ms, 999ms, 1000ms, 61000ms, 3600000ms, 86400000ms}) {
    auto parsed = parse_duration(format_duration(value));
    ASSERT_TRUE(parsed.ok()) << format_duration(value);
    EXPECT_EQ(*parsed, value);
  }
}

}  // namespace
}  // namespace kph::host
