#include "config/host_config.hpp"

#include <array>
#include <map>
#include <optional>
#include <string_view>
#include <variant>

#include <yaml-cpp/yaml.h>

#include "config/config_file.hpp"
#include "config/config_reader.hpp"
#include "config/config_values.hpp"
#include "config/message_text.hpp"
#include "config/nats_config_parser.hpp"
#include "config/resources_config_parser.hpp"
#include "config/yaml_document.hpp"

namespace kph::host {
namespace {

using config::ConfigReader;
using config::is_simple_name;
using config::quote_text;
using config::resolve_config_path;
using config::YamlMapping;
using config::YamlValue;

constexpr std::array<std::string_view, 5> kTopKeys = {"controlPlane", "plugins", "routes",
                                                      "resources", "eventStore"};
constexpr std::array<std::string_view, 2> kControlPlaneKeys = {"mode", "nats"};
constexpr std::array<std::string_view, 7> kPluginKeys = {
    "name", "library", "config", "maxConcurrency", "queueSize", "taskTimeout", "maxRetries"};
constexpr std::array<std::string_view, 5> kRouteKeys = {"event", "plugin", "projects", "stages",
                                                        "services"};
constexpr std::array<std::string_view, 3> kEventStoreKeys = {"type", "path", "maxEvents"};

// Bounds that catch typos (a queue of 2^31 tasks, 40000 threads) without limiting real use.
constexpr int64_t kMaxConcurrency = 1024;
constexpr int64_t kMaxQueueSize = 1 << 20;
constexpr int64_t kMaxRetries = 1000;
constexpr int64_t kMaxEvents = 10'000'000;

constexpr std::string_view kNameForm =
    "a name of letters, digits, '.', '_' and '-', starting with a letter or digit";

// Instance names end up in event `source` fields, metric labels and command lines.
bool is_valid_name(std::string_view name) { return is_simple_name(name, 100); }

// "a, b and c".
std::string join_and(const std::vector<std::string>& words) {
  std::string out;
  for (size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += (i + 1 == words.size()) ? " and " : ", ";
    out += words[i];
  }
  return out;
}

bool is_library_path(std::string_view library) {
  return library.find('/') != std::string_view::npos || library.ends_with(".so");
}

// Reads one config; `base` is the config file's folder, against which relative paths resolve.
class HostConfigParser {
 public:
  HostConfigParser(ConfigReader& reader, std::filesystem::path base)
      : reader_(reader), base_(std::move(base)) {}

  void parse(const YamlValue& document, HostConfig& out) {
    auto top = reader_.mapping(
        document, kTopKeys, "a mapping of controlPlane, plugins, routes, resources and eventStore",
        "start from config/keptn-host.yaml");
    if (!top) return;
    if (auto value = top->get("controlPlane")) parse_control_plane(*value, out.control_plane);
    if (auto value = top->get("plugins")) parse_plugins(*value, out.plugins);
    if (auto value = top->get("routes")) parse_routes(*value, out.plugins, out.routes);
    if (auto value = top->get("resources")) parse_resources(*value, out.resources);
    if (auto value = top->get("eventStore")) parse_event_store(*value, out.event_store);
  }

 private:
  void parse_control_plane(const YamlValue& value, ControlPlaneConfig& out) {
    auto section = reader_.mapping(value, kControlPlaneKeys, "a mapping with mode (and nats)",
                                   "write e.g. controlPlane: {mode: local}");
    if (!section) return;
    bool mode_known = true;
    if (auto mode_value = section->get("mode")) {
      auto mode = reader_.text(*mode_value, "local or nats", "mode: local");
      if (mode && (*mode == "local" || *mode == "nats")) {
        out.mode = *mode;
      } else if (mode && *mode == "api") {
        mode_known = false;
        reader_.report(mode_value->location, "controlPlane.mode api is not in this build yet",
                       "local or nats", quote_text(*mode),
                       "use mode: nats (in the cluster) or mode: local for now");
      } else {
        mode_known = false;
        if (mode) {
          reader_.report(mode_value->location, "controlPlane.mode is unknown", "local or nats",
                         quote_text(*mode), "use mode: local or mode: nats");
        }
      }
    }
    if (auto nats_value = section->get("nats")) {
      config::parse_nats_config(reader_, *nats_value, base_, out.nats);
      if (mode_known && out.mode != "nats") {
        reader_.report(nats_value->location, "controlPlane.nats is set but the mode is " + out.mode,
                       "nats settings only with mode: nats", "mode: " + out.mode,
                       "add mode: nats to controlPlane, or remove the nats block");
      }
    }
  }

