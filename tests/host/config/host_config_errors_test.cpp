// Malformed configs: each must be refused with one message that names the exact place, what
// is wrong, what was expected, what was found, and what to do.
#include <gtest/gtest.h>

#include <unistd.h>

#include <regex>
#include <string>
#include <vector>

#include "config/host_config.hpp"
#include "config_test_support.hpp"

namespace kph::host {
namespace {

using testing::ConfigFile;
using testing::expect_one_error;
using testing::load_errors;
using testing::MalformedConfig;

// A valid plugin list to hang other mistakes on.
const std::string kPlugins = "plugins:\n  - library: lighthouse\n";

const std::vector<MalformedConfig> kMalformed = {
    // the document and its sections
    {"top-level scalar", "hello\n", "1:1", {"the document is not a mapping", "found \"hello\""}},
    {"top-level list", "- plugins\n", "1:1", {"the document is not a mapping", "found a list"}},
    {"top-level number", "42\n", "1:1", {"not a mapping", "found 42"}},
    {"unknown top-level key",
     "plugin:\n  - library: x\n",
     "1:1",
     {"unknown key \"plugin\" at the top level", "expected one of controlPlane, plugins",
      "found \"plugin\"", "did you mean plugins?"}},
    {"snake_case top-level key",
     "event_store:\n  type: memory\n",
     "1:1",
     {"unknown key \"event_store\"", "did you mean eventStore?"}},
    {"unknown key without a near match",
     "colour: blue\n",
     "1:1",
     {"unknown key \"colour\"", "remove it, or correct its spelling"}},
    {"repeated top-level key",
     "routes: []\nroutes: []\n",
     "2:1",
     {"routes is given twice", "the first is at line 1", "remove one of them"}},
    {"key that is a list",
     "? [a, b]\n: c\n",
     "1:3",
     {"a key at the top level is not a name", "found a list"}},
    {"section of the wrong type",
     "controlPlane: local\n",
     "1:15",
     {"controlPlane is not a mapping", "found \"local\"", "controlPlane: {mode: local}"}},
    {"plugins as a mapping",
     "plugins:\n  lighthouse: {}\n",
     "2:3",
     {"plugins is not a list", "found a mapping", "- library: lighthouse"}},
    {"routes as a scalar",
     kPlugins + "routes: lighthouse\n",
     "3:9",
     {"routes is not a list", "found \"lighthouse\""}},

    // controlPlane
    {"nats block in local mode",
     "controlPlane:\n  mode: local\n  nats: {stream: keptn}\n",
     "3:9",
     {"controlPlane.nats is set but the mode is local", "found mode: local", "add mode: nats"}},
    {"api mode", "controlPlane:\n  mode: api\n", "2:9", {"api is not in this build yet"}},
    {"unknown mode",
     "controlPlane:\n  mode: cloud\n",
     "2:9",
     {"controlPlane.mode is unknown", "found \"cloud\"", "use mode: local"}},
    {"mode without value",
     "controlPlane:\n  mode:\n",
     "2:3",
     {"controlPlane.mode has no value", "found no value", "mode: local"}},
    {"unknown controlPlane key",
     "controlPlane:\n  url: nats://x\n",
     "2:3",
     {"unknown key \"url\" in controlPlane", "expected one of mode or nats, found \"url\""}},

    // plugins
    {"plugin given as a bare name",
     "plugins:\n  - lighthouse\n",
     "2:5",
     {"plugins[0] is not a mapping", "found \"lighthouse\"", "write - library: lighthouse"}},
    {"plugin without library",
     "plugins:\n  - name: gate\n    maxRetries: 1\n",
     "2:5",
     {"plugins[0] has no library", "found only name and maxRetries", "add library:"}},
    {"empty plugin entry",
     "plugins:\n  -\n  - library: x\n",
     "2:3",
     {"plugins[0] has no library", "found an empty entry"}},
    {"empty library",
     "plugins:\n  - library: \"\"\n",
     "2:14",
     {"plugins[0].library is empty", "found \"\"", "write e.g. library: lighthouse"}},
    {"library as a list",
     "plugins:\n  - library: [a]\n",
     "2:14",
     {"plugins[0].library has the wrong type", "found a list"}},
    {"library that is neither a name nor a path",
     "plugins:\n  - library: light house\n",
     "2:14",
     {"plugins[0].library is neither a plugin name nor a path to a .so", "found \"light house\""}},
    {"misspelt plugin key",
     "plugins:\n  - library: x\n    maxConcurency: 4\n",
     "3:5",
     {"unknown key \"maxConcurency\" in plugins[0]",
      "expected one of name, library, config, maxConcurrency, queueSize, taskTimeout or "
      "maxRetries",
      "found \"maxConcurency\"", "did you mean maxConcurrency?"}},
    {"snake_case plugin key",
     "plugins:\n  - library: x\n    task_timeout: 5m\n",
     "3:5",
     {"unknown key \"task_timeout\"", "did you mean taskTimeout?"}},
    {"partial plugin key",
     "plugins:\n  - library: x\n    timeout: 5m\n",
     "3:5",
     {"did you mean taskTimeout?"}},
    {"repeated plugin key",
     "plugins:\n  - library: x\n    library: y\n",
     "3:5",
     {"plugins[0].library is given twice", "the first is at line 2"}},
    {"invalid instance name",
     "plugins:\n  - name: my gate\n    library: x\n",
     "2:11",
     {"plugins[0].name is not a valid name", "letters, digits", "found \"my gate\""}},
    {"instance name starting with a dash",
     "plugins:\n  - name: -x\n    library: x\n",
     "2:11",
     {"is not a valid name"}},
    {"default name from an unusable file name",
     "plugins:\n  - library: \"./My Plugin.so\"\n",
     "2:14",
     {"the instance name taken from plugins[0].library is not valid", "found \"My Plugin\"",
      "add name:"}},
    {"duplicate instance names",
     "plugins:\n  - name: gate\n    library: lighthouse\n  - name: gate\n    library: x.so\n",
     "4:11",
     {"plugins[1] uses the instance name \"gate\" again", "a unique name",
      "the name of plugins[0] (line 2)", "name: gate-2"}},
    {"duplicate default instance names",
     "plugins:\n  - library: lighthouse\n  - library: ./other/lighthouse.so\n",
     "3:5",
     {"plugins[1] uses the instance name \"lighthouse\" again", "plugins[0] (line 2)"}},
    {"maxConcurrency zero",
     "plugins:\n  - library: x\n    maxConcurrency: 0\n",
     "3:21",
     {"plugins[0].maxConcurrency is out of range", "expected an integer from 1 to 1024", "found 0",
      "use a value from 1 to 1024"}},
    {"maxConcurrency too large",
     "plugins:\n  - library: x\n    maxConcurrency: 40000\n",
     "3:21",
     {"out of range", "found 40000"}},
    {"maxConcurrency quoted",
     "plugins:\n  - library: x\n    maxConcurrency: \"4\"\n",
     "3:21",
     {"plugins[0].maxConcurrency is not an integer", "found \"4\" (quoted, so a string)",
      "write the number without quotes"}},
    {"maxConcurrency fraction",
     "plugins:\n  - library: x\n    maxConcurrency: 2.5\n",
     "3:21",
     {"is not an integer", "found 2.5", "write e.g. maxConcurrency: 4"}},
    {"maxConcurrency word",
     "plugins:\n  - library: x\n    maxConcurrency: many\n",
     "3:21",
     {"is not an integer", "found \"many\""}},
    {"maxConcurrency list",
     "plugins:\n  - library: x\n    maxConcurrency: [4]\n",
     "3:21",
     {"plugins[0].maxConcurrency has the wrong type", "found a list"}},
    {"maxConcurrency without value",
     "plugins:\n  - library: x\n    maxConcurrency:\n",
     "3:5",
     {"plugins[0].maxConcurrency has no value", "found no value"}},
    {"queueSize huge",
     "plugins:\n  - library: x\n    queueSize: 99999999999999999999999\n",
     "3:16",
     {"plugins[0].queueSize is an integer too large for JSON"}},
    {"queueSize negative",
     "plugins:\n  - library: x\n    queueSize: -1\n",
     "3:16",
     {"queueSize is out of range", "from 1 to 1048576", "found -1"}},
    {"maxRetries negative",
     "plugins:\n  - library: x\n    maxRetries: -1\n",
     "3:17",
     {"maxRetries is out of range", "from 0 to 1000"}},
    {"maxRetries boolean",
     "plugins:\n  - library: x\n    maxRetries: true\n",
     "3:17",
     {"is not an integer", "found true"}},
    {"taskTimeout unknown unit",
     "plugins:\n  - library: x\n    taskTimeout: 10x\n",
     "3:18",
     {"plugins[0].taskTimeout is not a valid duration: unknown unit \"x\"",
      "expected a duration such as 500ms, 30s, 10m or 1h30m", "found \"10x\"",
      "use h, m, s or ms"}},
    {"taskTimeout without unit",
     "plugins:\n  - library: x\n    taskTimeout: 600\n",
     "3:18",
     {"the number 600 has no unit", "e.g. 600s"}},
    {"taskTimeout negative",
     "plugins:\n  - library: x\n    taskTimeout: -5s\n",
     "3:18",
     {"negative durations are not allowed"}},
    {"taskTimeout zero",
     "plugins:\n  - library: x\n    taskTimeout: 0s\n",
     "3:18",
     {"plugins[0].taskTimeout is zero", "longer than zero", "taskTimeout: 10m"}},
    {"taskTimeout fraction",
     "plugins:\n  - library: x\n    taskTimeout: 1.5h\n",
     "3:18",
     {"fractions are not supported"}},
    {"taskTimeout too long",
     "plugins:\n  - library: x\n    taskTimeout: 99999999h\n",
     "3:18",
     {"longer than the 876000h"}},
    {"taskTimeout mapping",
     "plugins:\n  - library: x\n    taskTimeout: {m: 5}\n",
     "3:18",
     {"taskTimeout has the wrong type", "found a mapping"}},

    // plugin config
    {"config as a list",
     "plugins:\n  - library: x\n    config: [a]\n",
     "3:13",
     {"plugins[0].config is not a mapping", "found a list", "{} for none"}},
    {"config as a scalar",
     "plugins:\n  - library: x\n    config: none\n",
     "3:13",
     {"plugins[0].config is not a mapping", "found \"none\""}},
    {"config infinity",
     "plugins:\n  - library: x\n    config:\n      limit: .inf\n",
     "4:14",
     {"plugins[0].config.limit is infinity or not-a-number, which JSON cannot hold", "quote it"}},
    {"config not-a-number",
     "plugins:\n  - library: x\n    config: {a: [1, .nan]}\n",
     "3:21",
     {"plugins[0].config.a[1] is infinity or not-a-number"}},
    {"config integer out of range",
     "plugins:\n  - library: x\n    config:\n      n: -99999999999999999999\n",
     "4:10",
     {"plugins[0].config.n is an integer too small for JSON (the range is -2^63 to 2^64-1)"}},
    {"config float out of range",
     "plugins:\n  - library: x\n    config:\n      n: 1e999\n",
     "4:10",
     {"plugins[0].config.n is a number too large for JSON"}},
    {"config wrong explicit tag",
     "plugins:\n  - library: x\n    config:\n      n: !!int abc\n",
     "4:10",
     {"plugins[0].config.n is tagged !!int but is not an integer", "found !!int \"abc\""}},
    {"config bool tag",
     "plugins:\n  - library: x\n    config:\n      n: !!bool maybe\n",
     "4:10",
     {"is tagged !!bool but is neither true nor false"}},
    {"config custom tag",
     "plugins:\n  - library: x\n    config:\n      n: !secret abc\n",
     "4:10",
     {"plugins[0].config.n has the tag \"!secret\", which this host does not support",
      "found the tag \"!secret\" on \"abc\""}},
    {"config list key",
     "plugins:\n  - library: x\n    config:\n      ? [a]\n      : b\n",
     "4:9",
     {"a key in plugins[0].config is not a single value", "found a list"}},
    {"config repeated key",
     "plugins:\n  - library: x\n    config:\n      a: 1\n      a: 2\n",
     "5:7",
     {"plugins[0].config.a is given twice"}},
    {"config key that is not a word",
     "plugins:\n  - library: x\n    config:\n      \"a\\nb\": {c: .inf}\n",
     "4:19",
     {"plugins[0].config[\"a\\nb\"].c is infinity"}},
    {"config alias to itself",
     "plugins:\n  - library: x\n    config: &loop\n      self: *loop\n",
     "4:7",
     {"plugins[0].config.self contains itself through an alias"}},

    // routes
    {"route without event",
     kPlugins + "routes:\n  - plugin: lighthouse\n",
     "4:5",
     {"routes[0] has no event", "found no event: key",
      "add e.g. event: sh.keptn.event.evaluation.triggered"}},
    {"route without plugin",
     kPlugins + "routes:\n  - event: sh.keptn.event.x.triggered\n",
     "4:5",
     {"routes[0] has no plugin", "add e.g. plugin: lighthouse"}},
    {"route naming a misspelt plugin",
     kPlugins + "routes:\n  - event: sh.keptn.event.x.triggered\n    plugin: lighthous\n",
     "5:13",
     {"routes[0].plugin names no configured plugin", "expected one of lighthouse",
      "found \"lighthous\"", "did you mean lighthouse?"}},
    {"route naming an unknown plugin",
     kPlugins + "routes:\n  - event: sh.keptn.event.x.triggered\n    plugin: helm\n",
     "5:13",
     {"names no configured plugin",
      "add a plugin with name: helm under plugins, or use lighthouse"}},
    {"route with no plugins configured",
     "routes:\n  - event: sh.keptn.event.x.triggered\n    plugin: helm\n",
     "3:13",
     {"a plugin instance, but none is configured"}},
    {"route event with a space",
     kPlugins + "routes:\n  - event: sh.keptn.event.x triggered\n    plugin: lighthouse\n",
     "4:12",
     {"routes[0].event contains a space", "found \"sh.keptn.event.x triggered\""}},
    {"route projects as a scalar",
     kPlugins + "routes:\n  - {event: a, plugin: lighthouse, projects: sockshop}\n",
     "4:46",
     {"routes[0].projects is not a list", "expected a list of names", "found \"sockshop\"",
      "projects: [a, b]"}},
    {"route stage that is a list",
     kPlugins + "routes:\n  - {event: a, plugin: lighthouse, stages: [dev, [prod]]}\n",
     "4:50",
     {"routes[0].stages[1] has the wrong type", "expected a name, found a list"}},
    {"route with an empty service",
     kPlugins + "routes:\n  - event: a\n    plugin: lighthouse\n    services:\n      -\n",
     "7:7",
     {"routes[0].services[0] has no value"}},
    {"misspelt route key",
     kPlugins + "routes:\n  - event: a\n    plugin: lighthouse\n    project: [x]\n",
     "6:5",
     {"unknown key \"project\" in routes[0]", "did you mean projects?"}},
    {"route as a scalar",
     kPlugins + "routes:\n  - sh.keptn.event.x.triggered\n",
     "4:5",
     {"routes[0] is not a mapping", "found \"sh.keptn.event.x.triggered\""}},

    // resources
    {"git resources without a repository",
     "resources:\n  provider: git\n",
     "2:13",
     {"resources selects provider git but names no repository", "git: {url:"}},
    {"unknown resources provider",
     "resources:\n  provider: s3\n",
     "2:13",
     {"resources.provider is unknown", "found \"s3\""}},
    {"resources directory as a list",
     "resources:\n  directory: [a]\n",
     "2:14",
     {"resources.directory has the wrong type", "found a list"}},
    {"misspelt resources key",
     "resources:\n  dir: ./x\n",
     "2:3",
     {"unknown key \"dir\" in resources", "expected one of provider, directory"}},

    // eventStore
    {"unknown event store type",
     "eventStore:\n  type: memroy\n",
     "2:9",
     {"eventStore.type is unknown", "expected memory or file", "found \"memroy\"",
      "did you mean memory?"}},
    {"unknown event store type without near match",
     "eventStore:\n  type: redis\n",
     "2:9",
     {"eventStore.type is unknown", "use type: memory or type: file"}},
    {"file event store without path",
     "eventStore:\n  type: file\n",
     "2:3",
     {"eventStore has type file but no path", "add e.g. path: ../var/events.jsonl"}},
    {"memory event store with path",
     "eventStore:\n  type: memory\n  path: x.jsonl\n",
     "3:9",
     {"eventStore.path is set but the type is memory", "add type: file"}},
    {"path without type",
     "eventStore:\n  path: x.jsonl\n",
     "2:9",
     {"eventStore.path is set but the type is memory"}},
    {"maxEvents zero",
     "eventStore:\n  maxEvents: 0\n",
     "2:14",
     {"eventStore.maxEvents is out of range", "from 1 to 10000000"}},

    // YAML syntax
    {"unclosed flow list",
     "plugins: [\n",
     "2:1",
     {"YAML syntax error: end of sequence flow not found", "expected a ']' closing the list",
      "found the end of the file"}},
    {"unclosed flow mapping",
     "controlPlane: {mode: local\n",
     "2:1",
     {"YAML syntax error", "a '}' closing the mapping"}},
    {"tab indentation",
     "controlPlane:\n\tmode: local\n",
     "2:1",
     {"YAML syntax error", "found a tab", "indent with spaces"}},
    {"two values on one line",
     "controlPlane: mode: local\n",
     "1:19",
     {"YAML syntax error: illegal map value", "quote a value that contains ': '"}},
    {"bad indentation",
     "plugins:\n    - library: a\n  - library: b\n",
     "3:3",
     {"YAML syntax error", "same indentation"}},
    {"undefined alias",
     "plugins: *missing\n",
     "1:10",
     {"YAML syntax error: the referenced anchor is not defined", "define the anchor first"}},
    // yaml-cpp 0.7's LoadAll loops forever on these; the loader must answer.
    {"stray comma",
     ",\n",
     "1:1",
     {"YAML syntax error: a ',' outside a [...] list or {...} mapping", "found \",\"",
      "quote the text that holds the ','"}},
    {"comma after a document end",
     "plugins: []\n...\n, x\n",
     "3:1",
     {"a ',' outside", "found \", x\""}},
    {"comma after a document start", "--- ,\n", "1:5", {"a ',' outside"}},
    {"two documents",
     "controlPlane: {mode: local}\n---\nplugins: []\n",
     "2:1",
     {"the file holds more than one YAML document", "expected one document"}},

    // bytes YAML does not allow
    {"NUL byte",
     std::string("plugins:\n  - library: a\0b\n", 25),
     "2:15",
     {"the file contains a control character", "found the byte 0x00 (NUL)",
      "save it as UTF-8 text"}},
    {"bell character",
     "controlPlane:\n  mode: lo\acal\n",
     "2:11",
     {"contains a control character", "found the byte 0x07"}},
    {"invalid UTF-8",
     "controlPlane:\n  mode: caf\xe9\n",
     "2:12",
     {"the file is not valid UTF-8", "found the byte 0xe9"}},
    {"column counts characters",
     "# \xc3\xa9\xc3\xa9\xc3\xa9\nkey: \xc3\xa9\xc3\xa9\xff\n",
     "2:8",
     {"not valid UTF-8"}},
    {"UTF-16 text",
     "\xff\xfe"
     "p\0l\0",
     "1:1",
     {"the file is UTF-16 or UTF-32 text", "save the file as UTF-8"}},
};

TEST(LoadHostConfigErrors, EachMalformedInputNamesPlaceProblemExpectationAndFix) {
  const std::regex form(R"(^.+:\d+:\d+: .+; expected .+, found .+; .+$)");
  for (const auto& c : kMalformed) {
    const std::string message = expect_one_error(c);
    if (!message.empty()) {
      EXPECT_TRUE(std::regex_match(message, form)) << c.name << ": " << message;
    }
  }
}

TEST(LoadHostConfigErrors, EveryProblemIsReportedInFileOrder) {
  ConfigFile file(R"(controlPlane:
  mode: api
plugins:
  - library: lighthouse
    maxConcurency: 4
    taskTimeout: 10x
  - name: lighthouse
    library: x.so
routes:
  - event: sh.keptn.event.evaluation.triggered
    plugin: lighthous
eventStore:
  type: file
extra: 1
)");
  const auto lines = load_errors(file);
  const std::string name = file.file().string();
  ASSERT_EQ(lines.size(), 7u) << ::testing::PrintToString(lines);
  EXPECT_EQ(lines[0].rfind(name + ":2:9: controlPlane.mode api", 0), 0u) << lines[0];
  EXPECT_EQ(lines[1].rfind(name + ":5:5: unknown key \"maxConcurency\"", 0), 0u) << lines[1];
  EXPECT_EQ(lines[2].rfind(name + ":6:18: plugins[0].taskTimeout", 0), 0u) << lines[2];
  EXPECT_EQ(lines[3].rfind(name + ":7:11: plugins[1] uses the instance name", 0), 0u) << lines[3];
  EXPECT_EQ(lines[4].rfind(name + ":11:13: routes[0].plugin names no configured plugin", 0), 0u)
      << lines[4];
  EXPECT_EQ(lines[5].rfind(name + ":13:3: eventStore has type file but no path", 0), 0u)
      << lines[5];
  EXPECT_EQ(lines[6].rfind(name + ":14:1: unknown key \"extra\"", 0), 0u) << lines[6];
}

TEST(LoadHostConfigErrors, ManyProblemsAreCutWithACount) {
  std::string text = "plugins:\n";
  for (int i = 0; i < 150; ++i) text += "  - library: p" + std::to_string(i) + "\n    x: 1\n";
  ConfigFile file(text);
  const auto lines = load_errors(file);
  ASSERT_EQ(lines.size(), 101u);
  EXPECT_EQ(lines.back(), file.file().string() +
                              ": 50 more problems not shown; fix the ones above and check again");
}

TEST(LoadHostConfigErrors, AMissingFileIsNamed) {
  kph::testing::TempDir dir;
  const auto missing = dir.path() / "nope.yaml";
  auto config = load_host_config(missing);
  ASSERT_FALSE(config.ok());
  const auto& message = config.error().message;
  EXPECT_EQ(message.rfind(missing.string() + ": cannot read the config file: No such file", 0), 0u)
      << message;
  EXPECT_NE(message.find("expected a readable YAML file, found no file at that path"),
            std::string::npos);
  EXPECT_NE(message.find("check the path"), std::string::npos);
}

TEST(LoadHostConfigErrors, AMissingFolderIsNamed) {
  kph::testing::TempDir dir;
  auto config = load_host_config(dir.path() / "no" / "such" / "host.yaml");
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.error().message.find("found no file at that path"), std::string::npos)
      << config.error().message;
}

TEST(LoadHostConfigErrors, ADirectoryIsNotAConfig) {
  kph::testing::TempDir dir;
  auto config = load_host_config(dir.path());
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.error().message.rfind(dir.path().string() + ": ", 0), 0u);
  EXPECT_NE(config.error().message.find("found a directory; pass the path of the YAML file"),
            std::string::npos)
      << config.error().message;
}

