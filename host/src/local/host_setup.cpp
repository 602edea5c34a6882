#include "local/host_setup.hpp"

#include "resources/resource_provider_factory.hpp"
#include "stores/file_event_store.hpp"
#include "stores/memory_event_store.hpp"

namespace kph::host {

Result<HostParts> prepare_host(const SetupOptions& options) {
  HostParts parts;
  if (options.config_file) {
    auto config = load_host_config(*options.config_file);
    if (!config) return config.error();
    parts.config = std::move(*config);
  }
  for (const auto& plugin : options.plugins) {
    PluginConfig entry;
    entry.library = plugin;
    parts.config.plugins.push_back(std::move(entry));
  }
  if (parts.config.plugins.empty()) {
    return Error{"no plugin to run: pass --plugin NAME|FILE.so, or list plugins in the config"};
  }
  std::string problems;
  for (const auto& entry : parts.config.plugins) {
    auto file = resolve_plugin(entry.library);
    if (!file) {
      problems += (entry.location.file.empty() ? "" : entry.location.to_string() + ": ") +
                  file.error().message + "\n";
      continue;
    }
    auto library = PluginLibrary::load(*file);
    if (!library) {
      problems += library.error().message + "\n";
      continue;
    }
    parts.libraries.push_back(std::move(*library));
  }
  if (!problems.empty()) {
    problems.pop_back();
    return Error{problems};
  }

  if (options.resources) {
    // --resources DIR replaces whatever the config says, for every project.
    ResourcesConfig local;
    local.directory = *options.resources;
    parts.config.resources = std::move(local);
  }
  auto resources = make_resource_provider(parts.config.resources);
  if (!resources) return resources.error();
  parts.resources = std::move(*resources);
  const auto& store = parts.config.event_store;
  if (store.type == "file") {
    auto opened = FileEventStore::open(store.path, store.max_events);
    if (!opened) return opened.error();
    parts.store = std::move(*opened);
  } else {
    parts.store = std::make_unique<MemoryEventStore>(store.max_events);
  }
  return parts;
}

Status install_plugins(Engine& engine, HostParts& parts) {
  for (size_t i = 0; i < parts.config.plugins.size(); ++i) {
    if (auto added = engine.add_plugin(parts.config.plugins[i], parts.libraries[i]); !added) {
      return added.error();
    }
  }
  return engine.set_routes(parts.config.routes);
}

}  // namespace kph::host