  void parse_plugins(const YamlValue& value, std::vector<PluginConfig>& out) {
    auto items = reader_.list(value, "a list of plugin entries",
                              "write each plugin as a list item: - library: lighthouse");
    if (!items) return;
    // Where each instance name was first given, to name both places of a duplicate.
    std::map<std::string, std::pair<std::string, int>> seen;
    for (const auto& item : *items) {
      std::string todo = "write e.g. - library: lighthouse";
      if (item.node.IsScalar() && is_valid_name(item.node.Scalar())) {
        todo = "write - library: " + item.node.Scalar();
      }
      auto entry = reader_.mapping(item, kPluginKeys,
                                   "a mapping with at least library: (and optionally name, "
                                   "config, maxConcurrency, queueSize, taskTimeout, maxRetries)",
                                   todo);
      if (!entry) continue;
      PluginConfig plugin;
      plugin.location = item.location;
      plugin.config_location = item.location;
      parse_plugin(*entry, plugin);
      if (!plugin.name.empty()) {
        const auto name_location =
            entry->get("name") ? entry->get("name")->location : item.location;
        auto [first, inserted] = seen.try_emplace(plugin.name, item.path, name_location.line);
        if (!inserted) {
          reader_.report(
              name_location,
              item.path + " uses the instance name " + quote_text(plugin.name) + " again",
              "a unique name for each plugin instance",
              "the name of " + first->second.first + " (line " +
                  std::to_string(first->second.second) + ")",
              "give this entry its own name, e.g. name: " + plugin.name + "-2");
        }
      }
      out.push_back(std::move(plugin));
    }
  }

  void parse_plugin(const YamlMapping& entry, PluginConfig& plugin) {
    const YamlValue& self = entry.self();
    auto library_value = entry.get("library");
    std::optional<std::string> library;
    if (!library_value) {
      const auto keys = entry.keys();
      reader_.report(self.location, self.path + " has no library",
                     "library: the plugin's name (e.g. lighthouse) or the path to its .so",
                     keys.empty() ? std::string("an empty entry") : "only " + join_and(keys),
                     "add library: <name or path to .so>");
    } else if ((library = reader_.text(*library_value,
                                       "the plugin's name (e.g. lighthouse) or the path to its .so",
                                       "library: lighthouse"))) {
      if (is_library_path(*library)) {
        plugin.library = resolve_config_path(base_, *library).string();
      } else if (is_valid_name(*library)) {
        plugin.library = *library;
      } else {
        reader_.report(library_value->location,
                       library_value->path + " is neither a plugin name nor a path to a .so",
                       std::string(kNameForm) + ", or a path ending in .so", quote_text(*library),
                       "write the plugin's name, or the path to its .so file");
        library.reset();
      }
    }

    if (auto name_value = entry.get("name")) {
      if (auto name = reader_.text(*name_value, kNameForm, "name: lighthouse")) {
        if (is_valid_name(*name)) {
          plugin.name = *name;
        } else {
          reader_.report(name_value->location, name_value->path + " is not a valid name", kNameForm,
                         quote_text(*name), "write e.g. name: lighthouse-prod");
        }
      }
    } else if (library) {
      const std::string stem = std::filesystem::path(*library).stem().string();
      if (is_valid_name(stem)) {
        plugin.name = stem;
      } else {
        reader_.report(library_value->location,
                       "the instance name taken from " + library_value->path + " is not valid",
                       kNameForm, quote_text(stem), "add name: with a valid name to " + self.path);
      }
    }

    if (auto config_value = entry.get("config")) {
      plugin.config_location = config_value->location;
      if (auto json = reader_.json_object(*config_value)) plugin.config = std::move(*json);
    }
    if (auto value = entry.get("maxConcurrency")) {
      if (auto number = reader_.integer(*value, 1, kMaxConcurrency, "maxConcurrency: 4")) {
        plugin.max_concurrency = static_cast<uint32_t>(*number);
      }
    }
    if (auto value = entry.get("queueSize")) {
      if (auto number = reader_.integer(*value, 1, kMaxQueueSize, "queueSize: 256")) {
        plugin.queue_size = static_cast<uint32_t>(*number);
      }
    }
    if (auto value = entry.get("taskTimeout")) {
      if (auto duration = reader_.duration(*value, "taskTimeout: 10m")) {
        plugin.task_timeout = *duration;
      }
    }
    if (auto value = entry.get("maxRetries")) {
      if (auto number = reader_.integer(*value, 0, kMaxRetries, "maxRetries: 3")) {
        plugin.max_retries = static_cast<uint32_t>(*number);
      }
    }
  }

