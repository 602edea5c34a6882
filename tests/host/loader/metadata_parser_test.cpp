#include "loader/metadata_parser.hpp"

#include <gtest/gtest.h>

namespace kph::host {
namespace {

const char* const kFile = "/opt/plugins/hello.so";

nlohmann::json valid() {
  return {{"name", "hello-world"},
          {"version", "1.2.3"},
          {"vendor", "Example Inc."},
          {"description", "Says hello"},
          {"subscriptions", {"sh.keptn.event.hello.triggered"}}};
}

Result<ParsedMetadata> parse(const nlohmann::json& json) {
  const std::string text = json.dump();
  return parse_plugin_metadata(kFile, text.c_str());
}

// Every refusal names the file, the field, and tells the fix.
void expect_refusal(const Result<ParsedMetadata>& result, const std::string& field,
                    const std::string& found) {
  ASSERT_FALSE(result.ok()) << "expected a refusal about " << field;
  const auto& message = result.error().message;
  EXPECT_NE(message.find(kFile), std::string::npos) << message;
  EXPECT_NE(message.find("\"" + field + "\": expected"), std::string::npos) << message;
  EXPECT_NE(message.find("found " + found), std::string::npos) << message;
  EXPECT_NE(message.find("Fix: "), std::string::npos) << message;
}

TEST(MetadataParser, ReadsAValidMinimalObject) {
  auto json = valid();
  json.erase("description");
  const auto result = parse(json);
  ASSERT_TRUE(result.ok()) << result.error().message;
  const auto& meta = result->metadata;
  EXPECT_EQ(meta.name, "hello-world");
  EXPECT_EQ(meta.version, "1.2.3");
  EXPECT_EQ(meta.vendor, "Example Inc.");
  EXPECT_EQ(meta.description, "");
  EXPECT_EQ(meta.subscriptions, std::vector<std::string>{"sh.keptn.event.hello.triggered"});
  EXPECT_TRUE(meta.config_schema.is_null());
  EXPECT_FALSE(meta.max_concurrency.has_value());
  EXPECT_FALSE(meta.resumable);
  EXPECT_EQ(result->schema, nullptr);
}

TEST(MetadataParser, ReadsEveryOptionalField) {
  auto json = valid();
  json["configSchema"] = {{"type", "object"}, {"properties", {{"greeting", {{"type", "string"}}}}}};
  json["maxConcurrency"] = 8;
  json["resumable"] = true;
  json["homepage"] = "https://example.com";  // unknown keys are the plugin's business
  const auto result = parse(json);
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result->metadata.config_schema, json["configSchema"]);
  EXPECT_NE(result->schema, nullptr);
  EXPECT_EQ(result->metadata.max_concurrency, 8u);
  EXPECT_TRUE(result->metadata.resumable);
}

TEST(MetadataParser, AcceptsAnIntegralFloatForMaxConcurrency) {
  auto json = valid();
  json["maxConcurrency"] = 4.0;
  const auto result = parse(json);
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result->metadata.max_concurrency, 4u);
}

TEST(MetadataParser, RefusesNull) {
  const auto result = parse_plugin_metadata(kFile, nullptr);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("returned NULL"), std::string::npos);
  EXPECT_NE(result.error().message.find(kFile), std::string::npos);
}

TEST(MetadataParser, RefusesTextThatIsNotJson) {
  for (const char* text : {"", "{", "{\"name\": }", "name: hello", "{\"a\":1} trailing"}) {
    const auto result = parse_plugin_metadata(kFile, text);
    ASSERT_FALSE(result.ok()) << text;
    EXPECT_NE(result.error().message.find("not JSON"), std::string::npos) << result.error().message;
    EXPECT_NE(result.error().message.find(kFile), std::string::npos);
  }
}

TEST(MetadataParser, RefusesJsonThatIsNotAnObject) {
  for (const char* text : {"[]", "\"hello\"", "42", "null", "true"}) {
    const auto result = parse_plugin_metadata(kFile, text);
    ASSERT_FALSE(result.ok()) << text;
    EXPECT_NE(result.error().message.find("not an object"), std::string::npos);
    EXPECT_NE(result.error().message.find(std::string("found ") + text), std::string::npos)
        << result.error().message;
  }
}

TEST(MetadataParser, RefusesEachMissingRequiredField) {
  for (const char* field : {"name", "version", "vendor", "subscriptions"}) {
    auto json = valid();
    json.erase(field);
    expect_refusal(parse(json), field, "nothing");
  }
}

