// resolve_plugin and plugin_search_path: how `--plugin NAME` becomes a file.
#include <algorithm>
#include <cstdlib>
#include <system_error>

#include "loader/plugin_library.hpp"

namespace kph::host {
namespace {

bool is_path_like(const std::string& value) {
  return value.find('/') != std::string::npos ||
         (value.size() > 3 && value.compare(value.size() - 3, 3, ".so") == 0);
}

std::string describe_folders(const std::vector<std::filesystem::path>& folders) {
  std::string text;
  for (const auto& folder : folders) text += "\n  " + folder.string();
  return text;
}

}  // namespace

std::vector<std::filesystem::path> plugin_search_path() {
  std::vector<std::filesystem::path> folders;
  folders.emplace_back(KPH_BUILD_PLUGIN_DIR);
  folders.emplace_back(KPH_INSTALL_PLUGIN_DIR);
  if (const char* env = std::getenv("KPH_PLUGIN_PATH"); env != nullptr) {
    const std::string list = env;
    size_t start = 0;
    while (start <= list.size()) {
      const size_t colon = std::min(list.find(':', start), list.size());
      // An empty entry ("a::b", a trailing ':') means nothing here, not the current folder:
      // plugins are code, and loading one from wherever the host happens to run is a trap.
      if (colon > start) folders.emplace_back(list.substr(start, colon - start));
      start = colon + 1;
    }
  }
  return folders;
}

Result<std::filesystem::path> resolve_plugin(const std::string& name_or_file) {
  if (name_or_file.empty()) {
    return Error{
        "--plugin: expected a plugin name or a path to a .so file, found an empty "
        "value. Fix: give a name such as `approval` or a path such as `./my-plugin.so`"};
  }
  if (is_path_like(name_or_file)) {
    const std::filesystem::path file = name_or_file;
    std::error_code error;
    if (!std::filesystem::exists(file, error)) {
      std::error_code ignored;
      const auto absolute = std::filesystem::absolute(file, ignored);
      return Error{"plugin file " + name_or_file + " not found: expected a plugin .so at " +
                   absolute.string() +
                   ", found nothing there. Fix: check the path, or build the plugin first"};
    }
    return file;
  }
  const auto folders = plugin_search_path();
  const std::string file_name = name_or_file + ".so";
  for (const auto& folder : folders) {
    const auto candidate = folder / file_name;
    std::error_code error;
    if (std::filesystem::is_regular_file(candidate, error)) return candidate;
  }
  return Error{"plugin " + name_or_file + " not found: expected " + file_name +
               " in one of these folders, searched in order:" + describe_folders(folders) +
               "\nFix: build or install the plugin, add the folder that holds " + file_name +
               " to KPH_PLUGIN_PATH (colon-separated), or pass the path to the .so file"};
}

}  // namespace kph::host
