// Reads a secret's source from the config: `key: {file: PATH}` or `key: {env: VARIABLE}`.
// Secrets never go into the config itself, so an inline value is refused without showing it.
#pragma once

#include <filesystem>
#include <string_view>

#include "config/config_reader.hpp"
#include "config/nats_settings.hpp"  // SecretSource

namespace kph::host::config {

// Fills `out` from `section`'s `key` when present; a relative file resolves against `base`.
// `env_example` is a variable name for the "write e.g." part of messages (e.g. GIT_TOKEN).
// Problems go to `reader` and never quote the value.
void parse_secret_source(ConfigReader& reader, const YamlMapping& section, std::string_view key,
                         const std::filesystem::path& base, std::string_view env_example,
                         SecretSource& out);

}  // namespace kph::host::config
