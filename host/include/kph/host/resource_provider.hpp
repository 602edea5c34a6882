// Reads the project's Keptn resources (slo.yaml, sli.yaml, charts, job configs) for plugins,
// whichever store holds them. Plugins never learn which provider is behind the call.
#pragma once

#include <kph/plugin_api.h>

#include <optional>
#include <string>

#include "common/result.hpp"

namespace kph::host {

struct ResourceRequest {
  std::string project;
  std::string stage;
  std::string service;
  std::string git_commit_id;  // empty: the stage's latest
  std::string uri;            // relative, e.g. "slo.yaml", "prometheus/sli.yaml"
  kph_resource_scope scope = KPH_SCOPE_INHERIT;
};

class ResourceProvider {
 public:
  virtual ~ResourceProvider() = default;
  // The content; nullopt when no searched scope has the resource (never an empty string in
  // its place); an Error for a refused URI or a provider failure. Thread: any thread.
  virtual Result<std::optional<std::string>> get(const ResourceRequest& request) = 0;
};

// Checks that a project/stage/service name or a resource URI cannot leave its root: relative,
// no "..", no empty segments, no NUL. The error says which and why.
Status check_resource_path(const std::string& what, const std::string& path);

}  // namespace kph::host
