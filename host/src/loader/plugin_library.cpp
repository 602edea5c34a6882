#include "loader/plugin_library.hpp"

#include <dlfcn.h>

#include <boost/dll/shared_library.hpp>
#include <string_view>
#include <system_error>

#include "loader/api_version.hpp"
#include "loader/metadata_parser.hpp"

namespace kph::host {

struct PluginLibrary::Parts {
  boost::dll::shared_library library;
  std::shared_ptr<const ConfigSchema> schema;
};

namespace {

std::string refusal_prefix(const std::filesystem::path& file) {
  return "cannot load plugin " + file.string() + ": ";
}

// What to do about a dlopen failure, from the loader's own wording.
std::string dlopen_fix(std::string_view reason) {
  auto has = [&](std::string_view needle) { return reason.find(needle) != std::string::npos; };
  if (has("undefined symbol")) {
    return "link the plugin with every library it uses and with -Wl,--no-undefined "
           "(kph_add_plugin does both), so a missing symbol fails the build instead of the load";
  }
  if (has("invalid ELF header") || has("file too short") || has("not an ELF")) {
    return "point at the plugin's .so as built by kph_add_plugin; this file is not a shared "
           "library";
  }
  if (has("wrong ELF class") || has("ELF file OS ABI") || has("ELF file data encoding") ||
      has("machine")) {
    return "rebuild the plugin for this machine's architecture";
  }
  if (has("cannot open shared object file")) {
    return "install the library the plugin depends on, or add its folder to LD_LIBRARY_PATH "
           "(`ldd` on the plugin lists what is missing)";
  }
  return "check that the file is a plugin .so built by kph_add_plugin for this machine";
}

// Boost.DLL reports a failed dlopen as a bare errno; dlerror() still holds the dynamic
// loader's reason (Boost makes no dl* call between the failure and its return).
std::string take_dlerror() {
  const char* text = ::dlerror();
  return text != nullptr ? std::string(text) : std::string();
}

template <typename Fn>
bool resolve(const boost::dll::shared_library& library, const char* symbol, Fn*& out) {
  if (!library.has(symbol)) return false;
  out = &library.get<Fn>(symbol);
  return true;
}

Result<std::shared_ptr<const PluginLibrary>> load_checked(const std::filesystem::path& file) {
  const std::string prefix = refusal_prefix(file);
  std::error_code fs_error;
  const auto status = std::filesystem::status(file, fs_error);
  if (!std::filesystem::exists(status)) {
    return Error{prefix +
                 "no such file; expected a plugin .so at this path. Fix: check the path, "
                 "or build the plugin first"};
  }
  if (!std::filesystem::is_regular_file(status)) {
    return Error{prefix +
                 "expected a plugin .so file, found a directory or special file. Fix: "
                 "point at the plugin's .so file itself"};
  }

  auto parts = std::make_shared<PluginLibrary::Parts>();
  // RTLD_NOW makes an unresolved symbol fail here rather than mid-task; RTLD_LOCAL keeps one
  // plugin's symbols from satisfying another's; RTLD_NODELETE keeps the code mapped even if
  // the handle is closed, because a plugin thread may outlive its instance by a few
  // instructions, and an upgrade is a restart anyway.
  const auto mode = boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local |
                    static_cast<boost::dll::load_mode::type>(RTLD_NODELETE);
  boost::dll::fs::error_code load_error;
  parts->library.load(boost::dll::fs::path(file.string()), mode, load_error);
  if (load_error || !parts->library.is_loaded()) {
    std::string reason = take_dlerror();
    if (reason.empty()) reason = load_error.message();
    return Error{
        prefix + "the dynamic loader refused it (" + reason +
        "); expected a shared library whose every symbol resolves. Fix: " + dlopen_fix(reason)};
  }

  PluginHooks hooks;
  const auto& lib = parts->library;
  struct Required {
    const char* symbol;
    bool found;
  };
  const Required required[] = {
      {"kph_plugin_get_required_api_version",
       resolve(lib, "kph_plugin_get_required_api_version", hooks.get_required_api_version)},
      {"kph_plugin_get_metadata", resolve(lib, "kph_plugin_get_metadata", hooks.get_metadata)},
      {"kph_plugin_create", resolve(lib, "kph_plugin_create", hooks.create)},
      {"kph_plugin_destroy", resolve(lib, "kph_plugin_destroy", hooks.destroy)},
      {"kph_plugin_get_last_error",
       resolve(lib, "kph_plugin_get_last_error", hooks.get_last_error)},
      {"kph_plugin_handle_task", resolve(lib, "kph_plugin_handle_task", hooks.handle_task)},
  };
  resolve(lib, "kph_plugin_accept_task", hooks.accept_task);
  resolve(lib, "kph_plugin_on_child_event", hooks.on_child_event);
  resolve(lib, "kph_plugin_cancel_task", hooks.cancel_task);

  // The version comes first: a plugin for another major may legitimately lack a 1.x hook, and
  // "rebuild against 1.x" is then the useful answer, not "export this symbol".
  if (hooks.get_required_api_version == nullptr) {
    return Error{prefix +
                 "it does not export kph_plugin_get_required_api_version, so it is not a "
                 "keptn-host plugin or was built without the plugin API; expected the "
                 "kph_plugin_* symbols of plugin_api.h, found none of that name. Fix: export "
                 "kph_plugin_get_required_api_version (returning KPH_PLUGIN_API_VERSION_STR) and "
                 "build with kph_add_plugin"};
  }
  const char* reported = hooks.get_required_api_version();
  if (auto version = check_api_version(file, reported, host_api_version()); !version) {
    return version.error();
  }

  std::string missing;
  for (const auto& r : required) {
    if (r.found) continue;
    if (!missing.empty()) missing += ", ";
    missing += r.symbol;
  }
  if (!missing.empty()) {
    return Error{prefix +
                 "a required symbol is missing: expected every required kph_plugin_* "
                 "hook of plugin_api.h (Required: yes), found no " +
                 missing + ". Fix: export " + missing +
                 " (with KPH_PLUGIN_EXPORT, or let KPH_PLUGIN(...) of the C++ SDK generate it) "
                 "and rebuild the plugin"};
  }

  auto parsed = parse_plugin_metadata(file, hooks.get_metadata());
  if (!parsed) return parsed.error();
  parsed->metadata.required_api_version = reported;
  parts->schema = parsed->schema;
  return std::make_shared<const PluginLibrary>(file, hooks, std::move(parsed->metadata),
                                               std::move(parts));
}

}  // namespace

PluginLibrary::PluginLibrary(std::filesystem::path file, PluginHooks hooks, PluginMetadata metadata,
                             std::shared_ptr<Parts> parts)
    : file_(std::move(file)),
      hooks_(hooks),
      metadata_(std::move(metadata)),
      parts_(std::move(parts)) {}

Result<std::shared_ptr<const PluginLibrary>> PluginLibrary::load(
    const std::filesystem::path& file) {
  std::filesystem::path absolute = file;
  std::error_code ignored;
  if (auto made = std::filesystem::absolute(file, ignored); !ignored) {
    absolute = made.lexically_normal();
  }
  try {
    return load_checked(absolute);
  } catch (const std::exception& e) {
    // Boost.DLL and the JSON parser may throw on odd input; a bad plugin file is a refusal,
    // never an exception out of the loader.
    return Error{refusal_prefix(absolute) + "loading failed unexpectedly (" + e.what() +
                 "); expected a plugin .so built by kph_add_plugin. Fix: rebuild the plugin "
                 "with kph_add_plugin against plugin_api.h " +
                 std::to_string(KPH_PLUGIN_API_VERSION_MAJOR) + ".x"};
  }
}

Status PluginLibrary::validate_config(const nlohmann::json& config,
                                      const std::string& where) const {
  const std::string subject =
      where + ": the config of plugin " + metadata_.name + " (" + file_.string() + ")";
  if (!config.is_object()) {
    return Error{subject + " must be a JSON object; expected an object of settings, found " +
                 describe_json_value(config) +
                 ". Fix: write the config as a map of settings, or leave it out"};
  }
  if (!parts_ || !parts_->schema) return ok_status();
  auto checked = parts_->schema->validate(config);
  if (checked) return ok_status();
  return Error{subject + " does not match the plugin's configSchema:\n" + checked.error().message +
               "\nFix: change those settings to match the schema (`keptn-host plugin inspect " +
               file_.string() + "` lists the fields)"};
}

}  // namespace kph::host
