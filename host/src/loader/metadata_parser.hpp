// Reads and checks what kph_plugin_get_metadata returns.
#pragma once

#include <filesystem>
#include <memory>

#include "common/result.hpp"
#include "loader/config_schema.hpp"
#include "loader/plugin_library.hpp"

namespace kph::host {

struct ParsedMetadata {
  PluginMetadata metadata;
  std::shared_ptr<const ConfigSchema> schema;  // null when the plugin declares no configSchema
};

// Parses the metadata JSON text (NULL allowed) of the plugin in `file`. Every defect found is
// listed, one per line, in the refusal, which names the file, each field, what was expected,
// what was found and the fix. Keys the host does not know are ignored: a plugin may carry its
// own (a homepage, a licence) without being refused.
Result<ParsedMetadata> parse_plugin_metadata(const std::filesystem::path& file, const char* text);

// True for a plugin or instance name: one or more of [a-z0-9-].
bool is_valid_plugin_name(const std::string& name);

}  // namespace kph::host
