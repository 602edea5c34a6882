#include "loader/api_version.hpp"

#include <gtest/gtest.h>

#include <kph/plugin_api.h>

namespace kph::host {
namespace {

struct RuleCase {
  const char* host;
  const char* plugin;
  bool accepted;
  const char* rule;  // the rule named in the refusal; empty when accepted
};

class VersionRule : public ::testing::TestWithParam<RuleCase> {};

TEST_P(VersionRule, AcceptsOrRefusesByTheSemverRule) {
  const auto& c = GetParam();
  const auto host = parse_api_version(c.host);
  ASSERT_TRUE(host.has_value());
  const auto status = check_api_version("/plugins/x.so", c.plugin, *host);
  EXPECT_EQ(status.ok(), c.accepted) << c.host << " vs " << c.plugin;
  if (!status.ok()) {
    const auto& message = status.error().message;
    EXPECT_NE(message.find("/plugins/x.so"), std::string::npos) << message;
    EXPECT_NE(message.find(c.rule), std::string::npos) << message;
    EXPECT_NE(message.find(std::string("plugin API ") + c.plugin), std::string::npos) << message;
    EXPECT_NE(message.find(std::string("plugin API ") + c.host), std::string::npos) << message;
    EXPECT_NE(message.find("Fix: "), std::string::npos) << message;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Table, VersionRule,
    ::testing::Values(RuleCase{"1.0.0", "1.0.0", true, ""},
                      RuleCase{"1.0.0", "1.0.7", true, ""},  // patches never matter
                      RuleCase{"1.0.5", "1.0.0", true, ""},
                      RuleCase{"1.3.0", "1.0.0", true, ""},  // an older minor keeps loading
                      RuleCase{"1.3.0", "1.3.0", true, ""},
                      RuleCase{"1.3.0", "1.3.0-rc.1", true, ""},
                      RuleCase{"1.3.0", "1.2.9+build.5", true, ""},
                      RuleCase{"1.0.0", "1.1.0", false, "the host's minor must be at least"},
                      RuleCase{"1.0.0", "1.99.0", false, "the host's minor must be at least"},
                      RuleCase{"1.3.0", "1.4.0", false, "the host's minor must be at least"},
                      RuleCase{"1.0.0", "2.0.0", false, "majors must be equal"},
                      RuleCase{"1.9.0", "0.9.0", false, "majors must be equal"},
                      RuleCase{"2.0.0", "1.0.0", false, "majors must be equal"},
                      RuleCase{"0.1.0", "0.1.0", true, ""}));

TEST(ApiVersion, NewerMajorPluginIsToldToRebuildOrUpgradeTheHost) {
  const auto status = check_api_version("p.so", "2.0.0", ApiVersion{1, 0, 0});
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message.find("rebuild the plugin against plugin_api.h 1.x"),
            std::string::npos);
  EXPECT_NE(status.error().message.find("keptn-host that implements plugin API 2.x"),
            std::string::npos);
}

TEST(ApiVersion, NewerMinorPluginIsToldToUpgradeTheHost) {
  const auto status = check_api_version("p.so", "1.99.0", ApiVersion{1, 0, 0});
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message.find("upgrade keptn-host to a release that implements "
                                        "plugin API 1.99 or newer"),
            std::string::npos)
      << status.error().message;
}

TEST(ApiVersion, MalformedVersionIsItsOwnRefusal) {
  for (const char* bad :
       {"", "1", "1.0", "1.0.", "1..0", "a.b.c", "1.0.0.0", " 1.0.0", "1.0.0 ", "v1.0.0", "01.0.0",
        "1.00.0", "-1.0.0", "1.0.0-", "1.0.0+", "1.0.0_x", "1.0.0-rc 1", "9999999999.0.0"}) {
    EXPECT_FALSE(parse_api_version(bad).has_value()) << '"' << bad << '"';
    const auto status = check_api_version("p.so", bad, ApiVersion{1, 0, 0});
    ASSERT_FALSE(status.ok()) << bad;
    const auto& message = status.error().message;
    EXPECT_NE(message.find("malformed version"), std::string::npos) << message;
    EXPECT_NE(message.find("found \"" + std::string(bad) + "\""), std::string::npos) << message;
    EXPECT_NE(message.find("KPH_PLUGIN_API_VERSION_STR"), std::string::npos) << message;
  }
}

TEST(ApiVersion, NullVersionIsRefusedNotDereferenced) {
  const auto status = check_api_version("p.so", nullptr, ApiVersion{1, 0, 0});
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message.find("returned NULL"), std::string::npos);
}

TEST(ApiVersion, ParsesTheParts) {
  const auto v = parse_api_version("12.345.6-alpha.1+sha.5114f85");
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->major, 12u);
  EXPECT_EQ(v->minor, 345u);
  EXPECT_EQ(v->patch, 6u);
  EXPECT_EQ(v->to_string(), "12.345.6");
}

TEST(ApiVersion, HostVersionIsTheHeaders) {
  EXPECT_EQ(host_api_version().to_string(), KPH_PLUGIN_API_VERSION_STR);
  EXPECT_TRUE(check_api_version("p.so", KPH_PLUGIN_API_VERSION_STR, host_api_version()).ok());
}

}  // namespace
}  // namespace kph::host
