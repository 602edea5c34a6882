// What every mode does before it takes events: read the config, apply command-line plugins and
// folders, load the libraries, and build the resource provider and the event store.
#pragma once

#include <kph/host/event_store.hpp>
#include <kph/host/resource_provider.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/host_config.hpp"
#include "loader/plugin_library.hpp"
#include "runtime/engine.hpp"

namespace kph::host {

struct SetupOptions {
  std::optional<std::filesystem::path> config_file;
  std::vector<std::string> plugins;                // --plugin NAME|FILE.so, added to the config's
  std::optional<std::filesystem::path> resources;  // overrides resources.directory
};

struct HostParts {
  HostConfig config;
  std::vector<std::shared_ptr<const PluginLibrary>> libraries;  // one per config.plugins entry
  std::unique_ptr<ResourceProvider> resources;                  // null when none is configured
  std::unique_ptr<EventStore> store;
};

// Every problem found, one per line, in the Error.
Result<HostParts> prepare_host(const SetupOptions& options);

// Adds every plugin to the engine and sets the routes.
Status install_plugins(Engine& engine, HostParts& parts);

}  // namespace kph::host