  void parse_routes(const YamlValue& value, const std::vector<PluginConfig>& plugins,
                    std::vector<RouteConfig>& out) {
    auto items = reader_.list(value, "a list of routes",
                              "write each route as a list item: - event: <type pattern>");
    if (!items) return;
    std::vector<std::string> names;
    for (const auto& plugin : plugins) {
      if (!plugin.name.empty()) names.push_back(plugin.name);
    }
    for (const auto& item : *items) {
      auto entry = reader_.mapping(item, kRouteKeys,
                                   "a mapping with event: and plugin: (and optionally projects, "
                                   "stages, services)",
                                   "write e.g. - {event: sh.keptn.event.evaluation.triggered, "
                                   "plugin: lighthouse}");
      if (!entry) continue;
      RouteConfig route;
      route.location = item.location;
      parse_route(*entry, names, route);
      out.push_back(std::move(route));
    }
  }

  void parse_route(const YamlMapping& entry, const std::vector<std::string>& names,
                   RouteConfig& route) {
    const YamlValue& self = entry.self();
    constexpr std::string_view kEventForm =
        "an event type pattern, '*' matching any run of characters";
    if (auto value = entry.get("event")) {
      if (auto event =
              reader_.text(*value, kEventForm, "event: sh.keptn.event.evaluation.triggered")) {
        if (event->find_first_of(" \t") != std::string::npos) {
          reader_.report(value->location, value->path + " contains a space", kEventForm,
                         quote_text(*event), "remove the space; event types have none");
        } else {
          route.event = *event;
        }
      }
    } else {
      reader_.report(self.location, self.path + " has no event", kEventForm, "no event: key",
                     "add e.g. event: sh.keptn.event.evaluation.triggered");
    }

    if (auto value = entry.get("plugin")) {
      if (auto plugin = reader_.text(*value, "the name of a plugin instance under plugins",
                                     "plugin: lighthouse")) {
        route.plugin = *plugin;
        if (std::find(names.begin(), names.end(), *plugin) == names.end()) {
          const auto suggestion = config::closest_match(*plugin, names);
          std::string todo;
          if (suggestion) {
            todo = "did you mean " + *suggestion + "?";
          } else {
            todo = "add a plugin with name: " + *plugin + " under plugins";
            if (names.size() == 1) todo += ", or use " + names[0];
            if (names.size() > 1) todo += ", or use one of " + config::join_alternatives(names);
          }
          reader_.report(value->location, value->path + " names no configured plugin",
                         names.empty() ? std::string("a plugin instance, but none is configured")
                                       : "one of " + config::join_alternatives(names),
                         quote_text(*plugin), todo);
        }
      }
    } else {
      reader_.report(self.location, self.path + " has no plugin",
                     "plugin: the name of a plugin instance under plugins", "no plugin: key",
                     "add e.g. plugin: lighthouse");
    }

    const auto filter = [&](std::string_view key, std::vector<std::string>& into) {
      if (auto value = entry.get(key)) {
        const std::string example = std::string(key) + ": [a, b]";
        if (auto list = reader_.text_list(*value, "a list of names", "a name", example)) {
          into = std::move(*list);
        }
      }
    };
    filter("projects", route.projects);
    filter("stages", route.stages);
    filter("services", route.services);
  }

