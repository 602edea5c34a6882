// Rules every part of the host config shares for plain values: how a path is resolved and what
// a name may look like. One definition, so the file reads the same in every section.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

namespace kph::host::config {

// A path from the config: absolute as written, or relative to the config file's folder
// (`base`), never to the working directory.
std::filesystem::path resolve_config_path(const std::filesystem::path& base,
                                          const std::string& text);

// Letters, digits, '.', '_' and '-', starting with a letter or digit, at most max_size bytes.
// Such names are safe in event sources, metric labels, file names and command lines.
bool is_simple_name(std::string_view name, size_t max_size);

// Letters, digits and '_', not starting with a digit: a name a shell can export.
bool is_env_variable_name(std::string_view name);

}  // namespace kph::host::config
