#include "config/config_reader.hpp"

#include <algorithm>
#include <variant>

#include "config/config_file.hpp"
#include "config/duration.hpp"
#include "config/message_text.hpp"
#include "config/yaml_scalar.hpp"

namespace kph::host::config {
namespace {

// "parent.key"; a key that is not a plain word (a plugin's config may use any text) is
// written parent["key"], escaped, so a message stays one readable line.
std::string child_path(const std::string& parent, std::string_view key) {
  const bool plain =
      !key.empty() && key.size() <= 40 && std::all_of(key.begin(), key.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_' || c == '-';
      });
  if (!plain) return parent + "[" + quote_text(key, 40) + "]";
  return parent.empty() ? std::string(key) : parent + "." + std::string(key);
}

// The name of a value in a message: its path, or "the document" for the root.
std::string name_of(const YamlValue& value) {
  return value.path.empty() ? std::string("the document") : value.path;
}

bool has_control_character(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7F;
  });
}

}  // namespace

std::optional<YamlValue> YamlMapping::get(std::string_view key) const {
  for (const auto& [name, value] : entries_) {
    if (name == key) return value;
  }
  return std::nullopt;
}

std::vector<std::string> YamlMapping::keys() const {
  std::vector<std::string> out;
  for (const auto& entry : entries_) out.push_back(entry.first);
  return out;
}

ConfigReader::ConfigReader(std::filesystem::path file, std::string text)
    : file_(std::move(file)), text_(std::move(text)) {}

void ConfigReader::report(const ConfigLocation& where, std::string_view what,
                          std::string_view expected, std::string_view found,
                          std::string_view todo) {
  std::string line = where.to_string();
  if (!line.empty()) line += ": ";
  line += what;
  line += "; expected ";
  line += expected;
  line += ", found ";
  line += found;
  line += "; ";
  line += todo;
  problems_.push_back({where.line, where.column, problems_.size(), std::move(line)});
}

std::string ConfigReader::messages() const {
  std::vector<Problem> sorted = problems_;
  std::stable_sort(sorted.begin(), sorted.end(), [](const Problem& a, const Problem& b) {
    return std::tie(a.line, a.column, a.order) < std::tie(b.line, b.column, b.order);
  });
  std::string out;
  for (size_t i = 0; i < sorted.size() && i < kMaxShown; ++i) {
    if (!out.empty()) out += '\n';
    out += sorted[i].text;
  }
  if (sorted.size() > kMaxShown) {
    out += '\n' + file_location().to_string() + ": " + std::to_string(sorted.size() - kMaxShown) +
           " more problems not shown; fix the ones above and check again";
  }
  return out;
}

ConfigLocation ConfigReader::file_location() const { return ConfigLocation{file_, 0, 0}; }

ConfigLocation ConfigReader::location_at(const YAML::Mark& mark) const {
  if (mark.line < 0 || mark.column < 0) return file_location();
  // yaml-cpp counts columns in bytes; people and editors count characters.
  const bool known_position = mark.pos >= 0 && static_cast<size_t>(mark.pos) <= text_.size();
  return ConfigLocation{
      file_, mark.line + 1,
      known_position ? column_of(text_, static_cast<size_t>(mark.pos)) : mark.column + 1};
}

ConfigLocation ConfigReader::location_of(const YAML::Node& node,
                                         const ConfigLocation& fallback) const {
  const YAML::Mark mark = node.Mark();
  if (mark.line < 0 || mark.column < 0) return fallback;
  // An empty value has no text of its own: yaml-cpp marks where the next token starts, which
  // may be lines further down.
  if (node.IsNull() && mark.pos >= 0) return location_before(mark.pos, fallback);
  return location_at(mark);
}

