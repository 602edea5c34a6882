// Reads values out of a parsed YAML tree for the host config, checking each against what it
// should be and collecting every problem instead of stopping at the first, so that one run
// of `keptn-host config check` shows them all.
//
// Every problem becomes one line:
//   file:line:column: <what is wrong>; expected <what fits>, found <what is there>; <what to do>
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <yaml-cpp/yaml.h>
#include <nlohmann/json.hpp>

#include "config/host_config.hpp"

namespace kph::host::config {

// One value in the YAML tree and what a message needs to name it.
struct YamlValue {
  YAML::Node node;
  std::string path;         // "plugins[0].library"; empty for the document itself
  ConfigLocation location;  // of the value; of its key when the value is empty
};

// The entries of a YAML mapping whose keys were checked against the known ones.
class YamlMapping {
 public:
  // The value of a known key, or nullopt when the key is absent.
  std::optional<YamlValue> get(std::string_view key) const;
  const YamlValue& self() const { return self_; }
  // The keys present, in file order.
  std::vector<std::string> keys() const;

 private:
  friend class ConfigReader;
  YamlValue self_;
  std::vector<std::pair<std::string, YamlValue>> entries_;
};

// Owns the collected problems of one config file. Not thread-safe; one per load.
class ConfigReader {
 public:
  // `text` is the file's content, used to place values YAML gives no position for.
  ConfigReader(std::filesystem::path file, std::string text);

  void report(const ConfigLocation& where, std::string_view what, std::string_view expected,
              std::string_view found, std::string_view todo);
  bool failed() const { return !problems_.empty(); }
  // Every problem, sorted by place in the file, one per line (at most kMaxShown of them and a
  // last line saying how many more there are).
  std::string messages() const;

  static constexpr size_t kMaxShown = 100;

  ConfigLocation file_location() const;
  // The place of a 0-based yaml-cpp mark; file only when the mark is unknown.
  ConfigLocation location_at(const YAML::Mark& mark) const;
  YamlValue document(const YAML::Node& root) const;
  YamlValue item(const YamlValue& list, const YAML::Node& node, size_t index) const;

  // How a node looks in a message: "no value", "a list", "a mapping", "\"text\"", "42".
  static std::string describe(const YAML::Node& node);

  // A mapping whose keys must be among `known` (each once). An empty value is an empty
  // mapping. nullopt (after reporting) when the value is not a mapping at all.
  std::optional<YamlMapping> mapping(const YamlValue& value,
                                     std::span<const std::string_view> known,
                                     std::string_view expected, std::string_view todo);
  // The items of a list; an empty value is an empty list. nullopt (after reporting) when the
  // value is not a list.
  std::optional<std::vector<YamlValue>> list(const YamlValue& value, std::string_view expected,
                                             std::string_view todo);
  // A single value as text (numbers and booleans as written), well-formed UTF-8 without
  // control characters, and not empty.
  std::optional<std::string> text(const YamlValue& value, std::string_view expected,
                                  std::string_view example);
  std::optional<int64_t> integer(const YamlValue& value, int64_t min, int64_t max,
                                 std::string_view example);
  // A duration longer than zero.
  std::optional<std::chrono::milliseconds> duration(const YamlValue& value,
                                                    std::string_view example);
  // A list of texts; each item as text().
  std::optional<std::vector<std::string>> text_list(const YamlValue& value,
                                                    std::string_view expected,
                                                    std::string_view expected_item,
                                                    std::string_view example);
  // A mapping of any content, as a JSON object with the YAML types kept. An empty value is
  // an empty object.
  std::optional<nlohmann::json> json_object(const YamlValue& value);

  // Limits on plugin `config:` values, which may nest and repeat through aliases.
  static constexpr int kMaxJsonDepth = 64;
  static constexpr size_t kMaxJsonValues = 100000;

 private:
  struct Problem {
    int line;
    int column;
    size_t order;
    std::string text;
  };

  ConfigLocation location_of(const YAML::Node& node, const ConfigLocation& fallback) const;
  ConfigLocation location_before(size_t position, const ConfigLocation& fallback) const;
  ConfigLocation entry_location(const YAML::Node& key, const YAML::Node& value,
                                const ConfigLocation& key_location) const;
  void wrong_type(const YamlValue& value, std::string_view expected, std::string_view example);
  std::optional<nlohmann::json> to_json(const YamlValue& value, std::vector<YAML::Node>& ancestors,
                                        size_t& budget);

  std::filesystem::path file_;
  std::string text_;
  std::vector<Problem> problems_;
};

}  // namespace kph::host::config
