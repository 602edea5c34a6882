// The lighthouse plugin's instance config: what Keptn kept in its lighthouse-config ConfigMaps
// (the SLI provider per project, with a default) plus what keptn-host adds (how long to wait for
// the SLI provider, where slo.yaml may live).
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace kph::plugins::lighthouse {

struct LighthouseConfig {
  // Keptn's ConfigMap lighthouse-config; nothing means "no SLI provider configured".
  std::optional<std::string> default_provider = std::string("prometheus");
  // Keptn's ConfigMaps lighthouse-config-<project>; they win over the default.
  std::map<std::string, std::string> project_providers;
  std::chrono::seconds sli_timeout{300};
  // True: slo.yaml of the service, else of the stage, else of the project. False: the
  // service's only, as Keptn reads it.
  bool slo_inherit = true;

  std::optional<std::string> provider_for(const std::string& project) const;
};

struct ConfigParse {
  std::optional<LighthouseConfig> config;
  std::string error;  // names the key, what was expected and what was found
};

// Reads the instance config (a JSON object, already checked against config_schema() by the host;
// checked again here so that a bad value never reaches an evaluation).
ConfigParse parse_config(const nlohmann::json& config);

// The JSON Schema (draft 7) published in the plugin's metadata.
nlohmann::json config_schema();

}  // namespace kph::plugins::lighthouse