ConfigLocation ConfigReader::location_before(size_t position,
                                             const ConfigLocation& fallback) const {
  // Walks back from the next token to the last character before it that is not white space
  // or part of a comment: the "-" or "," that opened the empty item.
  size_t end = std::min(position, text_.size());
  while (end > 0) {
    const size_t line_start =
        text_.rfind('\n', end - 1) == std::string::npos ? 0 : text_.rfind('\n', end - 1) + 1;
    std::string_view line(text_.data() + line_start, end - line_start);
    // A '#' after a space (or at the line's start) begins a comment.
    for (size_t i = 0; i < line.size(); ++i) {
      if (line[i] == '#' && (i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t')) {
        line = line.substr(0, i);
        break;
      }
    }
    const size_t last = line.find_last_not_of(" \t\r\n");
    if (last != std::string_view::npos) {
      int line_number =
          1 + static_cast<int>(std::count(text_.begin(), text_.begin() + line_start, '\n'));
      return ConfigLocation{file_, line_number, column_of(text_, line_start + last)};
    }
    if (line_start == 0) break;
    end = line_start - 1;  // before the newline that ends the previous line
  }
  return fallback;
}

YamlValue ConfigReader::document(const YAML::Node& root) const {
  ConfigLocation start{file_, 1, 1};
  return YamlValue{root, "", location_of(root, start)};
}

YamlValue ConfigReader::item(const YamlValue& list, const YAML::Node& node, size_t index) const {
  // An alias carries its anchor's place, before the list: the list is the better place.
  const bool alias = node.Mark().pos >= 0 && node.Mark().pos < list.node.Mark().pos;
  return YamlValue{node, list.path + "[" + std::to_string(index) + "]",
                   alias ? list.location : location_of(node, list.location)};
}

ConfigLocation ConfigReader::entry_location(const YAML::Node& key, const YAML::Node& value,
                                            const ConfigLocation& key_location) const {
  // An empty value has no place of its own, and an alias carries its anchor's place, earlier
  // in the file than its key: for both, the key is where to look.
  if (value.IsNull() || value.Mark().pos < key.Mark().pos) return key_location;
  return location_of(value, key_location);
}

std::string ConfigReader::describe(const YAML::Node& node) {
  if (!node.IsDefined() || node.IsNull()) return "no value";
  if (node.IsSequence()) return "a list";
  if (node.IsMap()) return "a mapping";
  const std::string& text = node.Scalar();
  if (is_plain(node)) {
    auto resolved = resolve_scalar(node);
    if (auto* json = std::get_if<nlohmann::json>(&resolved); json && !json->is_string()) {
      return text;
    }
    return quote_text(text);
  }
  if (node.Tag() == "!") return quote_text(text) + " (quoted, so a string)";
  // Core tags as they are written: "!!int", not "tag:yaml.org,2002:int".
  constexpr std::string_view kCorePrefix = "tag:yaml.org,2002:";
  const std::string& tag = node.Tag();
  if (tag.starts_with(kCorePrefix)) {
    return "!!" + tag.substr(kCorePrefix.size()) + " " + quote_text(text);
  }
  return "the tag " + quote_text(tag, 30) + " on " + quote_text(text);
}

void ConfigReader::wrong_type(const YamlValue& value, std::string_view expected,
                              std::string_view example) {
  const bool empty = value.node.IsNull();
  report(value.location, name_of(value) + (empty ? " has no value" : " has the wrong type"),
         expected, describe(value.node), "write e.g. " + std::string(example));
}

std::optional<YamlMapping> ConfigReader::mapping(const YamlValue& value,
                                                 std::span<const std::string_view> known,
                                                 std::string_view expected, std::string_view todo) {
  YamlMapping out;
  out.self_ = value;
  if (value.node.IsNull()) return out;
  if (!value.node.IsMap()) {
    report(value.location, name_of(value) + " is not a mapping", expected, describe(value.node),
           todo);
    return std::nullopt;
  }
  const std::string known_list =
      known.size() == 1 ? std::string(known[0]) : "one of " + join_alternatives(known);
  const std::string where = value.path.empty() ? "at the top level" : "in " + value.path;
  std::vector<std::pair<std::string, ConfigLocation>> key_locations;
  for (auto it = value.node.begin(); it != value.node.end(); ++it) {
    // Copies: the iterator hands out a temporary pair, gone after this statement.
    const YAML::Node key = it->first;
    const YAML::Node entry_value = it->second;
    const ConfigLocation key_location = location_of(key, value.location);
    if (!key.IsScalar()) {
      report(key_location, "a key " + where + " is not a name", known_list, describe(key),
             "write each key as a plain name followed by ':'");
      continue;
    }
    const std::string& name = key.Scalar();
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      const auto suggestion = closest_match(name, known);
      report(key_location, "unknown key " + quote_text(name) + " " + where, known_list,
             quote_text(name),
             suggestion ? "did you mean " + *suggestion + "?"
                        : std::string("remove it, or correct its spelling"));
      continue;
    }
    const auto first = std::find_if(key_locations.begin(), key_locations.end(),
                                    [&](const auto& seen) { return seen.first == name; });
    if (first != key_locations.end()) {
      report(
          key_location, child_path(value.path, name) + " is given twice", "each key once",
          "a second " + name + " (the first is at line " + std::to_string(first->second.line) + ")",
          "remove one of them");
      continue;
    }
    key_locations.emplace_back(name, key_location);
    YamlValue entry{entry_value, child_path(value.path, name),
                    entry_location(key, entry_value, key_location)};
    out.entries_.emplace_back(name, std::move(entry));
  }
  return out;
}

