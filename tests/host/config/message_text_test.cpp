#include "config/message_text.hpp"

#include <gtest/gtest.h>

#include <array>
#include <string>
#include <string_view>

namespace kph::host::config {
namespace {

TEST(QuoteText, EscapesWhatWouldBreakAOneLineMessage) {
  EXPECT_EQ(quote_text("plain"), "\"plain\"");
  EXPECT_EQ(quote_text("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(quote_text("line\nnext\ttab\r"), "\"line\\nnext\\ttab\\r\"");
  EXPECT_EQ(quote_text(std::string("\0\x7f\x01", 3)), "\"\\x00\\x7f\\x01\"");
  EXPECT_EQ(quote_text("caf\xc3\xa9"), "\"caf\xc3\xa9\"");
  EXPECT_EQ(quote_text("\xc3\x28"), "\"\\xc3(\"");  // a lead byte without its continuation
  EXPECT_EQ(quote_text("\xed\xa0\x80"), "\"\\xed\\xa0\\x80\"");  // a UTF-16 surrogate
}

TEST(QuoteText, CutsLongTextByCharacters) {
  EXPECT_EQ(quote_text("abcdef", 3), "\"abc...\"");
  EXPECT_EQ(quote_text("\xc3\xa9\xc3\xa9\xc3\xa9", 2), "\"\xc3\xa9\xc3\xa9...\"");
  EXPECT_EQ(quote_text("abc", 3), "\"abc\"");
}

TEST(IsValidUtf8, AcceptsWellFormedAndRefusesEveryKindOfMalformedText) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("ascii"));
  EXPECT_TRUE(is_valid_utf8("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"));  // é € 😀
  EXPECT_FALSE(is_valid_utf8("\xff"));
  EXPECT_FALSE(is_valid_utf8("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(is_valid_utf8("\xe0\x80\xaf"));      // overlong, three bytes
  EXPECT_FALSE(is_valid_utf8("\xed\xa0\x80"));      // surrogate
  EXPECT_FALSE(is_valid_utf8("\xf4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_FALSE(is_valid_utf8("\xe2\x82"));          // cut short
  EXPECT_FALSE(is_valid_utf8("\x80"));              // continuation without a lead
}

TEST(ClosestMatch, SuggestsTheKeyAMisspellingMeant) {
  constexpr std::array<std::string_view, 7> keys = {
      "name", "library", "config", "maxConcurrency", "queueSize", "taskTimeout", "maxRetries"};
  EXPECT_EQ(closest_match("maxConcurency", keys), "maxConcurrency");
  EXPECT_EQ(closest_match("max_concurrency", keys), "maxConcurrency");
  EXPECT_EQ(closest_match("MaxConcurrency", keys), "maxConcurrency");
  EXPECT_EQ(closest_match("libary", keys), "library");
  EXPECT_EQ(closest_match("task-timeout", keys), "taskTimeout");
  EXPECT_EQ(closest_match("timeout", keys), "taskTimeout");
  EXPECT_EQ(closest_match("retries", keys), "maxRetries");
  EXPECT_EQ(closest_match("nmae", keys), "name");        // a swap is one typo
  EXPECT_EQ(closest_match("nmea", keys), std::nullopt);  // two typos in four letters
  EXPECT_EQ(closest_match("color", keys), std::nullopt);
  EXPECT_EQ(closest_match("", keys), std::nullopt);
  EXPECT_EQ(closest_match(std::string(1000, 'x'), keys), std::nullopt);
}

TEST(JoinAlternatives, ListsWithCommasAndOr) {
  constexpr std::array<std::string_view, 3> three = {"a", "b", "c"};
  constexpr std::array<std::string_view, 1> one = {"a"};
  EXPECT_EQ(join_alternatives(three), "a, b or c");
  EXPECT_EQ(join_alternatives(one), "a");
}

}  // namespace
}  // namespace kph::host::config