  void parse_resources(const YamlValue& value, ResourcesConfig& out) {
    config::parse_resources_config(reader_, value, base_, out);
  }

  void parse_event_store(const YamlValue& value, EventStoreConfig& out) {
    auto section = reader_.mapping(value, kEventStoreKeys, "a mapping with type, path, maxEvents",
                                   "write e.g. eventStore: {type: memory}");
    if (!section) return;
    bool type_known = true;
    if (auto type_value = section->get("type")) {
      auto type = reader_.text(*type_value, "memory or file", "type: memory");
      if (type && (*type == "memory" || *type == "file")) {
        out.type = *type;
      } else {
        type_known = false;
        if (type) {
          constexpr std::array<std::string_view, 2> kTypes = {"memory", "file"};
          const auto suggestion = config::closest_match(*type, kTypes);
          reader_.report(type_value->location, "eventStore.type is unknown", "memory or file",
                         quote_text(*type),
                         suggestion ? "did you mean " + *suggestion + "?"
                                    : std::string("use type: memory or type: file"));
        }
      }
    }
    auto path_value = section->get("path");
    if (path_value) {
      if (auto path = reader_.text(*path_value, "a file path", "path: ../var/events.jsonl")) {
        out.path = resolve_config_path(base_, *path);
        if (type_known && out.type == "memory") {
          reader_.report(path_value->location, "eventStore.path is set but the type is memory",
                         "path only with type: file", quote_text(*path),
                         "add type: file to keep events in that file, or remove path");
        }
      }
    } else if (type_known && out.type == "file") {
      reader_.report(section->self().location, "eventStore has type file but no path",
                     "path: the JSON-lines file to append events to", "no path: key",
                     "add e.g. path: ../var/events.jsonl");
    }
    if (auto value = section->get("maxEvents")) {
      if (auto number = reader_.integer(*value, 1, kMaxEvents, "maxEvents: 10000")) {
        out.max_events = static_cast<uint32_t>(*number);
      }
    }
  }

