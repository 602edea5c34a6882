// Whatever bytes a config file holds, loading it answers (a config or messages) and never
// crashes or hangs. The inputs are generated from a fixed seed, so a failure reproduces.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "config/host_config.hpp"
#include "config_test_support.hpp"

namespace kph::host {
namespace {

using testing::ConfigFile;

const std::string kValid = R"(controlPlane:
  mode: local
plugins:
  - name: gate
    library: lighthouse
    config: {compareWith: 3, thresholds: [1, 2.5, "x"], nested: {a: &a [1], b: *a}}
    maxConcurrency: 8
    queueSize: 512
    taskTimeout: 1h30m
    maxRetries: 0
routes:
  - event: sh.keptn.event.evaluation.triggered
    plugin: gate
    projects: [sockshop]
resources:
  provider: local
  directory: ./resources
eventStore:
  type: file
  path: ../var/events.jsonl
  maxEvents: 500
)";

// Either a config, or messages whose every line names the file.
void expect_an_answer(const ConfigFile& file, const std::string& input) {
  auto config = file.load();
  if (config.ok()) return;
  const auto lines = testing::lines_of(config.error().message);
  ASSERT_FALSE(lines.empty());
  for (const auto& line : lines) {
    ASSERT_EQ(line.rfind(file.file().string(), 0), 0u)
        << "input: " << ::testing::PrintToString(input) << "\nline: " << line;
  }
}

TEST(LoadHostConfigRobustness, SurvivesMutationsOfAValidConfig) {
  std::mt19937 random(20240611);
  const std::string alphabet = "{}[]:,-#&*!|>'\"\t\n ?%@`~.0123456789abcxyz\\\xc3\xa9\xff";
  for (int round = 0; round < 400; ++round) {
    std::string text = kValid;
    const int edits = 1 + static_cast<int>(random() % 8);
    for (int e = 0; e < edits; ++e) {
      const size_t at = random() % (text.size() + 1);
      switch (random() % 4) {
        case 0:  // insert
          text.insert(at, 1, alphabet[random() % alphabet.size()]);
          break;
        case 1:  // delete
          if (at < text.size()) text.erase(at, 1 + random() % 5);
          break;
        case 2:  // replace
          if (at < text.size()) text[at] = alphabet[random() % alphabet.size()];
          break;
        default:  // duplicate a slice
          if (at < text.size()) text.insert(at, text.substr(at, 1 + random() % 40));
      }
    }
    ConfigFile file(text);
    expect_an_answer(file, text);
  }
}

TEST(LoadHostConfigRobustness, SurvivesRandomBytes) {
  std::mt19937 random(7);
  for (int round = 0; round < 200; ++round) {
    std::string text(random() % 400, '\0');
    for (auto& c : text) c = static_cast<char>(random() % 256);
    ConfigFile file(text);
    expect_an_answer(file, text);
  }
}

TEST(LoadHostConfigRobustness, SurvivesOddButValidYaml) {
  std::vector<std::string> inputs = {
      "plugins: &p [{library: a}]\nroutes: *p\n",
      "plugins:\n  - &e {library: a}\n  - *e\n",
      "? plugins\n: []\n",
      "!!map {plugins: []}\n",
      "plugins: !!seq []\n",
      "controlPlane: !!str local\n",
      "'plugins': [{\"library\": \"a\"}]\n",
      "%YAML 1.2\n---\nplugins: []\n",
      "plugins: [{library: a, config: {<<: {x: 1}}}]\n",
      "plugins: [{library: a, config: &c {x: *c}}]\n",
      "plugins: [{library: a, config: {x: &y [*y]}}]\n",
      "plugins:\n- library: a\n  config: |\n    text\n",
      "---\n---\n---\n",
      "...\n",
      "&a a: *a\n",
      "*a\n",
      "plugins: [{library: a, name: \"\\u0000\"}]\n",
      "plugins: [{library: \"\\xff.so\"}]\n",
      "plugins: [{library: a, config: {k: \"\\udc00\"}}]\n",
  };
  // Long inputs are joined piece by piece: `std::string(n, c) + "..."` trips a false
  // -Warray-bounds in GCC 12 at -O2.
  const auto join = [](std::initializer_list<std::string_view> parts) {
    std::string out;
    for (std::string_view part : parts) out.append(part.data(), part.size());
    return out;
  };
  const std::string braces = std::string(1500, '{') + std::string(1500, '}');
  inputs.push_back(join({std::string(1000, '-'), "\n"}));
  inputs.push_back(join({std::string(3000, ' '), "a: b\n"}));
  inputs.push_back(join({"a: ", std::string(100000, 'x'), "\n"}));
  inputs.push_back(join({"plugins: [", braces, "]\n"}));
  inputs.push_back(join({"plugins:\n", std::string(200, ' '), "- x\n"}));
  for (const auto& text : inputs) {
    ConfigFile file(text);
    expect_an_answer(file, text);
  }
}

TEST(LoadHostConfigRobustness, StringsThatReachPluginsAreValidUtf8) {
  // YAML escapes can spell bytes the file itself does not hold; the JSON a plugin receives
  // must still serialize.
  ConfigFile file("plugins: [{library: a, config: {k: \"\\xff\", ok: \"\\u00e9\"}}]\n");
  auto config = file.load();
  if (config.ok()) {
    EXPECT_NO_THROW((void)config->plugins[0].config.dump());
  } else {
    EXPECT_NE(config.error().message.find("not valid UTF-8"), std::string::npos)
        << config.error().message;
  }
}

}  // namespace
}  // namespace kph::host
