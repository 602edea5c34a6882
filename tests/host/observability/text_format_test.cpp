#include "observability/text_format.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace kph::host {
namespace {

std::string label(std::string_view value) {
  std::string out;
  append_label_value(out, value);
  return out;
}

std::string help(std::string_view text) {
  std::string out;
  append_help_text(out, text);
  return out;
}

template <typename T>
std::string number(T value) {
  std::string out;
  append_number(out, value);
  return out;
}

const std::string kReplacement = "\xEF\xBF\xBD";

TEST(TextFormat, LabelValueEscapesBackslashQuoteAndNewline) {
  EXPECT_EQ(label("plain"), "plain");
  EXPECT_EQ(label(R"(a\b)"), R"(a\\b)");
  EXPECT_EQ(label(R"(say "hi")"), R"(say \"hi\")");
  EXPECT_EQ(label("two\nlines"), R"(two\nlines)");
  EXPECT_EQ(label("\\\"\n"), R"(\\\"\n)");
  // Tabs, carriage returns and braces are legal as they are.
  EXPECT_EQ(label("a\tb\rc{}=,"), "a\tb\rc{}=,");
  EXPECT_EQ(label(""), "");
}

TEST(TextFormat, HelpEscapesBackslashAndNewlineButNotQuotes) {
  EXPECT_EQ(help(R"(Tasks "sent" \ done)"), R"(Tasks "sent" \\ done)");
  EXPECT_EQ(help("first\nsecond"), R"(first\nsecond)");
}

TEST(TextFormat, ValidUtf8IsKept) {
  const std::string text = "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x9A\x80";  // é € 🚀
  EXPECT_EQ(label(text), text);
  EXPECT_EQ(help(text), text);
}

TEST(TextFormat, InvalidUtf8BecomesReplacementCharacters) {
  EXPECT_EQ(label("a\xFF"
                  "b"),
            "a" + kReplacement + "b");
  // A sequence cut short: each byte of it is replaced.
  EXPECT_EQ(label("\xE2\x82"), kReplacement + kReplacement);
  // Overlong encoding of '/', a UTF-16 surrogate, a code point past U+10FFFF.
  EXPECT_EQ(label("\xC0\xAF"), kReplacement + kReplacement);
  EXPECT_EQ(label("\xED\xA0\x80"), kReplacement + kReplacement + kReplacement);
  EXPECT_EQ(label("\xF4\x90\x80\x80"), kReplacement + kReplacement + kReplacement + kReplacement);
  // A stray continuation byte next to a quote that still needs escaping.
  EXPECT_EQ(label("\x80\""), kReplacement + "\\\"");
}

TEST(TextFormat, NumbersAreSpelledLikePrometheusGoClient) {
  EXPECT_EQ(number(0.0), "0");
  EXPECT_EQ(number(1.0), "1");
  EXPECT_EQ(number(-2.0), "-2");
  EXPECT_EQ(number(0.005), "0.005");
  EXPECT_EQ(number(2.5), "2.5");
  EXPECT_EQ(number(3600.0), "3600");
  EXPECT_EQ(number(0.0005), "0.0005");
  EXPECT_EQ(number(123456.7), "123456.7");
  EXPECT_EQ(number(0.00005), "5e-05");
  EXPECT_EQ(number(1e6), "1e+06");
  EXPECT_EQ(number(1234567.0), "1.234567e+06");
  EXPECT_EQ(number(0.1 + 0.2), "0.30000000000000004");  // every digit needed to read it back
  EXPECT_EQ(number(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(number(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(number(std::nan("")), "NaN");
}

TEST(TextFormat, IntegersAreExact) {
  EXPECT_EQ(number(uint64_t{0}), "0");
  EXPECT_EQ(number(uint64_t{42}), "42");
  EXPECT_EQ(number(std::numeric_limits<uint64_t>::max()), "18446744073709551615");
}

TEST(TextFormat, MetricNames) {
  EXPECT_TRUE(is_valid_metric_name("keptn_host_tasks_received_total"));
  EXPECT_TRUE(is_valid_metric_name("job:rate5m"));
  EXPECT_TRUE(is_valid_metric_name("_x9"));
  EXPECT_FALSE(is_valid_metric_name(""));
  EXPECT_FALSE(is_valid_metric_name("9lives"));
  EXPECT_FALSE(is_valid_metric_name("tasks-total"));
  EXPECT_FALSE(is_valid_metric_name("tasks total"));
  EXPECT_FALSE(is_valid_metric_name("t\xC3\xA4sks"));
}

TEST(TextFormat, LabelNames) {
  EXPECT_TRUE(is_valid_label_name("plugin"));
  EXPECT_TRUE(is_valid_label_name("_status2"));
  EXPECT_FALSE(is_valid_label_name(""));
  EXPECT_FALSE(is_valid_label_name("__name__"));
  EXPECT_FALSE(is_valid_label_name("a:b"));
  EXPECT_FALSE(is_valid_label_name("2xx"));
  EXPECT_FALSE(is_valid_label_name("plug-in"));
}

}  // namespace
}  // namespace kph::host