std::optional<std::vector<YamlValue>> ConfigReader::list(const YamlValue& value,
                                                         std::string_view expected,
                                                         std::string_view todo) {
  std::vector<YamlValue> items;
  if (value.node.IsNull()) return items;
  if (!value.node.IsSequence()) {
    report(value.location, name_of(value) + " is not a list", expected, describe(value.node), todo);
    return std::nullopt;
  }
  size_t index = 0;
  for (auto it = value.node.begin(); it != value.node.end(); ++it, ++index) {
    items.push_back(item(value, *it, index));
  }
  return items;
}

std::optional<std::string> ConfigReader::text(const YamlValue& value, std::string_view expected,
                                              std::string_view example) {
  if (!value.node.IsScalar()) {
    wrong_type(value, expected, example);
    return std::nullopt;
  }
  const std::string& text = value.node.Scalar();
  if (text.empty()) {
    report(value.location, name_of(value) + " is empty", expected, "\"\"",
           "write e.g. " + std::string(example));
    return std::nullopt;
  }
  if (!is_valid_utf8(text)) {
    report(value.location, name_of(value) + " is not valid UTF-8", expected, quote_text(text),
           "save the file as UTF-8");
    return std::nullopt;
  }
  if (has_control_character(text)) {
    report(value.location, name_of(value) + " contains a control character", expected,
           quote_text(text), "remove it");
    return std::nullopt;
  }
  return text;
}

std::optional<int64_t> ConfigReader::integer(const YamlValue& value, int64_t min, int64_t max,
                                             std::string_view example) {
  const std::string expected =
      "an integer from " + std::to_string(min) + " to " + std::to_string(max);
  if (!value.node.IsScalar()) {
    wrong_type(value, expected, example);
    return std::nullopt;
  }
  auto resolved = resolve_scalar(value.node);
  if (auto* problem = std::get_if<ScalarProblem>(&resolved)) {
    report(value.location, name_of(value) + " " + problem->what, expected, describe(value.node),
           "write e.g. " + std::string(example));
    return std::nullopt;
  }
  const auto& json = std::get<nlohmann::json>(resolved);
  if (!json.is_number_integer()) {
    const bool looks_numeric =
        json.is_string() && !json.get<std::string>().empty() &&
        json.get<std::string>().find_first_not_of("+-0123456789") == std::string::npos;
    report(value.location, name_of(value) + " is not an integer", expected, describe(value.node),
           looks_numeric ? std::string("write the number without quotes")
                         : "write e.g. " + std::string(example));
    return std::nullopt;
  }
  const bool in_range = json.is_number_unsigned()
                            ? json.get<uint64_t>() <= static_cast<uint64_t>(max) &&
                                  static_cast<int64_t>(json.get<uint64_t>()) >= min
                            : json.get<int64_t>() >= min && json.get<int64_t>() <= max;
  if (!in_range) {
    report(value.location, name_of(value) + " is out of range", expected, value.node.Scalar(),
           "use a value from " + std::to_string(min) + " to " + std::to_string(max));
    return std::nullopt;
  }
  return json.is_number_unsigned() ? static_cast<int64_t>(json.get<uint64_t>())
                                   : json.get<int64_t>();
}

std::optional<std::chrono::milliseconds> ConfigReader::duration(const YamlValue& value,
                                                                std::string_view example) {
  const std::string expected(kDurationForm);
  if (!value.node.IsScalar()) {
    wrong_type(value, expected, example);
    return std::nullopt;
  }
  const std::string& text = value.node.Scalar();
  auto parsed = read_duration(text);
  if (auto* problem = std::get_if<DurationProblem>(&parsed)) {
    report(value.location, name_of(value) + " is not a valid duration: " + problem->what, expected,
           quote_text(text), problem->todo);
    return std::nullopt;
  }
  const auto duration = std::get<std::chrono::milliseconds>(parsed);
  if (duration.count() == 0) {
    report(value.location, name_of(value) + " is zero", "a duration longer than zero",
           quote_text(text), "write e.g. " + std::string(example));
    return std::nullopt;
  }
  return duration;
}