TEST(MetadataParser, RefusesBadNames) {
  for (const nlohmann::json& name :
       {nlohmann::json("Hello"), nlohmann::json("hello world"), nlohmann::json("hello_world"),
        nlohmann::json(""), nlohmann::json("héllo"), nlohmann::json("a.b"), nlohmann::json(7),
        nlohmann::json(nullptr)}) {
    auto json = valid();
    json["name"] = name;
    expect_refusal(parse(json), "name", name.dump());
  }
}

TEST(MetadataParser, RefusesBadVersionsAndVendors) {
  for (const nlohmann::json& version :
       {nlohmann::json("1.0"), nlohmann::json("latest"), nlohmann::json(1)}) {
    auto json = valid();
    json["version"] = version;
    expect_refusal(parse(json), "version", version.dump());
  }
  for (const nlohmann::json& vendor : {nlohmann::json(""), nlohmann::json({"x"})}) {
    auto json = valid();
    json["vendor"] = vendor;
    expect_refusal(parse(json), "vendor", vendor.dump());
  }
  auto json = valid();
  json["description"] = 5;
  expect_refusal(parse(json), "description", "5");
}

TEST(MetadataParser, RefusesBadSubscriptions) {
  for (const nlohmann::json& subs : {nlohmann::json("sh.keptn.event.hello.triggered"),
                                     nlohmann::json::array(), nlohmann::json::object()}) {
    auto json = valid();
    json["subscriptions"] = subs;
    expect_refusal(parse(json), "subscriptions", subs.dump());
  }
  auto json = valid();
  json["subscriptions"] = {"sh.keptn.event.a.triggered", 3, ""};
  const auto result = parse(json);
  expect_refusal(result, "subscriptions[1]", "3");
  expect_refusal(result, "subscriptions[2]", "\"\"");
}

TEST(MetadataParser, RefusesBadOptionalFields) {
  const std::pair<const char*, nlohmann::json> cases[] = {
      {"configSchema", "not a schema"},
      {"configSchema", nlohmann::json::array()},
      {"configSchema", true},
      {"maxConcurrency", 0},
      {"maxConcurrency", -3},
      {"maxConcurrency", 1.5},
      {"maxConcurrency", "4"},
      {"maxConcurrency", 4294967296ull},
      {"resumable", "yes"},
      {"resumable", 1},
  };
  for (const auto& [field, value] : cases) {
    auto json = valid();
    json[field] = value;
    expect_refusal(parse(json), field, value.dump());
  }
}

TEST(MetadataParser, RefusesASchemaValijsonCannotCompile) {
  auto json = valid();
  json["configSchema"] = {{"type", "object"}, {"properties", {{"x", {{"minimum", "ten"}}}}}};
  const auto result = parse(json);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("\"configSchema\": expected a valid JSON Schema"),
            std::string::npos)
      << result.error().message;
}

TEST(MetadataParser, RefusesARemoteReferenceInsteadOfFetchingIt) {
  auto json = valid();
  json["configSchema"] = {{"$ref", "https://example.com/schema.json"}};
  const auto result = parse(json);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("configSchema"), std::string::npos);
}

TEST(MetadataParser, ListsEveryDefectAtOnce) {
  const auto result = parse({{"name", "Bad Name"}, {"maxConcurrency", 0}});
  ASSERT_FALSE(result.ok());
  const auto& message = result.error().message;
  EXPECT_NE(message.find("5 defects"), std::string::npos) << message;
  for (const char* field : {"name", "version", "vendor", "subscriptions", "maxConcurrency"}) {
    EXPECT_NE(message.find(std::string("\"") + field + "\""), std::string::npos) << field;
  }
}

TEST(MetadataParser, NamePattern) {
  EXPECT_TRUE(is_valid_plugin_name("lighthouse"));
  EXPECT_TRUE(is_valid_plugin_name("prometheus-sli"));
  EXPECT_TRUE(is_valid_plugin_name("a1-2"));
  EXPECT_FALSE(is_valid_plugin_name(""));
  EXPECT_FALSE(is_valid_plugin_name("A"));
  EXPECT_FALSE(is_valid_plugin_name("a_b"));
  EXPECT_FALSE(is_valid_plugin_name("a/b"));
}

}  // namespace
}  // namespace kph::host
