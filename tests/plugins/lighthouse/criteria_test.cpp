#include "criteria.hpp"

#include <gtest/gtest.h>

namespace kph::plugins::lighthouse {
namespace {

struct ParseCase {
  const char* text;
  const char* error;  // empty when it parses
  Operator op;
  double value;
  bool relative;
  bool percent;
  bool increase;
};

TEST(ParseCriterion, FollowsKeptnsGrammar) {
  const std::string invalid(kInvalidCriteria);
  const std::string target(kUnparsableTarget);
  const ParseCase cases[] = {
      {"<600", "", Operator::less, 600, false, false, false},
      {"<=10.0", "", Operator::less_equal, 10, false, false, false},
      {"=0", "", Operator::equal, 0, false, false, false},
      {">=100", "", Operator::greater_equal, 100, false, false, false},
      {">5", "", Operator::greater, 5, false, false, false},
      {"<=+10%", "", Operator::less_equal, 10, true, true, true},
      {"<=10%", "", Operator::less_equal, 10, true, true, true},  // unsigned % is an increase
      {">=-5%", "", Operator::greater_equal, 5, true, true, false},
      {"<=+50", "", Operator::less_equal, 50, true, false, true},
      {"<=-50", "", Operator::less_equal, 50, true, false, false},
      {"<-1", "", Operator::less, 1, true, false, false},           // no negative fixed threshold
      {"< = 5", "", Operator::less_equal, 5, false, false, false},  // spaces go first
      {"<.5", "", Operator::less, 0.5, false, false, false},
      {"<5.", "", Operator::less, 5, false, false, false},
      {"<1e3", "", Operator::less, 1000, false, false, false},
      {"<1_000", "", Operator::less, 1000, false, false, false},
      {"<=--5", "", Operator::less_equal, -5, true, false, false},  // one sign is taken
      {"", invalid.c_str(), Operator::less, 0, false, false, false},
      {"10", invalid.c_str(), Operator::less, 0, false, false, false},
      {"+10%", invalid.c_str(), Operator::less, 0, false, false, false},
      {"invalid", invalid.c_str(), Operator::less, 0, false, false, false},
      {" ", invalid.c_str(), Operator::less, 0, false, false, false},
      {"\t<5", invalid.c_str(), Operator::less, 0, false, false, false},
      {"=<5", target.c_str(), Operator::less, 0, false, false, false},
      {"==5", target.c_str(), Operator::less, 0, false, false, false},
      {"<=10ms", target.c_str(), Operator::less, 0, false, false, false},
      {"<=", target.c_str(), Operator::less, 0, false, false, false},
      {"<=\t10", target.c_str(), Operator::less, 0, false, false, false},
      {"|5", target.c_str(), Operator::less, 0, false, false, false},
      {"<5%%", target.c_str(), Operator::less, 0, false, false, false},
      {"<%", target.c_str(), Operator::less, 0, false, false, false},
      {"<1e400", target.c_str(), Operator::less, 0, false, false, false},
  };
  for (const auto& c : cases) {
    const auto parsed = parse_criterion(c.text);
    if (*c.error != '\0') {
      EXPECT_FALSE(parsed.criterion) << "\"" << c.text << "\"";
      EXPECT_EQ(parsed.error, c.error) << "\"" << c.text << "\"";
      continue;
    }
    ASSERT_TRUE(parsed.criterion) << "\"" << c.text << "\": " << parsed.error;
    EXPECT_EQ(parsed.criterion->op, c.op) << c.text;
    EXPECT_EQ(parsed.criterion->value, c.value) << c.text;
    EXPECT_EQ(parsed.criterion->relative, c.relative) << c.text;
    EXPECT_EQ(parsed.criterion->percent, c.percent) << c.text;
    EXPECT_EQ(parsed.criterion->increase, c.increase) << c.text;
  }
}

TEST(CriterionTarget, ComputesInKeptnsOrder) {
  const auto target = [](const char* text, double aggregated) {
    return criterion_target(*parse_criterion(text).criterion, aggregated);
  };
  EXPECT_EQ(target("<600", 42), 600);
  // (3*110)/100 is the double nearest 3.3; 3*1.1 would be 3.3000000000000003.
  EXPECT_EQ(target("<=+10%", 3), 3.3);
  EXPECT_NE(target("<=+10%", 3), 3 * 1.1);
  EXPECT_EQ(target("<=10%", 3), 3.3);
  EXPECT_EQ(target(">=-5%", 200), 190);
  EXPECT_EQ(target("<=+50", 100), 150);
  EXPECT_EQ(target("<=-50", 100), 50);
  EXPECT_EQ(target("<-1", 10), 9);
  EXPECT_EQ(target("<=--5", 10), 15);
}

TEST(CriterionHolds, UsesPlainComparisons) {
  const auto holds = [](const char* text, double measured) {
    const auto c = *parse_criterion(text).criterion;
    return criterion_holds(c, measured, c.value);
  };
  EXPECT_TRUE(holds("<600", 599.9));
  EXPECT_FALSE(holds("<600", 600));
  EXPECT_TRUE(holds("<=600", 600));
  EXPECT_TRUE(holds("=0", 0));
  EXPECT_TRUE(holds("=0", -0.0));
  EXPECT_FALSE(holds("=0.3", 0.1 + 0.2));  // exact floating-point equality
  EXPECT_TRUE(holds(">=100", 100));
  EXPECT_FALSE(holds(">5", 5));
}

}  // namespace
}  // namespace kph::plugins::lighthouse