std::optional<std::vector<std::string>> ConfigReader::text_list(const YamlValue& value,
                                                                std::string_view expected,
                                                                std::string_view expected_item,
                                                                std::string_view example) {
  auto items = list(value, expected, "write e.g. " + std::string(example));
  if (!items) return std::nullopt;
  std::vector<std::string> out;
  bool ok = true;
  for (const auto& item : *items) {
    auto text = this->text(item, expected_item, example);
    if (text) {
      out.push_back(std::move(*text));
    } else {
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  return out;
}

std::optional<nlohmann::json> ConfigReader::json_object(const YamlValue& value) {
  if (value.node.IsNull()) return nlohmann::json::object();
  if (!value.node.IsMap()) {
    report(value.location, name_of(value) + " is not a mapping",
           "a mapping of the plugin's settings", describe(value.node),
           "write the settings as key: value lines under it, or {} for none");
    return std::nullopt;
  }
  std::vector<YAML::Node> ancestors;
  size_t budget = kMaxJsonValues;
  return to_json(value, ancestors, budget);
}

std::optional<nlohmann::json> ConfigReader::to_json(const YamlValue& value,
                                                    std::vector<YAML::Node>& ancestors,
                                                    size_t& budget) {
  if (budget == 0) return std::nullopt;
  if (--budget == 0) {
    report(value.location, name_of(value) + " makes the plugin's config too large",
           "at most " + std::to_string(kMaxJsonValues) +
               " values (an alias counts each time it is used)",
           "more", "make the config smaller or use fewer aliases");
    return std::nullopt;
  }
  const YAML::Node& node = value.node;
  if (node.IsNull() || node.IsScalar()) {
    auto resolved = resolve_scalar(node);
    if (auto* problem = std::get_if<ScalarProblem>(&resolved)) {
      report(value.location, name_of(value) + " " + problem->what, "a value JSON can hold",
             describe(node), "quote it to keep it as text, or change the value");
      return std::nullopt;
    }
    auto& json = std::get<nlohmann::json>(resolved);
    if (json.is_string() && !is_valid_utf8(json.get_ref<const std::string&>())) {
      report(value.location, name_of(value) + " is not valid UTF-8", "UTF-8 text", describe(node),
             "save the file as UTF-8");
      return std::nullopt;
    }
    return std::move(json);
  }
  // Containers: an alias may point back at a mapping or list that contains it.
  for (const auto& ancestor : ancestors) {
    if (ancestor.is(node)) {
      report(value.location, name_of(value) + " contains itself through an alias",
             "a value without cycles", "an alias to an enclosing value",
             "replace the alias with the value it should hold");
      return std::nullopt;
    }
  }
  if (static_cast<int>(ancestors.size()) >= kMaxJsonDepth) {
    report(value.location, name_of(value) + " is nested too deeply",
           "at most " + std::to_string(kMaxJsonDepth) + " levels of nesting in a plugin config",
           "more", "flatten the config");
    return std::nullopt;
  }
  ancestors.push_back(node);
  std::optional<nlohmann::json> out;
  bool ok = true;
  if (node.IsSequence()) {
    out = nlohmann::json::array();
    size_t index = 0;
    for (auto it = node.begin(); it != node.end() && budget > 0; ++it, ++index) {
      auto child = to_json(item(value, *it, index), ancestors, budget);
      if (child) {
        out->push_back(std::move(*child));
      } else {
        ok = false;
      }
    }
  } else {
    out = nlohmann::json::object();
    for (auto it = node.begin(); it != node.end() && budget > 0; ++it) {
      const YAML::Node key = it->first;  // copies, as in mapping()
      const YAML::Node entry_value = it->second;
      const ConfigLocation key_location = location_of(key, value.location);
      if (!key.IsScalar()) {
        report(key_location, "a key in " + name_of(value) + " is not a single value", "a text key",
               describe(key), "use text keys; JSON has no other");
        ok = false;
        continue;
      }
      const std::string& name = key.Scalar();
      if (!is_valid_utf8(name)) {
        report(key_location, "a key in " + name_of(value) + " is not valid UTF-8", "UTF-8 text",
               quote_text(name), "save the file as UTF-8");
        ok = false;
        continue;
      }
      if (out->contains(name)) {
        report(key_location, child_path(value.path, name) + " is given twice", "each key once",
               "a second " + quote_text(name), "remove one of them");
        ok = false;
        continue;
      }
      YamlValue entry{entry_value, child_path(value.path, name),
                      entry_location(key, entry_value, key_location)};
      auto child = to_json(entry, ancestors, budget);
      if (child) {
        (*out)[name] = std::move(*child);
      } else {
        ok = false;
      }
    }
  }
  ancestors.pop_back();
  if (!ok || budget == 0) return std::nullopt;
  return out;
}

}  // namespace kph::host::config