  ConfigReader& reader_;
  std::filesystem::path base_;
};

// The part of a syntax error message that says what YAML wanted there, and how to fix it.
std::pair<std::string, std::string> syntax_hint(const std::string& message) {
  namespace msg = YAML::ErrorMsg;
  if (message == msg::TAB_IN_INDENTATION) {
    return {"spaces for indentation", "indent with spaces; YAML does not allow tabs there"};
  }
  if (message == msg::END_OF_SEQ_FLOW) {
    return {"a ']' closing the list", "close the list that a '[' opened, or quote the text"};
  }
  if (message == msg::END_OF_MAP_FLOW) {
    return {"a '}' closing the mapping", "close the mapping that a '{' opened, or quote the text"};
  }
  if (message == msg::MAP_VALUE) {
    return {"one key: value pair per line, indented with spaces",
            "quote a value that contains ': ', and check the indentation"};
  }
  if (message == msg::END_OF_MAP || message == msg::END_OF_SEQ || message == msg::BLOCK_ENTRY ||
      message == msg::MAP_KEY) {
    return {"entries of one mapping or list at the same indentation",
            "line the entries up with the ones above"};
  }
  if (message == msg::UNKNOWN_ANCHOR || message == msg::ALIAS_NOT_FOUND) {
    return {"an anchor &name defined before its alias *name",
            "define the anchor first, or quote a value that starts with '*'"};
  }
  if (message == msg::EOF_IN_SCALAR || message == msg::DOC_IN_SCALAR) {
    return {"a closing quote", "close the quoted text"};
  }
  return {"valid YAML", "fix the YAML at this place"};
}

std::string found_at(const std::string& text, int64_t position) {
  if (position < 0 || static_cast<size_t>(position) >= text.size()) return "the end of the file";
  const char c = text[static_cast<size_t>(position)];
  if (c == '\t') return "a tab";
  if (c == '\n' || c == '\r') return "the end of the line";
  const size_t end = text.find('\n', static_cast<size_t>(position));
  return quote_text(
      text.substr(static_cast<size_t>(position),
                  (end == std::string::npos ? text.size() : end) - static_cast<size_t>(position)),
      20);
}

// The first tab in the leading white space of the line a syntax error is on.
std::optional<YAML::Mark> tab_in_indentation(const std::string& text, const YAML::Mark& error) {
  if (error.pos < 0 || static_cast<size_t>(error.pos) > text.size()) return std::nullopt;
  const size_t position = static_cast<size_t>(error.pos);
  const size_t newline = position == 0 ? std::string::npos : text.rfind('\n', position - 1);
  const size_t line_start = newline == std::string::npos ? 0 : newline + 1;
  for (size_t i = line_start; i < text.size() && (text[i] == ' ' || text[i] == '\t'); ++i) {
    if (text[i] == '\t') {
      YAML::Mark mark;
      mark.pos = static_cast<int>(i);
      mark.line = error.line;
      mark.column = static_cast<int>(i - line_start);
      return mark;
    }
  }
  return std::nullopt;
}

void report_syntax_error(ConfigReader& reader, const std::string& text,
                         const config::YamlSyntaxError& error) {
  if (error.too_deep_at > 0) {
    reader.report(reader.location_at(error.mark), "the YAML is nested too deeply",
                  "at most " + std::to_string(error.too_deep_at) + " levels", "more",
                  "flatten the document");
    return;
  }
  if (auto tab = tab_in_indentation(text, error.mark)) {
    // yaml-cpp often names a consequence ("illegal map value") rather than the tab.
    reader.report(reader.location_at(*tab), "YAML syntax error: a tab in the indentation",
                  "spaces for indentation", "a tab",
                  "indent with spaces; YAML does not allow tabs there");
    return;
  }
  if (error.stuck) {
    const bool comma = error.mark.pos >= 0 && static_cast<size_t>(error.mark.pos) < text.size() &&
                       text[static_cast<size_t>(error.mark.pos)] == ',';
    reader.report(reader.location_at(error.mark),
                  comma ? "YAML syntax error: a ',' outside a [...] list or {...} mapping"
                        : "YAML syntax error: no value can start here",
                  "a key, a list item or a value", found_at(text, error.mark.pos),
                  comma ? "quote the text that holds the ',', or put it inside [...]"
                        : "quote the value, or remove the character");
    return;
  }
  const auto [expected, todo] = syntax_hint(error.message);
  reader.report(reader.location_at(error.mark), "YAML syntax error: " + error.message, expected,
                found_at(text, error.mark.pos), todo);
}

void parse_text(ConfigReader& reader, const std::string& text, const std::filesystem::path& base,
                HostConfig& out) {
  auto parsed = config::parse_yaml_documents(text);
  if (auto* error = std::get_if<config::YamlSyntaxError>(&parsed)) {
    report_syntax_error(reader, text, *error);
    return;
  }
  const auto& documents = std::get<config::YamlDocuments>(parsed);
  if (documents.count == 0) return;  // an empty file: every default
  if (documents.count > 1) {
    reader.report(reader.location_at(documents.second_mark),
                  "the file holds more than one YAML document", "one document",
                  "another document after a '---' line", "keep one host config per file");
  }
  HostConfigParser(reader, base).parse(reader.document(documents.first), out);
}

}  // namespace

std::string ConfigLocation::to_string() const {
  std::string out = file.string();
  if (line > 0) {
    if (!out.empty()) out += ':';
    out += std::to_string(line);
    if (column > 0) out += ':' + std::to_string(column);
  }
  return out;
}

Result<HostConfig> load_host_config(const std::filesystem::path& file) {
  auto text = config::read_config_text(file);
  if (!text) return text.error();

  std::error_code error;
  const std::filesystem::path absolute = std::filesystem::absolute(file, error);
  const std::filesystem::path base = (error ? file : absolute).parent_path();

  HostConfig out;
  out.file = file;
  ConfigReader reader(file, *text);
  try {
    parse_text(reader, *text, base, out);
  } catch (const std::exception& unexpected) {
    // A YAML tree the checks above did not foresee: still an answer, never a crash.
    reader.report(reader.file_location(),
                  "cannot read the config: " + std::string(unexpected.what()),
                  "a host config this version understands", "a structure it failed on",
                  "simplify the file and report this message");
  }
  if (reader.failed()) return Error{reader.messages()};
  return out;
}

}  // namespace kph::host
