#include "common/event_type.hpp"

#include <gtest/gtest.h>

namespace kph::host {
namespace {

TEST(EventType, SplitsTaskAndKind) {
  auto type = parse_event_type("sh.keptn.event.evaluation.triggered");
  ASSERT_TRUE(type);
  EXPECT_EQ(type->task, "evaluation");
  EXPECT_EQ(type->kind, "triggered");
}

TEST(EventType, StatusChangedIsOneKind) {
  auto type = parse_event_type("sh.keptn.event.deployment.status.changed");
  ASSERT_TRUE(type);
  EXPECT_EQ(type->task, "deployment");
  EXPECT_EQ(type->kind, "status.changed");
}

TEST(EventType, SequenceEventsKeepStageAndSequence) {
  auto type = parse_event_type("sh.keptn.event.dev.delivery.triggered");
  ASSERT_TRUE(type);
  EXPECT_EQ(type->task, "dev.delivery");
  EXPECT_EQ(type->kind, "triggered");
}

TEST(EventType, RefusesWhatIsNotAKeptnType) {
  for (const char* text : {"", "sh.keptn.event.", "sh.keptn.event.x", "sh.keptn.log.error",
                           "com.example.thing.triggered", "sh.keptn.event..triggered"}) {
    EXPECT_FALSE(parse_event_type(text)) << text;
  }
}

TEST(EventType, MakesTypes) {
  EXPECT_EQ(make_event_type("get-sli", "finished"), "sh.keptn.event.get-sli.finished");
}

struct PatternCase {
  const char* pattern;
  const char* text;
  bool matches;
};

TEST(Pattern, MatchesWildcardsAcrossDots) {
  const PatternCase cases[] = {
      {"sh.keptn.event.evaluation.triggered", "sh.keptn.event.evaluation.triggered", true},
      {"sh.keptn.event.evaluation.triggered", "sh.keptn.event.evaluation.finished", false},
      {"sh.keptn.event.*.triggered", "sh.keptn.event.test.triggered", true},
      {"sh.keptn.event.*.triggered", "sh.keptn.event.dev.delivery.triggered", true},
      {"sh.keptn.event.*.triggered", "sh.keptn.event.test.finished", false},
      {"*", "anything", true},
      {"*", "", true},
      {"sh.keptn.*", "sh.keptn.event.x.triggered", true},
      {"*.triggered", "sh.keptn.event.x.triggered.extra", false},
      {"a*b*c", "aXXbYYc", true},
      {"a*b*c", "aXXbYY", false},
      {"", "", true},
      {"", "x", false},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(matches_pattern(c.pattern, c.text), c.matches) << c.pattern << " ~ " << c.text;
  }
}

}  // namespace
}  // namespace kph::host
