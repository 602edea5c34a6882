// One loaded plugin library: the .so opened with Boost.DLL, its API version checked, its
// kph_plugin_* hooks resolved into the host's own table, and its metadata read and checked.
// Libraries are never unloaded during the process's life: a plugin thread that outlives its
// instance must still find its code mapped, and a restart is the upgrade path.
#pragma once

#include <kph/plugin_api.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"

namespace kph::host {

// The hooks resolved from one library. Optional hooks are null when the plugin lacks them.
struct PluginHooks {
  const char* (*get_required_api_version)(void) = nullptr;
  const char* (*get_metadata)(void) = nullptr;
  kph_plugin_state* (*create)(const kph_create_input*, kph_result*) = nullptr;
  void (*destroy)(kph_plugin_state*) = nullptr;
  const char* (*get_last_error)(kph_plugin_state*) = nullptr;
  kph_result (*handle_task)(kph_plugin_state*, kph_task_id, const char*, size_t) = nullptr;
  kph_result (*accept_task)(kph_plugin_state*, kph_task_id, const char*, size_t,
                            uint32_t*) = nullptr;
  kph_result (*on_child_event)(kph_plugin_state*, kph_task_id, kph_result, const char*,
                               size_t) = nullptr;
  void (*cancel_task)(kph_plugin_state*, kph_task_id) = nullptr;
};

// What kph_plugin_get_metadata says, checked.
struct PluginMetadata {
  std::string name;
  std::string version;
  std::string vendor;
  std::string description;
  std::vector<std::string> subscriptions;
  nlohmann::json config_schema;  // null when the plugin declares none: any object is accepted
  std::optional<uint32_t> max_concurrency;
  bool resumable = false;
  std::string required_api_version;
};

class PluginLibrary {
 public:
  // Loads the library (rtld_now | rtld_local), checks the API version, resolves the hooks and
  // reads the metadata. Every refusal names the file, what was expected, what was found and
  // the fix; a version refusal also names both versions and the rule that failed.
  static Result<std::shared_ptr<const PluginLibrary>> load(const std::filesystem::path& file);

  const std::filesystem::path& file() const { return file_; }
  const PluginMetadata& metadata() const { return metadata_; }
  const PluginHooks& hooks() const { return hooks_; }

  // Validates an instance config against the plugin's schema. `where` names the config's
  // place for the user (e.g. "host.yaml:12:5: plugins[0].config"); each failure adds the JSON
  // pointer of the offending value and the schema's complaint.
  Status validate_config(const nlohmann::json& config, const std::string& where) const;

  struct Parts;  // the loaded library handle, kept alive with the object
  PluginLibrary(std::filesystem::path file, PluginHooks hooks, PluginMetadata metadata,
                std::shared_ptr<Parts> parts);

 private:
  std::filesystem::path file_;
  PluginHooks hooks_;
  PluginMetadata metadata_;
  std::shared_ptr<Parts> parts_;
};

// Turns `--plugin NAME|FILE.so` into a file. A value with a '/' or ending in ".so" is a path;
// a bare NAME is looked up as <dir>/<NAME>.so in the build tree's plugin folder, then the
// install prefix's, then each folder of KPH_PLUGIN_PATH (colon-separated), first match wins.
Result<std::filesystem::path> resolve_plugin(const std::string& name_or_file);

// The folders resolve_plugin searches, in order.
std::vector<std::filesystem::path> plugin_search_path();

// `keptn-host plugin inspect`: the metadata and what the host found, as JSON.
nlohmann::json describe_plugin(const PluginLibrary& library);

// The plugin README's generated section: a table of subscriptions and config fields.
std::string describe_plugin_markdown(const PluginLibrary& library);

}  // namespace kph::host
