// The semver handshake of the plugin ABI: parsing the version a plugin reports and deciding
// whether this host may load it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace kph::host {

struct ApiVersion {
  uint32_t major = 0;
  uint32_t minor = 0;
  uint32_t patch = 0;

  std::string to_string() const;
};

// Parses "MAJOR.MINOR.PATCH", optionally followed by a semver pre-release ("-rc.1") or build
// ("+abc") suffix, which the handshake ignores. Numbers have no sign and no leading zeros.
// Returns nothing for anything else, including surrounding blanks.
std::optional<ApiVersion> parse_api_version(std::string_view text);

// The plugin API version this host implements (from the plugin_api.h it was built with).
ApiVersion host_api_version();

// The handshake: the majors are equal and the host's minor is at least the plugin's.
// `reported` is what kph_plugin_get_required_api_version returned (NULL allowed). The refusal
// names the file, both versions, the rule that failed and the fix.
Status check_api_version(const std::filesystem::path& file, const char* reported,
                         const ApiVersion& host);

}  // namespace kph::host
