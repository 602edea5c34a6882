// The host's YAML config: which control plane, which plugins with which settings, which
// routes, which resource provider and which event store. Parsing is strict: an unknown key,
// a wrong type or a missing file is an error that names file:line:column.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "config/nats_settings.hpp"
#include "config/resources_settings.hpp"

namespace kph::host {

// A place in a config file, for error messages: "file:line:column".
struct ConfigLocation {
  std::filesystem::path file;
  int line = 0;    // 1-based; 0 when unknown
  int column = 0;  // 1-based
  std::string to_string() const;
};

inline constexpr uint32_t kDefaultQueueSize = 256;

struct PluginConfig {
  // Instance name. A config file defaults it to the stem of `library` (".../foo.so" -> "foo"),
  // so routes can be checked without loading anything; empty (plugins from --plugin) means the
  // library's metadata name.
  std::string name;
  std::string library;  // NAME or path to a .so (relative paths: against the config's folder)
  nlohmann::json config = nlohmann::json::object();  // the instance config, as JSON
  uint32_t max_concurrency = 4;                      // worker threads for this instance
  // Tasks waiting for a worker. Unset: kDefaultQueueSize, except under a JetStream consumer,
  // where it is maxConcurrency (see serve_mode.cpp).
  std::optional<uint32_t> queue_size;
  std::chrono::milliseconds task_timeout = std::chrono::minutes(10);
  uint32_t max_retries = 3;        // how often a task that answers KPH_RETRY is tried again
  ConfigLocation location;         // of the plugin's entry
  ConfigLocation config_location;  // of its `config:` value (or the entry when absent)
};

struct RouteConfig {
  std::string event;                  // event-type pattern, '*' matches any run of characters
  std::string plugin;                 // instance name
  std::vector<std::string> projects;  // empty: any
  std::vector<std::string> stages;
  std::vector<std::string> services;
  ConfigLocation location;
};

struct EventStoreConfig {
  std::string type = "memory";  // "memory" or "file"
  std::filesystem::path path;   // file: JSON lines, appended
  uint32_t max_events = 10000;  // memory: the newest kept
};

struct ControlPlaneConfig {
  std::string mode = "local";  // "local" or "nats"; "api" comes with its transport
  NatsConfig nats;             // controlPlane.nats, read for mode nats
};

struct HostConfig {
  std::filesystem::path file;  // where it was read from; empty when built from flags
  ControlPlaneConfig control_plane;
  std::vector<PluginConfig> plugins;
  std::vector<RouteConfig> routes;
  ResourcesConfig resources;
  EventStoreConfig event_store;
};

// Reads and checks a config file. On failure the Error's message holds every problem found,
// one per line, each starting with "file:line:column: ".
Result<HostConfig> load_host_config(const std::filesystem::path& file);

// Parses a duration such as "500ms", "30s", "10m", "1h", "1h30m".
Result<std::chrono::milliseconds> parse_duration(const std::string& text);

}  // namespace kph::host
