#include "config/host_config.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>

#include "config_test_support.hpp"

namespace kph::host {
namespace {

using namespace std::chrono_literals;
using testing::ConfigFile;
using testing::load_valid;

TEST(ConfigLocation, ToStringOmitsWhatIsUnknown) {
  EXPECT_EQ((ConfigLocation{"a.yaml", 3, 7}).to_string(), "a.yaml:3:7");
  EXPECT_EQ((ConfigLocation{"a.yaml", 3, 0}).to_string(), "a.yaml:3");
  EXPECT_EQ((ConfigLocation{"a.yaml", 0, 0}).to_string(), "a.yaml");
  EXPECT_EQ((ConfigLocation{"a.yaml", 0, 5}).to_string(), "a.yaml");
  EXPECT_EQ((ConfigLocation{"", 3, 7}).to_string(), "3:7");
  EXPECT_EQ((ConfigLocation{}).to_string(), "");
}

void expect_defaults(const HostConfig& config) {
  EXPECT_EQ(config.control_plane.mode, "local");
  EXPECT_TRUE(config.plugins.empty());
  EXPECT_TRUE(config.routes.empty());
  EXPECT_EQ(config.resources.provider, "local");
  EXPECT_TRUE(config.resources.directory.empty());
  EXPECT_EQ(config.event_store.type, "memory");
  EXPECT_TRUE(config.event_store.path.empty());
  EXPECT_EQ(config.event_store.max_events, 10000u);
}

TEST(LoadHostConfig, EmptyDocumentsMeanEveryDefault) {
  for (const std::string text :
       {"", "\n\n", "# only a comment\n", "---\n", "--- # nothing\n...\n", "{}\n", "~\n",
        "\xEF\xBB\xBF", "controlPlane:\nplugins:\nroutes:\nresources:\neventStore:\n",
        "controlPlane: {}\nplugins: []\nroutes: []\nresources: {}\neventStore: {}\n"}) {
    SCOPED_TRACE(text);
    ConfigFile file(text);
    auto config = load_valid(file);
    EXPECT_EQ(config.file, file.file());
    expect_defaults(config);
  }
}

TEST(LoadHostConfig, ReadsEveryKey) {
  ConfigFile file(R"(# every key, set to something other than its default
controlPlane:
  mode: local
plugins:
  - name: gate
    library: lighthouse
    config:
      compareWith: 3
    maxConcurrency: 8
    queueSize: 512
    taskTimeout: 1h30m
    maxRetries: 0
  - library: prometheus-sli
routes:
  - event: sh.keptn.event.evaluation.triggered
    plugin: gate
    projects: [sockshop, podtato]
    stages: [staging]
    services:
      - carts
  - event: "sh.keptn.event.get-sli.*"
    plugin: prometheus-sli
resources:
  provider: local
  directory: ./resources
eventStore:
  type: file
  path: ../var/events.jsonl
  maxEvents: 500
)");
  const auto config = load_valid(file);
  const auto folder = file.folder();

  ASSERT_EQ(config.plugins.size(), 2u);
  const auto& gate = config.plugins[0];
  EXPECT_EQ(gate.name, "gate");
  EXPECT_EQ(gate.library, "lighthouse");
  EXPECT_EQ(gate.config, nlohmann::json({{"compareWith", 3}}));
  EXPECT_EQ(gate.max_concurrency, 8u);
  EXPECT_EQ(gate.queue_size, 512u);
  EXPECT_EQ(gate.task_timeout, 90min);
  EXPECT_EQ(gate.max_retries, 0u);
  EXPECT_EQ(gate.location.to_string(), file.file().string() + ":5:5");
  EXPECT_EQ(gate.config_location.to_string(), file.file().string() + ":8:7");

  const auto& sli = config.plugins[1];
  EXPECT_EQ(sli.name, "prometheus-sli");
  EXPECT_EQ(sli.library, "prometheus-sli");
  EXPECT_EQ(sli.config, nlohmann::json::object());
  EXPECT_EQ(sli.max_concurrency, 4u);
  EXPECT_FALSE(sli.queue_size.has_value()) << "the mode decides";
  EXPECT_EQ(sli.task_timeout, 10min);
  EXPECT_EQ(sli.max_retries, 3u);
  EXPECT_EQ(sli.location.line, 13);
  EXPECT_EQ(sli.config_location.line, 13);  // no config: the entry itself

  ASSERT_EQ(config.routes.size(), 2u);
  EXPECT_EQ(config.routes[0].event, "sh.keptn.event.evaluation.triggered");
  EXPECT_EQ(config.routes[0].plugin, "gate");
  EXPECT_EQ(config.routes[0].projects, (std::vector<std::string>{"sockshop", "podtato"}));
  EXPECT_EQ(config.routes[0].stages, (std::vector<std::string>{"staging"}));
  EXPECT_EQ(config.routes[0].services, (std::vector<std::string>{"carts"}));
  EXPECT_EQ(config.routes[0].location.to_string(), file.file().string() + ":15:5");
  EXPECT_EQ(config.routes[1].event, "sh.keptn.event.get-sli.*");
  EXPECT_EQ(config.routes[1].plugin, "prometheus-sli");
  EXPECT_TRUE(config.routes[1].projects.empty());

  EXPECT_EQ(config.resources.provider, "local");
  EXPECT_EQ(config.resources.directory, folder / "resources");
  EXPECT_EQ(config.event_store.type, "file");
  EXPECT_EQ(config.event_store.path, folder.parent_path() / "var" / "events.jsonl");
  EXPECT_EQ(config.event_store.max_events, 500u);
}

TEST(LoadHostConfig, FlowStyleAndQuotedValuesReadTheSame) {
  ConfigFile file(
      "{plugins: [{library: 'lighthouse', maxConcurrency: 2, taskTimeout: \"30s\"}],\n"
      " routes: [{event: \"sh.keptn.event.*.triggered\", plugin: lighthouse, "
      "projects: ['a']}]}\n");
  const auto config = load_valid(file);
  ASSERT_EQ(config.plugins.size(), 1u);
  EXPECT_EQ(config.plugins[0].name, "lighthouse");
  EXPECT_EQ(config.plugins[0].max_concurrency, 2u);
  EXPECT_EQ(config.plugins[0].task_timeout, 30s);
  ASSERT_EQ(config.routes.size(), 1u);
  EXPECT_EQ(config.routes[0].event, "sh.keptn.event.*.triggered");
  EXPECT_EQ(config.routes[0].projects, std::vector<std::string>{"a"});
}

TEST(LoadHostConfig, InstanceNameDefaultsToTheStemOfTheLibrary) {
  ConfigFile file(R"(plugins:
  - library: lighthouse
  - library: ./build/plugins/prometheus-sli.so
  - library: /opt/keptn/approval.so
  - library: my-plugin.so
  - library: vendor/libs/custom.v2.so
)");
  const auto config = load_valid(file);
  ASSERT_EQ(config.plugins.size(), 5u);
  EXPECT_EQ(config.plugins[0].name, "lighthouse");
  EXPECT_EQ(config.plugins[1].name, "prometheus-sli");
  EXPECT_EQ(config.plugins[2].name, "approval");
  EXPECT_EQ(config.plugins[3].name, "my-plugin");
  EXPECT_EQ(config.plugins[4].name, "custom.v2");
}

TEST(LoadHostConfig, LibraryPathsResolveAgainstTheConfigFolderAndNamesStayNames) {
  ConfigFile file(R"(plugins:
  - library: lighthouse
  - library: ./build/plugins/prometheus-sli.so
  - library: /opt/keptn/approval.so
  - library: my-plugin.so
  - library: ../lib/keptn/plugins/x
)");
  const auto config = load_valid(file);
  const auto folder = file.folder();
  ASSERT_EQ(config.plugins.size(), 5u);
  EXPECT_EQ(config.plugins[0].library, "lighthouse");
  EXPECT_EQ(config.plugins[1].library, (folder / "build/plugins/prometheus-sli.so").string());
  EXPECT_EQ(config.plugins[2].library, "/opt/keptn/approval.so");
  EXPECT_EQ(config.plugins[3].library, (folder / "my-plugin.so").string());
  EXPECT_EQ(config.plugins[4].library, (folder.parent_path() / "lib/keptn/plugins/x").string());
  for (const auto& plugin : config.plugins) {
    if (plugin.library.find('/') != std::string::npos) {
      EXPECT_TRUE(std::filesystem::path(plugin.library).is_absolute()) << plugin.library;
    }
  }
}

TEST(LoadHostConfig, PathsResolveAgainstTheConfigFolderWhenTheFileIsNamedRelatively) {
  ConfigFile file(
      "plugins:\n  - library: p/x.so\nresources:\n  directory: res\n"
      "eventStore:\n  type: file\n  path: /var/lib/events.jsonl\n");
  const auto relative = std::filesystem::relative(file.file());
  ASSERT_TRUE(relative.is_relative());
  auto config = load_host_config(relative);
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->file, relative);
  const auto folder = std::filesystem::weakly_canonical(file.folder());
  EXPECT_EQ(std::filesystem::weakly_canonical(config->plugins[0].library), folder / "p/x.so");
  EXPECT_TRUE(std::filesystem::path(config->plugins[0].library).is_absolute());
  EXPECT_TRUE(config->resources.directory.is_absolute());
  EXPECT_EQ(std::filesystem::weakly_canonical(config->resources.directory), folder / "res");
  EXPECT_EQ(config->event_store.path, "/var/lib/events.jsonl");
}

TEST(LoadHostConfig, PluginConfigKeepsTheYamlTypes) {
  ConfigFile file(R"(plugins:
  - library: lighthouse
    config:
      int: 42
      negative: -7
      hex: 0x1F
      octal: 0o17
      big: 18446744073709551615
      smallest: -9223372036854775808
      float: 2.5
      exponent: 1e3
      leadingDot: .5
      yes: true
      no: False
      nothing: ~
      empty:
      word: null
      quotedNumber: "42"
      quotedBool: 'true'
      quotedNull: "null"
      yamlOneOneBool: yes
      version: 1.10
      text: hello world
      block: |
        line one
        line two
      taggedString: !!str 5
      taggedFloat: !!float 3
      taggedInt: !!int "12"
      list: [1, two, 3.0, [nested], {k: v}]
      map:
        inner:
          deep: [true]
      1: numeric key
      anchored: &shared {a: 1}
      aliased: *shared
      unicode: "caf\u00e9 ☕"
)");
  const auto config = load_valid(file);
  ASSERT_EQ(config.plugins.size(), 1u);
  const auto& json = config.plugins[0].config;
  EXPECT_EQ(json["int"], 42);
  EXPECT_TRUE(json["int"].is_number_integer());
  EXPECT_EQ(json["negative"], -7);
  EXPECT_EQ(json["hex"], 31);
  EXPECT_EQ(json["octal"], 15);
  EXPECT_EQ(json["big"].get<uint64_t>(), 18446744073709551615ull);
  EXPECT_EQ(json["smallest"].get<int64_t>(), INT64_MIN);
  EXPECT_TRUE(json["float"].is_number_float());
  EXPECT_DOUBLE_EQ(json["float"].get<double>(), 2.5);
  EXPECT_DOUBLE_EQ(json["exponent"].get<double>(), 1000.0);
  EXPECT_DOUBLE_EQ(json["leadingDot"].get<double>(), 0.5);
  EXPECT_EQ(json["yes"], true);
  EXPECT_EQ(json["no"], false);
  EXPECT_TRUE(json["nothing"].is_null());
  EXPECT_TRUE(json["empty"].is_null());
  EXPECT_TRUE(json["word"].is_null());
  EXPECT_EQ(json["quotedNumber"], "42");
  EXPECT_EQ(json["quotedBool"], "true");
  EXPECT_EQ(json["quotedNull"], "null");
  EXPECT_EQ(json["yamlOneOneBool"], "yes");  // YAML 1.2: only true/false are booleans
  EXPECT_TRUE(json["version"].is_number_float());
  EXPECT_EQ(json["text"], "hello world");
  EXPECT_EQ(json["block"], "line one\nline two\n");
  EXPECT_EQ(json["taggedString"], "5");
  EXPECT_TRUE(json["taggedFloat"].is_number_float());
  EXPECT_EQ(json["taggedInt"], 12);
  EXPECT_EQ(json["list"], nlohmann::json::parse(R"([1, "two", 3.0, ["nested"], {"k": "v"}])"));
  EXPECT_EQ(json["map"], nlohmann::json::parse(R"({"inner": {"deep": [true]}})"));
  EXPECT_EQ(json["1"], "numeric key");
  EXPECT_EQ(json["aliased"], json["anchored"]);
  EXPECT_EQ(json["aliased"], nlohmann::json({{"a", 1}}));
  EXPECT_EQ(json["unicode"], "caf\xc3\xa9 \xe2\x98\x95");
  EXPECT_NO_THROW((void)json.dump());
}

TEST(LoadHostConfig, ConfigWithoutValueIsAnEmptyObject) {
  ConfigFile file("plugins:\n  - library: approval\n    config:\n");
  const auto config = load_valid(file);
  ASSERT_EQ(config.plugins.size(), 1u);
  EXPECT_EQ(config.plugins[0].config, nlohmann::json::object());
}

TEST(LoadHostConfig, LimitsAtTheirEdgesAreAccepted) {
  ConfigFile file(R"(plugins:
  - library: a
    maxConcurrency: 1
    queueSize: 1
    maxRetries: 0
    taskTimeout: 1ms
  - library: b
    maxConcurrency: 1024
    queueSize: 1048576
    maxRetries: 1000
    taskTimeout: 876000h
eventStore:
  maxEvents: 10000000
)");
  const auto config = load_valid(file);
  ASSERT_EQ(config.plugins.size(), 2u);
  EXPECT_EQ(config.plugins[0].task_timeout, 1ms);
  EXPECT_EQ(config.plugins[1].max_concurrency, 1024u);
  EXPECT_EQ(config.plugins[1].queue_size, 1048576u);
  EXPECT_EQ(config.plugins[1].max_retries, 1000u);
  EXPECT_EQ(config.event_store.max_events, 10000000u);
}

TEST(LoadHostConfig, TheSameLibraryRunsAsSeveralNamedInstances) {
  ConfigFile file(R"(plugins:
  - {name: gate-prod, library: lighthouse}
  - {name: gate-dev, library: lighthouse}
routes:
  - {event: sh.keptn.event.evaluation.triggered, plugin: gate-prod, stages: [prod]}
  - {event: sh.keptn.event.evaluation.triggered, plugin: gate-dev}
)");
  const auto config = load_valid(file);
  ASSERT_EQ(config.plugins.size(), 2u);
  EXPECT_EQ(config.plugins[0].name, "gate-prod");
  EXPECT_EQ(config.plugins[1].name, "gate-dev");
  EXPECT_EQ(config.routes[1].plugin, "gate-dev");
}

TEST(LoadHostConfig, WindowsLineEndingsAndAByteOrderMarkAreFine) {
  ConfigFile file("\xEF\xBB\xBFplugins:\r\n  - library: lighthouse\r\n    maxRetries: 2\r\n");
  const auto config = load_valid(file);
  ASSERT_EQ(config.plugins.size(), 1u);
  EXPECT_EQ(config.plugins[0].max_retries, 2u);
  EXPECT_EQ(config.plugins[0].location.to_string(), file.file().string() + ":2:5");
}

}  // namespace
}  // namespace kph::host
