#include "lighthouse_config.hpp"

#include <gtest/gtest.h>

namespace kph::plugins::lighthouse {
namespace {

using nlohmann::json;

TEST(ParseConfig, DefaultsToPrometheusAndFiveMinutes) {
  const auto parsed = parse_config(json::object());
  ASSERT_TRUE(parsed.config);
  EXPECT_EQ(parsed.config->provider_for("any"), "prometheus");
  EXPECT_EQ(parsed.config->sli_timeout, std::chrono::seconds(300));
  EXPECT_TRUE(parsed.config->slo_inherit);
}

TEST(ParseConfig, ProjectsWinOverTheDefault) {
  const auto parsed = parse_config(json::parse(R"({
    "sliProvider": {"default": "prometheus", "projects": {"sockshop": "dynatrace", "x": ""}},
    "sliTimeoutSeconds": 30, "sloResourceScope": "service"})"));
  ASSERT_TRUE(parsed.config) << parsed.error;
  EXPECT_EQ(parsed.config->provider_for("sockshop"), "dynatrace");
  EXPECT_EQ(parsed.config->provider_for("x"), "");
  EXPECT_EQ(parsed.config->provider_for("other"), "prometheus");
  EXPECT_EQ(parsed.config->sli_timeout, std::chrono::seconds(30));
  EXPECT_FALSE(parsed.config->slo_inherit);
}

TEST(ParseConfig, NullDefaultMeansNoProvider) {
  const auto parsed = parse_config(json::parse(R"({"sliProvider": {"default": null}})"));
  ASSERT_TRUE(parsed.config);
  EXPECT_FALSE(parsed.config->provider_for("sockshop"));
}

TEST(ParseConfig, NamesTheBadKey) {
  const std::pair<const char*, const char*> cases[] = {
      {R"([])", "lighthouse config: expected an object, found []"},
      {R"({"sliprovider": {}})", "lighthouse config: sliprovider: unknown key"},
      {R"({"sliProvider": "prometheus"})", "lighthouse config: sliProvider: expected an object"},
      {R"({"sliProvider": {"default": 5}})", "lighthouse config: sliProvider.default: expected"},
      {R"({"sliProvider": {"projects": {"a": 1}}})",
       "lighthouse config: sliProvider.projects.a: expected a provider name, found 1"},
      {R"({"sliProvider": {"fallback": "x"}})", "lighthouse config: sliProvider.fallback: unknown"},
      {R"({"sliTimeoutSeconds": 0})", "lighthouse config: sliTimeoutSeconds: expected a whole"},
      {R"({"sliTimeoutSeconds": 1.5})", "lighthouse config: sliTimeoutSeconds: expected a whole"},
      {R"({"sliTimeoutSeconds": 4294968})", "lighthouse config: sliTimeoutSeconds: expected"},
      {R"({"sloResourceScope": "stage"})", "lighthouse config: sloResourceScope: expected"},
  };
  for (const auto& [text, error] : cases) {
    const auto parsed = parse_config(json::parse(text));
    EXPECT_FALSE(parsed.config) << text;
    EXPECT_EQ(parsed.error.substr(0, std::string(error).size()), error) << text;
  }
}

TEST(ConfigSchema, IsADraft7ObjectSchemaWithDescriptionsAndDefaults) {
  const json schema = config_schema();
  EXPECT_EQ(schema["$schema"], "http://json-schema.org/draft-07/schema#");
  EXPECT_EQ(schema["type"], "object");
  for (const auto& [name, property] : schema["properties"].items()) {
    EXPECT_TRUE(property.contains("description")) << name;
    EXPECT_TRUE(property.contains("default")) << name;
    // Every documented default is a config this plugin accepts.
    EXPECT_TRUE(parse_config({{name, property["default"]}}).config) << name;
  }
}

}  // namespace
}  // namespace kph::plugins::lighthouse
