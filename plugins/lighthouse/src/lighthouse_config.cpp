#include "lighthouse_config.hpp"

namespace kph::plugins::lighthouse {
namespace {

constexpr int64_t kMaxTimeoutSeconds = 4294967;  // the ABI's reply timeout is uint32 ms

std::string found(const nlohmann::json& value) {
  const std::string text = value.dump();
  return text.size() > 60 ? text.substr(0, 57) + "..." : text;
}

}  // namespace

std::optional<std::string> LighthouseConfig::provider_for(const std::string& project) const {
  if (const auto it = project_providers.find(project); it != project_providers.end()) {
    return it->second;
  }
  return default_provider;
}

ConfigParse parse_config(const nlohmann::json& config) {
  LighthouseConfig out;
  if (config.is_null()) return {out, ""};
  if (!config.is_object()) {
    return {std::nullopt, "lighthouse config: expected an object, found " + found(config)};
  }
  for (auto it = config.begin(); it != config.end(); ++it) {
    const std::string& key = it.key();
    const nlohmann::json& value = it.value();
    if (key == "sliProvider") {
      if (!value.is_object()) {
        return {std::nullopt,
                "lighthouse config: sliProvider: expected an object such as "
                "{\"default\": \"prometheus\", \"projects\": {\"sockshop\": "
                "\"dynatrace\"}}, found " +
                    found(value)};
      }
      for (auto field = value.begin(); field != value.end(); ++field) {
        if (field.key() == "default") {
          if (field->is_null()) {
            out.default_provider.reset();
          } else if (field->is_string()) {
            out.default_provider = field->get<std::string>();
          } else {
            return {std::nullopt,
                    "lighthouse config: sliProvider.default: expected a provider "
                    "name or null, found " +
                        found(*field)};
          }
        } else if (field.key() == "projects") {
          if (!field->is_object()) {
            return {std::nullopt,
                    "lighthouse config: sliProvider.projects: expected an object "
                    "of project name to provider name, found " +
                        found(*field)};
          }
          for (auto project = field->begin(); project != field->end(); ++project) {
            if (!project->is_string()) {
              return {std::nullopt, "lighthouse config: sliProvider.projects." + project.key() +
                                        ": expected a provider name, found " + found(*project)};
            }
            out.project_providers[project.key()] = project->get<std::string>();
          }
        } else {
          return {std::nullopt, "lighthouse config: sliProvider." + field.key() +
                                    ": unknown key; use \"default\" or \"projects\""};
        }
      }
    } else if (key == "sliTimeoutSeconds") {
      if (!value.is_number_integer() || value.get<int64_t>() < 1 ||
          value.get<int64_t>() > kMaxTimeoutSeconds) {
        return {std::nullopt,
                "lighthouse config: sliTimeoutSeconds: expected a whole number of "
                "seconds from 1 to " +
                    std::to_string(kMaxTimeoutSeconds) + ", found " + found(value)};
      }
      out.sli_timeout = std::chrono::seconds(value.get<int64_t>());
    } else if (key == "sloResourceScope") {
      if (value == "inherit") {
        out.slo_inherit = true;
      } else if (value == "service") {
        out.slo_inherit = false;
      } else {
        return {std::nullopt,
                "lighthouse config: sloResourceScope: expected \"inherit\" or "
                "\"service\", found " +
                    found(value)};
      }
    } else {
      return {std::nullopt, "lighthouse config: " + key +
                                ": unknown key; use sliProvider, sliTimeoutSeconds or "
                                "sloResourceScope"};
    }
  }
  return {out, ""};
}

nlohmann::json config_schema() {
  return {
      {"$schema", "http://json-schema.org/draft-07/schema#"},
      {"title", "lighthouse"},
      {"type", "object"},
      {"additionalProperties", false},
      {"properties",
       {{"sliProvider",
         {{"type", "object"},
          {"additionalProperties", false},
          {"description",
           "Which SLI provider lighthouse asks for SLI values: the sliProvider of "
           "sh.keptn.event.get-sli.triggered. Replaces Keptn's ConfigMaps "
           "lighthouse-config-<project> and lighthouse-config (key sli-provider)."},
          {"default", {{"default", "prometheus"}, {"projects", nlohmann::json::object()}}},
          {"properties",
           {{"default",
             {{"type", {"string", "null"}},
              {"default", "prometheus"},
              {"description",
               "The provider for projects not listed in projects. null means none: the "
               "evaluation then finishes with result pass and no SLIs, as Keptn does when no "
               "provider is configured."}}},
            {"projects",
             {{"type", "object"},
              {"additionalProperties", {{"type", "string"}}},
              {"default", nlohmann::json::object()},
              {"description",
               "Provider per project name; wins over default. An empty string is sent as it is, "
               "as Keptn does for a ConfigMap without the sli-provider key."}}}}}}},
        {"sliTimeoutSeconds",
         {{"type", "integer"},
          {"minimum", 1},
          {"maximum", kMaxTimeoutSeconds},
          {"default", 300},
          {"description",
           "How long lighthouse waits for sh.keptn.event.get-sli.finished before it finishes the "
           "evaluation with status errored. Keptn waits forever. Keep it below the instance's "
           "task timeout, which otherwise ends the wait first."}}},
        {"sloResourceScope",
         {{"type", "string"},
          {"enum", {"inherit", "service"}},
          {"default", "inherit"},
          {"description",
           "Where slo.yaml is read: inherit takes the service's, else the stage's, else the "
           "project's; service reads only the service's, as Keptn does."}}}}}};
}

}  // namespace kph::plugins::lighthouse