TEST(LoadHostConfigErrors, AnEmptyPathIsRefused) {
  auto config = load_host_config("");
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.error().message.find("no config file was named"), std::string::npos);
}

TEST(LoadHostConfigErrors, AnUnreadableFileIsNamed) {
  if (::geteuid() == 0) GTEST_SKIP() << "root reads every file";
  ConfigFile file("plugins: []\n");
  std::filesystem::permissions(file.file(), std::filesystem::perms::none);
  auto config = file.load();
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.error().message.find("a file this user may not read"), std::string::npos)
      << config.error().message;
}

TEST(LoadHostConfigErrors, AHugeFileIsRefusedWithoutReadingItAll) {
  auto config = load_host_config("/dev/zero");
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.error().message.find("/dev/zero: the config file is too large"),
            std::string::npos)
      << config.error().message;
  EXPECT_NE(config.error().message.find("found more than 1024 KiB"), std::string::npos);
}

TEST(LoadHostConfigErrors, DeepNestingIsRefusedNotOverflowed) {
  ConfigFile parser_limit(std::string(5000, '[') + std::string(5000, ']') + "\n");
  auto lines = load_errors(parser_limit);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("the YAML is nested too deeply"), std::string::npos) << lines[0];

  ConfigFile config_limit("plugins:\n  - library: x\n    config: {a: " + std::string(100, '[') +
                          std::string(100, ']') + "}\n");
  lines = load_errors(config_limit);
  ASSERT_EQ(lines.size(), 1u) << ::testing::PrintToString(lines);
  EXPECT_NE(lines[0].find("is nested too deeply; expected at most 64 levels"), std::string::npos)
      << lines[0];
}

TEST(LoadHostConfigErrors, AliasBombsStopAtTheValueLimit) {
  // Each level doubles the values the previous one holds: 2^30 in the last.
  std::string text = "plugins:\n  - library: x\n    config:\n      l0: &l0 [a, a]\n";
  for (int i = 1; i <= 30; ++i) {
    text += "      l" + std::to_string(i) + ": &l" + std::to_string(i) + " [*l" +
            std::to_string(i - 1) + ", *l" + std::to_string(i - 1) + "]\n";
  }
  ConfigFile file(text);
  const auto lines = load_errors(file);
  ASSERT_EQ(lines.size(), 1u) << ::testing::PrintToString(lines);
  EXPECT_NE(lines[0].find("makes the plugin's config too large; expected at most 100000 values"),
            std::string::npos)
      << lines[0];
}

}  // namespace
}  // namespace kph::host
