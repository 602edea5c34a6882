#include "resources/resource_lookup.hpp"

#include <gtest/gtest.h>

namespace kph::host {
namespace {

using Levels = std::vector<ResourceLevel>;
constexpr auto kService = ResourceLevel::kService;
constexpr auto kStage = ResourceLevel::kStage;
constexpr auto kProject = ResourceLevel::kProject;

Levels levels_of(ResourceRequest request) {
  auto levels = lookup_levels(request);
  EXPECT_TRUE(levels) << (levels ? "" : levels.error().message);
  return levels ? *levels : Levels{};
}

TEST(LookupLevels, InheritSearchesServiceStageProject) {
  EXPECT_EQ(levels_of({"shop", "dev", "carts", "", "slo.yaml", KPH_SCOPE_INHERIT}),
            (Levels{kService, kStage, kProject}));
}

TEST(LookupLevels, EachScopeSearchesOneLevel) {
  EXPECT_EQ(levels_of({"shop", "dev", "carts", "", "slo.yaml", KPH_SCOPE_SERVICE}),
            (Levels{kService}));
  EXPECT_EQ(levels_of({"shop", "dev", "carts", "", "slo.yaml", KPH_SCOPE_STAGE}), (Levels{kStage}));
  EXPECT_EQ(levels_of({"shop", "dev", "carts", "", "slo.yaml", KPH_SCOPE_PROJECT}),
            (Levels{kProject}));
}

TEST(LookupLevels, MissingNamesSkipTheirLevels) {
  EXPECT_EQ(levels_of({"shop", "dev", "", "", "slo.yaml", KPH_SCOPE_INHERIT}),
            (Levels{kStage, kProject}));
  EXPECT_EQ(levels_of({"shop", "", "", "", "slo.yaml", KPH_SCOPE_INHERIT}), (Levels{kProject}));
  // A service without a stage has no place in either layout.
  EXPECT_EQ(levels_of({"shop", "", "carts", "", "slo.yaml", KPH_SCOPE_INHERIT}),
            (Levels{kProject}));
  EXPECT_TRUE(levels_of({"shop", "dev", "", "", "slo.yaml", KPH_SCOPE_SERVICE}).empty());
  EXPECT_TRUE(levels_of({"shop", "", "", "", "slo.yaml", KPH_SCOPE_STAGE}).empty());
}

TEST(LookupLevels, RefusesNamesAndUrisThatLeaveTheirRoot) {
  const std::vector<ResourceRequest> refused = {
      {"shop", "dev", "carts", "", "../x", KPH_SCOPE_INHERIT},
      {"shop", "dev", "carts", "", "/etc/passwd", KPH_SCOPE_INHERIT},
      {"shop", "dev", "carts", "", "a/./b", KPH_SCOPE_INHERIT},
      {"shop", "dev", "carts", "", "a//b", KPH_SCOPE_INHERIT},
      {"shop", "dev", "carts", "", "job/", KPH_SCOPE_INHERIT},
      {"shop", "dev", "carts", "", "", KPH_SCOPE_INHERIT},
      {"shop", "dev", "carts", "", std::string("a\0b", 3), KPH_SCOPE_INHERIT},
      {"", "dev", "carts", "", "slo.yaml", KPH_SCOPE_INHERIT},
      {"..", "dev", "carts", "", "slo.yaml", KPH_SCOPE_INHERIT},
      {"shop", "dev/x", "carts", "", "slo.yaml", KPH_SCOPE_INHERIT},
      {"shop", "..", "carts", "", "slo.yaml", KPH_SCOPE_INHERIT},
      {"shop", "dev", "a/b", "", "slo.yaml", KPH_SCOPE_INHERIT},
      {"shop", "dev", ".", "", "slo.yaml", KPH_SCOPE_INHERIT},
  };
  for (const auto& request : refused) {
    auto levels = lookup_levels(request);
    ASSERT_FALSE(levels) << describe_request(request);
    EXPECT_NE(levels.error().message.find("refused"), std::string::npos) << levels.error().message;
  }
}

TEST(LookupLevels, RefusesAnUnknownScope) {
  auto levels = lookup_levels({"shop", "dev", "carts", "", "slo.yaml", 7});
  ASSERT_FALSE(levels);
  EXPECT_NE(levels.error().message.find("scope 7 is unknown"), std::string::npos);
}

TEST(DescribeRequest, NamesEveryPartGiven) {
  EXPECT_EQ(describe_request({"shop", "dev", "carts", "abc", "slo.yaml", KPH_SCOPE_INHERIT}),
            "slo.yaml for project shop, stage dev, service carts at commit abc");
  EXPECT_EQ(describe_request({"shop", "", "", "", "slo.yaml", KPH_SCOPE_INHERIT}),
            "slo.yaml for project shop");
}

}  // namespace
}  // namespace kph::host
