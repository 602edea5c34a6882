#include "evaluation_window.hpp"

#include <gtest/gtest.h>

namespace kph::plugins::lighthouse {
namespace {

// 2023-05-04T10:20:05.300123456Z
GoTime fixed_now() {
  const auto parsed = go_parse_time(GoLayout::rfc3339, "2023-05-04T10:20:05.300123456Z");
  return *parsed.time;
}

WindowInputs evaluation(const std::string& start, const std::string& end,
                        const std::string& timeframe) {
  WindowInputs in;
  in.evaluation_start = start;
  in.evaluation_end = end;
  in.timeframe = timeframe;
  return in;
}

struct WindowCase {
  WindowInputs in;
  const char* start;  // expected; empty when an error is expected
  const char* end;
  const char* error;
};

TEST(EvaluationWindow, FollowsGoUtilsGetStartEndTime) {
  WindowInputs test_only;
  test_only.test_start = "2023-05-04T10:16:40.000Z";
  test_only.test_end = "whatever the test said";
  WindowInputs start_without_end = test_only;
  start_without_end.evaluation_start = "2023-05-04T10:00:00Z";
  const WindowCase cases[] = {
      {evaluation("", "", "5m"), "2023-05-04T10:15:05.300Z", "2023-05-04T10:20:05.300Z", ""},
      {evaluation("", "", "1h30m"), "2023-05-04T08:50:05.300Z", "2023-05-04T10:20:05.300Z", ""},
      {evaluation("2023-05-04T10:00:00.000Z", "", "1h30m"), "2023-05-04T10:00:00.000Z",
       "2023-05-04T11:30:00.000Z", ""},
      {evaluation("2023-05-04T10:00:00.000Z", "2023-05-04T10:05:00.000Z", ""),
       "2023-05-04T10:00:00.000Z", "2023-05-04T10:05:00.000Z", ""},
      // An RFC 3339 offset is dropped, not converted: Keptn formats with a literal Z.
      {evaluation("2023-05-04T12:00:00+02:00", "2023-05-04T12:10:00+02:00", ""),
       "2023-05-04T12:00:00.000Z", "2023-05-04T12:10:00.000Z", ""},
      // ... and the end of start+timeframe keeps the start's offset.
      {evaluation("2023-05-04T12:00:00-07:00", "", "2m"), "2023-05-04T12:00:00.000Z",
       "2023-05-04T12:02:00.000Z", ""},
      {evaluation("2023-05-04T10:00:27.152330783Z", "2023-05-04T10:30:00Z", ""),
       "2023-05-04T10:00:27.152Z", "2023-05-04T10:30:00.000Z", ""},
      {evaluation("2023-05-04T10:00:00,5Z", "2023-05-04T10:30:00", ""), "2023-05-04T10:00:00.500Z",
       "2023-05-04T10:30:00.000Z", ""},
      {evaluation("2023-05-04T9:00:00Z", "2023-05-04T10:00:00Z", ""), "2023-05-04T09:00:00.000Z",
       "2023-05-04T10:00:00.000Z", ""},
      {evaluation("2024-02-29T00:00:00Z", "2024-03-01T00:00:00Z", ""), "2024-02-29T00:00:00.000Z",
       "2024-03-01T00:00:00.000Z", ""},
      {evaluation("", "", "1m"), "2023-05-04T10:19:05.300Z", "2023-05-04T10:20:05.300Z", ""},
      {test_only, "2023-05-04T10:16:40.000Z", "whatever the test said", ""},
      {start_without_end, "2023-05-04T10:16:40.000Z", "whatever the test said", ""},
      {evaluation("2023-05-04T10:00:00Z", "2023-05-04T10:10:00Z", "5m"), "", "",
       "'end' and 'timeframe' are mutually exclusive"},
      {evaluation("", "2023-05-04T10:10:00Z", "5m"), "", "",
       "'end' and 'timeframe' are mutually exclusive"},
      {evaluation("", "", "5x"), "", "",
       "could not parse provided timeframe: time: unknown unit \"x\" in duration \"5x\""},
      {evaluation("", "", "5"), "", "",
       "could not parse provided timeframe: time: missing unit in duration \"5\""},
      {evaluation("", "", "abc"), "", "",
       "could not parse provided timeframe: time: invalid duration \"abc\""},
      {evaluation("", "", "-5m"), "", "", "end date must be at least 1 minute after start date"},
      {evaluation("", "", "59s"), "", "", "end date must be at least 1 minute after start date"},
      {evaluation("", "", "0"), "", "", "end date must be at least 1 minute after start date"},
      {evaluation("2023-05-04T10:00:00Z", "2023-05-04T10:00:59.999Z", ""), "", "",
       "end date must be at least 1 minute after start date"},
      {evaluation("2023-05-04 10:00:00", "2023-05-04T10:10:00Z", ""), "", "",
       "parsing time \"2023-05-04 10:00:00\" as \"2006-01-02T15:04:05\": cannot parse "
       "\" 10:00:00\" as \"T\""},
      {evaluation("abc", "2023-05-04T10:10:00Z", ""), "", "",
       "parsing time \"abc\" as \"2006-01-02T15:04:05\": cannot parse \"abc\" as \"2006\""},
      {evaluation("2023-05-04T10:00:00Z", "2023-13-01T00:00:00Z", ""), "", "",
       "parsing time \"2023-13-01T00:00:00Z\": month out of range"},
      {evaluation("2023-02-30T00:00:00", "2023-03-01T00:00:00Z", ""), "", "",
       "parsing time \"2023-02-30T00:00:00\": day out of range"},
      {evaluation("2023-05-04T10:00:00+0200", "2023-05-04T11:00:00Z", ""), "", "",
       "parsing time \"2023-05-04T10:00:00+0200\": extra text: \"+0200\""},
      {evaluation("2023-05-04T25:00:00", "2023-05-05T11:00:00Z", ""), "", "",
       "parsing time \"2023-05-04T25:00:00\": hour out of range"},
      {evaluation("2023-05-04T10:00", "2023-05-05T11:00:00Z", ""), "", "",
       "parsing time \"2023-05-04T10:00\" as \"2006-01-02T15:04:05\": cannot parse \"\" as "
       "\":\""},
      {evaluation("2023-05-04T10:00:00\xC3\xA9", "2023-05-05T11:00:00Z", ""), "", "",
       "parsing time \"2023-05-04T10:00:00\\xc3\\xa9\": extra text: \"\\xc3\\xa9\""},
      {WindowInputs{}, "", "", "evaluation.triggered event does not contain evaluation timeframe"},
  };
  for (const auto& c : cases) {
    const WindowResult r = evaluation_window(c.in, fixed_now());
    const std::string label =
        c.in.evaluation_start + " | " + c.in.evaluation_end + " | " + c.in.timeframe;
    if (*c.error != '\0') {
      EXPECT_FALSE(r.window) << label;
      EXPECT_EQ(r.error, c.error) << label;
      continue;
    }
    ASSERT_TRUE(r.window) << label << ": " << r.error;
    EXPECT_EQ(r.window->start, c.start) << label;
    EXPECT_EQ(r.window->end, c.end) << label;
  }
}

TEST(GoParseDuration, ReadsGoDurations) {
  EXPECT_EQ(go_parse_duration("1h30m").nanos, 5400000000000);
  EXPECT_EQ(go_parse_duration("1.5h").nanos, 5400000000000);
  EXPECT_EQ(go_parse_duration("-2m").nanos, -120000000000);
  EXPECT_EQ(go_parse_duration("300ms").nanos, 300000000);
  EXPECT_EQ(go_parse_duration("2\xC2\xB5s").nanos, 2000);
  EXPECT_EQ(go_parse_duration("+0").nanos, 0);
  EXPECT_EQ(go_parse_duration(".5s").nanos, 500000000);
  EXPECT_EQ(go_parse_duration("").error, "time: invalid duration \"\"");
  EXPECT_EQ(go_parse_duration(".s").error, "time: invalid duration \".s\"");
  EXPECT_EQ(go_parse_duration("5 m").error, "time: unknown unit \" m\" in duration \"5 m\"");
  EXPECT_EQ(go_parse_duration("9999999999h").error, "time: invalid duration \"9999999999h\"");
}

TEST(GoFormatKeptnTime, TruncatesToMilliseconds) {
  GoTime t;
  t.seconds = 0;
  t.nanos = 999999999;
  EXPECT_EQ(go_format_keptn_time(t), "1970-01-01T00:00:00.999Z");
  t.seconds = -1;
  EXPECT_EQ(go_format_keptn_time(t), "1969-12-31T23:59:59.999Z");
}

}  // namespace
}  // namespace kph::plugins::lighthouse
