#include "loader/api_version.hpp"

#include <kph/plugin_api.h>

#include <cctype>

namespace kph::host {
namespace {

// Reads one semver number: digits only, no leading zero unless it is "0", small enough for
// uint32_t. Advances `pos` past it.
std::optional<uint32_t> read_number(std::string_view text, size_t& pos) {
  const size_t start = pos;
  while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) ++pos;
  const size_t digits = pos - start;
  if (digits == 0 || digits > 9) return std::nullopt;
  if (digits > 1 && text[start] == '0') return std::nullopt;
  uint32_t value = 0;
  for (size_t i = start; i < pos; ++i) value = value * 10 + static_cast<uint32_t>(text[i] - '0');
  return value;
}

bool is_suffix_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '+';
}

}  // namespace

std::string ApiVersion::to_string() const {
  return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
}

std::optional<ApiVersion> parse_api_version(std::string_view text) {
  size_t pos = 0;
  ApiVersion version;
  const auto major = read_number(text, pos);
  if (!major || pos >= text.size() || text[pos++] != '.') return std::nullopt;
  const auto minor = read_number(text, pos);
  if (!minor || pos >= text.size() || text[pos++] != '.') return std::nullopt;
  const auto patch = read_number(text, pos);
  if (!patch) return std::nullopt;
  if (pos < text.size()) {
    if (text[pos] != '-' && text[pos] != '+') return std::nullopt;
    if (pos + 1 == text.size()) return std::nullopt;
    for (size_t i = pos + 1; i < text.size(); ++i) {
      if (!is_suffix_char(text[i])) return std::nullopt;
    }
  }
  version.major = *major;
  version.minor = *minor;
  version.patch = *patch;
  return version;
}

ApiVersion host_api_version() {
  return ApiVersion{KPH_PLUGIN_API_VERSION_MAJOR, KPH_PLUGIN_API_VERSION_MINOR,
                    KPH_PLUGIN_API_VERSION_PATCH};
}

Status check_api_version(const std::filesystem::path& file, const char* reported,
                         const ApiVersion& host) {
  const std::string prefix = "cannot load plugin " + file.string() + ": ";
  const std::string host_text = host.to_string();
  const std::string host_series = std::to_string(host.major) + ".x";
  if (reported == nullptr) {
    return Error{prefix +
                 "kph_plugin_get_required_api_version returned NULL; expected a version string "
                 "such as \"" +
                 host_text +
                 "\". Fix: return KPH_PLUGIN_API_VERSION_STR from "
                 "kph_plugin_get_required_api_version and rebuild the plugin against "
                 "plugin_api.h " +
                 host_series};
  }
  const auto plugin = parse_api_version(reported);
  if (!plugin) {
    return Error{prefix +
                 "kph_plugin_get_required_api_version returned a malformed version: expected "
                 "\"MAJOR.MINOR.PATCH\" such as \"" +
                 host_text + "\", found \"" + std::string(reported) +
                 "\". Fix: return KPH_PLUGIN_API_VERSION_STR from "
                 "kph_plugin_get_required_api_version and rebuild the plugin against "
                 "plugin_api.h " +
                 host_series};
  }
  const std::string found = "the plugin was built for plugin API " + std::string(reported) +
                            ", this host implements plugin API " + host_text;
  if (plugin->major != host.major) {
    std::string fix = "rebuild the plugin against plugin_api.h " + host_series;
    if (plugin->major > host.major) {
      fix += ", or run it with a keptn-host that implements plugin API " +
             std::to_string(plugin->major) + ".x";
    }
    return Error{prefix + found + "; the rule \"majors must be equal\" failed: expected major " +
                 std::to_string(host.major) + ", found major " + std::to_string(plugin->major) +
                 ". Fix: " + fix};
  }
  if (plugin->minor > host.minor) {
    return Error{prefix + found +
                 "; the rule \"the host's minor must be at least the plugin's\" failed: expected "
                 "minor " +
                 std::to_string(host.minor) + " or lower, found minor " +
                 std::to_string(plugin->minor) +
                 ". Fix: upgrade keptn-host to a release that implements plugin API " +
                 std::to_string(plugin->major) + "." + std::to_string(plugin->minor) +
                 " or newer, or rebuild the plugin against plugin_api.h " + host_text};
  }
  return ok_status();
}

}  // namespace kph::host
