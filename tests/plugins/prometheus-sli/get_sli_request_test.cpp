#include "get_sli_request.hpp"

#include <gtest/gtest.h>

namespace kph::plugins::prometheus_sli {
namespace {

using nlohmann::json;

json lighthouse_data() {
  return json::parse(R"({
    "project": "sockshop", "stage": "staging", "service": "carts",
    "labels": {"version": "0.1.1"},
    "deployment": "canary",
    "get-sli": {
      "sliProvider": "prometheus",
      "start": "2023-05-04T10:15:00.000Z", "end": "2023-05-04T10:20:00.000Z",
      "indicators": ["response_time_p95", "error_rate", "error_rate"],
      "customFilters": [{"key": "handler", "value": "ItemsController.addToCart"}]
    }
  })");
}

TEST(GetSliRequest, ReadsLighthousesEvent) {
  const auto request = parse_get_sli_request(lighthouse_data());
  ASSERT_TRUE(request.ok()) << request.error;
  const auto& r = *request.value;
  EXPECT_EQ(r.project, "sockshop");
  EXPECT_EQ(r.stage, "staging");
  EXPECT_EQ(r.service, "carts");
  EXPECT_EQ(r.deployment, "canary");
  EXPECT_EQ(r.start, "2023-05-04T10:15:00.000Z");
  EXPECT_EQ(r.end, "2023-05-04T10:20:00.000Z");
  EXPECT_EQ(r.indicators,
            (std::vector<std::string>{"response_time_p95", "error_rate", "error_rate"}));
  ASSERT_EQ(r.filters.size(), 1u);
  EXPECT_EQ(r.filters[0].key, "handler");
  EXPECT_EQ(r.labels, (std::vector<std::pair<std::string, std::string>>{{"version", "0.1.1"}}));
}

TEST(GetSliRequest, DeploymentLabelWinsThenFieldThenPrimary) {
  auto data = lighthouse_data();
  data["labels"]["deployment"] = "blue";
  EXPECT_EQ(parse_get_sli_request(data).value->deployment, "blue");
  data["labels"].erase("deployment");
  data["deployment"] = "";
  EXPECT_EQ(parse_get_sli_request(data).value->deployment, "primary");
  data.erase("deployment");
  EXPECT_EQ(parse_get_sli_request(data).value->deployment, "primary");
}

TEST(GetSliRequest, AbsentAndNullOptionalFieldsAreEmpty) {
  const auto request = parse_get_sli_request(json::parse(
      R"({"get-sli": {"sliProvider": "prometheus", "indicators": null, "customFilters": null},
          "labels": null, "stage": null})"));
  ASSERT_TRUE(request.ok()) << request.error;
  EXPECT_TRUE(request.value->indicators.empty());
  EXPECT_TRUE(request.value->start.empty());
  EXPECT_TRUE(request.value->stage.empty());
}

TEST(GetSliRequest, SliProviderIsReadOnlyWhenItIsAString) {
  EXPECT_EQ(sli_provider_of(lighthouse_data()), "prometheus");
  EXPECT_FALSE(sli_provider_of(json::parse(R"({"get-sli": {"sliProvider": 1}})")));
  EXPECT_FALSE(sli_provider_of(json::parse(R"({"get-sli": []})")));
  EXPECT_FALSE(sli_provider_of(json::parse(R"({})")));
  EXPECT_FALSE(sli_provider_of(json::parse(R"("text")")));
}

struct MalformedCase {
  const char* name;
  const char* pointer;  // where to put the bad value
  json value;
  const char* field;
  const char* expected;
};

class GetSliRequestMalformed : public ::testing::TestWithParam<MalformedCase> {};

TEST_P(GetSliRequestMalformed, ErrorNamesFieldExpectedAndFound) {
  const auto& c = GetParam();
  auto data = lighthouse_data();
  data[json::json_pointer(c.pointer)] = c.value;
  const auto request = parse_get_sli_request(data);
  ASSERT_FALSE(request.ok());
  EXPECT_NE(request.error.find(std::string("field '") + c.field + "'"), std::string::npos)
      << request.error;
  EXPECT_NE(request.error.find(c.expected), std::string::npos) << request.error;
  EXPECT_NE(request.error.find("found " + std::string(c.value.type_name())), std::string::npos)
      << request.error;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, GetSliRequestMalformed,
    ::testing::Values(
        MalformedCase{"project", "/project", 5, "project", "a string"},
        MalformedCase{"labels", "/labels", json::array({1}), "labels", "an object"},
        MalformedCase{"label_value", "/labels/version", 1.5, "labels.version", "a string"},
        MalformedCase{"deployment", "/deployment", json::object({{"deploymentNames", {"a"}}}),
                      "deployment", "a string"},
        MalformedCase{"get_sli", "/get-sli", "text", "get-sli", "an object"},
        MalformedCase{"start", "/get-sli/start", 1683195600, "get-sli.start", "a string"},
        MalformedCase{"indicators", "/get-sli/indicators", "throughput", "get-sli.indicators",
                      "a list"},
        MalformedCase{"indicator", "/get-sli/indicators/1", 42, "get-sli.indicators[1]",
                      "an indicator name"},
        MalformedCase{"filters", "/get-sli/customFilters", json::object(), "get-sli.customFilters",
                      "a list"},
        MalformedCase{"filter", "/get-sli/customFilters/0", "handler=x", "get-sli.customFilters[0]",
                      "an object"},
        MalformedCase{"filter_value", "/get-sli/customFilters/0/value", true,
                      "get-sli.customFilters[0].value", "a string"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(GetSliRequest, DataThatIsNotAnObjectIsRefused) {
  const auto request = parse_get_sli_request(json::array());
  ASSERT_FALSE(request.ok());
  EXPECT_NE(request.error.find("field 'data'"), std::string::npos);
}

TEST(GetSliRequest, MissingGetSliIsRefused) {
  auto data = lighthouse_data();
  data.erase("get-sli");
  const auto request = parse_get_sli_request(data);
  ASSERT_FALSE(request.ok());
  EXPECT_NE(request.error.find("field 'get-sli': missing"), std::string::npos);
}

}  // namespace
}  // namespace kph::plugins::prometheus_sli
