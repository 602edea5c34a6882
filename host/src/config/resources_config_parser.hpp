// Reads the `resources:` block of the host config: the provider (local, git or
// resource-service), its settings, and per-project blocks under `projects:`. It reports through
// the host config's ConfigReader, so its messages have the same file:line:column form.
#pragma once

#include <filesystem>
#include <string_view>

#include "config/config_reader.hpp"
#include "config/resources_settings.hpp"

namespace kph::host::config {

// Fills `out` from the block; relative paths (directory, cacheDirectory, caFile, secret files)
// resolve against `base`, the config file's folder. A project block starts from a copy of the
// top-level settings. Problems go to `reader`; a secret's value never appears in a message.
void parse_resources_config(ConfigReader& reader, const YamlValue& value,
                            const std::filesystem::path& base, ResourcesConfig& out);

// A Keptn project name usable as a key and a folder name: letters, digits, '.', '_' and '-',
// starting with a letter or digit, at most 200 characters.
bool is_valid_project_name(std::string_view name);

}  // namespace kph::host::config
