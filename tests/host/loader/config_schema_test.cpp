#include "loader/config_schema.hpp"

#include <gtest/gtest.h>

#include "loader/plugin_library.hpp"

namespace kph::host {
namespace {

const nlohmann::json kSchema = nlohmann::json::parse(R"({
  "type": "object",
  "additionalProperties": false,
  "required": ["url"],
  "properties": {
    "url": {"type": "string", "pattern": "^https?://"},
    "retries": {"type": "integer", "minimum": 0, "maximum": 10, "default": 3},
    "mode": {"enum": ["fast", "safe"]},
    "labels": {"type": "array", "items": {"type": "string"}},
    "auth": {
      "type": "object",
      "properties": {"token/file": {"type": "string"}},
      "required": ["token/file"]
    }
  }
})");

std::shared_ptr<const ConfigSchema> compiled() {
  auto schema = ConfigSchema::compile(kSchema);
  if (!schema) ADD_FAILURE() << schema.error().message;
  return schema.value();
}

TEST(ConfigSchema, AcceptsAValidConfig) {
  const auto schema = compiled();
  const auto status = schema->validate(
      {{"url", "https://x"}, {"retries", 2}, {"labels", {"a"}}, {"auth", {{"token/file", "/t"}}}});
  EXPECT_TRUE(status.ok()) << status.error().message;
}

TEST(ConfigSchema, NamesEachOffendingValueByJsonPointer) {
  const auto schema = compiled();
  const auto status = schema->validate({{"url", "ftp://x"},
                                        {"retries", 11},
                                        {"mode", "slow"},
                                        {"labels", {"a", 7}},
                                        {"auth", nlohmann::json::object()},
                                        {"extra", true}});
  ASSERT_FALSE(status.ok());
  const auto& message = status.error().message;
  EXPECT_NE(message.find("at /url (found \"ftp://x\")"), std::string::npos) << message;
  EXPECT_NE(message.find("at /retries (found 11)"), std::string::npos) << message;
  EXPECT_NE(message.find("at /mode (found \"slow\")"), std::string::npos) << message;
  EXPECT_NE(message.find("at /labels/1 (found 7)"), std::string::npos) << message;
  EXPECT_NE(message.find("at /auth: "), std::string::npos) << message;
  EXPECT_NE(message.find("token/file"), std::string::npos) << message;
  EXPECT_NE(message.find("extra"), std::string::npos) << message;
  // The summaries valijson adds for enclosing values are left out.
  EXPECT_EQ(message.find("at /labels (found"), std::string::npos) << message;
}

TEST(ConfigSchema, ReportsAMissingRequiredPropertyAtTheRoot) {
  const auto status = compiled()->validate(nlohmann::json::object());
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message.find("at (root)"), std::string::npos) << status.error().message;
  EXPECT_NE(status.error().message.find("url"), std::string::npos) << status.error().message;
}

TEST(ConfigSchema, RefusesAWrongTypeAtTheRoot) {
  const auto status = compiled()->validate(nlohmann::json::array({1, 2}));
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message.find("at (root) (found [1,2])"), std::string::npos)
      << status.error().message;
}

TEST(ConfigSchema, RefusesABrokenSchema) {
  for (const auto& broken : {nlohmann::json{{"type", 5}}, nlohmann::json{{"required", "x"}},
                             nlohmann::json{{"$ref", "#/definitions/missing"}},
                             nlohmann::json{{"$ref", "http://example.com/remote.json"}}}) {
    EXPECT_FALSE(ConfigSchema::compile(broken).ok()) << broken.dump();
  }
}

TEST(ConfigSchema, PointerEscapesSlashAndTilde) {
  EXPECT_EQ(json_pointer_from_context({"<root>", "[a/b]", "[c~d]", "[0]"}), "/a~1b/c~0d/0");
  EXPECT_EQ(json_pointer_from_context({"<root>"}), "");
}

TEST(ConfigSchema, DescribeValueTruncatesLongValues) {
  const std::string text = describe_json_value(std::string(200, 'x'));
  EXPECT_LT(text.size(), 80u);
  EXPECT_NE(text.find("..."), std::string::npos);
}

TEST(ConfigSchema, InvalidUtf8InAnOffendingValueIsShownNotThrown) {
  auto schema = ConfigSchema::compile({{"properties", {{"name", {{"type", "integer"}}}}}});
  ASSERT_TRUE(schema.ok());
  const auto status = schema.value()->validate({{"name", std::string("bad \xff byte")}});
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message.find("at /name (found \"bad "), std::string::npos)
      << status.error().message;
}

TEST(ConfigSchema, LibraryWithoutSchemaAcceptsAnyObjectButNothingElse) {
  PluginMetadata meta;
  meta.name = "demo";
  const PluginLibrary library("/p/demo.so", PluginHooks{}, meta, nullptr);
  EXPECT_TRUE(library.validate_config({{"anything", 1}}, "host.yaml:3:5: plugins[0].config").ok());
  const auto status = library.validate_config("text", "host.yaml:3:5: plugins[0].config");
  ASSERT_FALSE(status.ok());
  const auto& message = status.error().message;
  EXPECT_NE(message.find("host.yaml:3:5: plugins[0].config"), std::string::npos) << message;
  EXPECT_NE(message.find("/p/demo.so"), std::string::npos) << message;
  EXPECT_NE(message.find("found \"text\""), std::string::npos) << message;
  EXPECT_NE(message.find("Fix: "), std::string::npos) << message;
}

}  // namespace
}  // namespace kph::host
