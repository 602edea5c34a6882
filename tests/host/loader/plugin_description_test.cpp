#include <gtest/gtest.h>

#include <kph/plugin_api.h>

#include "loader/plugin_library.hpp"

namespace kph::host {
namespace {

kph_result fake_accept(kph_plugin_state*, kph_task_id, const char*, size_t, uint32_t*) {
  return KPH_OK;
}

PluginLibrary make_library(nlohmann::json schema) {
  PluginMetadata meta;
  meta.name = "hello";
  meta.version = "1.2.3";
  meta.vendor = "Example | Co";
  meta.description = "Says hello.";
  meta.subscriptions = {"sh.keptn.event.hello.triggered", "sh.keptn.event.*.hi.triggered"};
  meta.config_schema = std::move(schema);
  meta.max_concurrency = 2;
  meta.resumable = true;
  meta.required_api_version = "1.0.0";
  PluginHooks hooks;
  hooks.accept_task = &fake_accept;
  return PluginLibrary("/p/hello.so", hooks, meta, nullptr);
}

const nlohmann::json kSchema = nlohmann::json::parse(R"({
  "type": "object",
  "required": ["greeting"],
  "properties": {
    "greeting": {"type": "string", "default": "hi", "description": "What to say.\nTwice."},
    "level": {"enum": ["info", "warn"]},
    "tags": {"type": "array", "items": {"type": "string"}},
    "auth": {"type": ["object", "null"], "title": "Credentials",
             "properties": {"token": {"type": "string"}}, "required": ["token"]}
  }
})");

TEST(PluginDescription, JsonHasEveryField) {
  const auto json = describe_plugin(make_library(kSchema));
  EXPECT_EQ(json["file"], "/p/hello.so");
  EXPECT_EQ(json["name"], "hello");
  EXPECT_EQ(json["version"], "1.2.3");
  EXPECT_EQ(json["vendor"], "Example | Co");
  EXPECT_EQ(json["description"], "Says hello.");
  EXPECT_EQ(json["requiredApiVersion"], "1.0.0");
  EXPECT_EQ(json["hostApiVersion"], KPH_PLUGIN_API_VERSION_STR);
  EXPECT_EQ(json["subscriptions"].size(), 2u);
  EXPECT_EQ(json["configSchema"], kSchema);
  EXPECT_EQ(json["maxConcurrency"], 2);
  EXPECT_EQ(json["resumable"], true);
  EXPECT_EQ(json["hooks"],
            (nlohmann::json{{"acceptTask", true}, {"onChildEvent", false}, {"cancelTask", false}}));
}

TEST(PluginDescription, JsonUsesNullForAbsentOptionalFields) {
  PluginMetadata meta;
  meta.name = "bare";
  const auto json = describe_plugin(PluginLibrary("/p/bare.so", PluginHooks{}, meta, nullptr));
  EXPECT_TRUE(json["configSchema"].is_null());
  EXPECT_TRUE(json["maxConcurrency"].is_null());
  EXPECT_EQ(json["resumable"], false);
}

TEST(PluginDescription, MarkdownHasTablesOfMetadataSubscriptionsAndFields) {
  const auto md = describe_plugin_markdown(make_library(kSchema));
  EXPECT_NE(md.find("## hello\n"), std::string::npos) << md;
  EXPECT_NE(md.find("| Vendor | Example \\| Co |"), std::string::npos) << md;
  EXPECT_NE(md.find("| Max concurrency | 2 |"), std::string::npos) << md;
  EXPECT_NE(md.find("| Resumable | yes |"), std::string::npos) << md;
  EXPECT_NE(md.find("`kph_plugin_accept_task`"), std::string::npos) << md;
  EXPECT_NE(md.find("- `sh.keptn.event.hello.triggered`"), std::string::npos) << md;
  EXPECT_NE(md.find("- `sh.keptn.event.*.hi.triggered`"), std::string::npos) << md;
  EXPECT_NE(md.find("| Field | Type | Default | Required | Description |"), std::string::npos);
  EXPECT_NE(md.find("| `greeting` | string | `\"hi\"` | yes | What to say. Twice. |"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| `level` | one of \"info\", \"warn\" |  | no |  |"), std::string::npos) << md;
  EXPECT_NE(md.find("| `tags` | array of string |"), std::string::npos) << md;
  EXPECT_NE(md.find("| `auth` | object or null |  | no | Credentials |"), std::string::npos) << md;
  EXPECT_NE(md.find("| `auth.token` | string |  | yes |  |"), std::string::npos) << md;
}

TEST(PluginDescription, MarkdownSaysWhenThereIsNoSchemaOrNoField) {
  EXPECT_NE(describe_plugin_markdown(make_library(nullptr)).find("declares no config schema"),
            std::string::npos);
  EXPECT_NE(describe_plugin_markdown(make_library({{"type", "object"}})).find("lists no fields"),
            std::string::npos);
}

}  // namespace
}  // namespace kph::host
