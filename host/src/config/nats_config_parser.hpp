// Reads the `controlPlane.nats` block. Kept apart from the rest of the host config because
// it is long and only serve mode uses it; it reports through the same ConfigReader, so its
// messages have the same file:line:column form.
#pragma once

#include <filesystem>
#include <string_view>

#include "config/config_reader.hpp"
#include "config/nats_settings.hpp"

namespace kph::host::config {

// Fills `out` from the block; relative file paths (tls, secrets, credentials) resolve against
// `base`, the config file's folder. Problems go to `reader`; a secret's value never appears in
// a message.
void parse_nats_config(ConfigReader& reader, const YamlValue& value,
                       const std::filesystem::path& base, NatsConfig& out);

// Checks a stream, consumer, bucket or queue-group name: letters, digits, '_' and '-'.
bool is_valid_nats_name(std::string_view name);
// Checks a subject or subject filter: dot-separated non-empty tokens without white space, '*'
// only as a whole token, '>' only as the last token.
bool is_valid_nats_subject(std::string_view subject);

}  // namespace kph::host::config
