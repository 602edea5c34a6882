#include "resources/resource_lookup.hpp"

namespace kph::host {
namespace {

// A name becomes one folder, branch or path segment: it must not contain '/' either.
Status check_name(const char* what, const std::string& name) {
  if (name.find('/') != std::string::npos) {
    return Error{std::string(what) + " name \"" + name +
                 "\" refused: it contains '/'; Keptn names are single words"};
  }
  return check_resource_path(std::string(what) + " name", name);
}

}  // namespace

std::string_view level_name(ResourceLevel level) {
  switch (level) {
    case ResourceLevel::kService:
      return "service";
    case ResourceLevel::kStage:
      return "stage";
    case ResourceLevel::kProject:
      return "project";
  }
  return "?";
}

Result<std::vector<ResourceLevel>> lookup_levels(const ResourceRequest& request) {
  if (auto ok = check_resource_path("resource URI", request.uri); !ok) return ok.error();
  if (auto ok = check_name("project", request.project); !ok) return ok.error();
  const bool has_stage = !request.stage.empty();
  const bool has_service = has_stage && !request.service.empty();
  if (has_stage) {
    if (auto ok = check_name("stage", request.stage); !ok) return ok.error();
  }
  if (!request.service.empty()) {
    if (auto ok = check_name("service", request.service); !ok) return ok.error();
  }
  std::vector<ResourceLevel> levels;
  switch (request.scope) {
    case KPH_SCOPE_INHERIT:
      if (has_service) levels.push_back(ResourceLevel::kService);
      if (has_stage) levels.push_back(ResourceLevel::kStage);
      levels.push_back(ResourceLevel::kProject);
      break;
    case KPH_SCOPE_SERVICE:
      if (has_service) levels.push_back(ResourceLevel::kService);
      break;
    case KPH_SCOPE_STAGE:
      if (has_stage) levels.push_back(ResourceLevel::kStage);
      break;
    case KPH_SCOPE_PROJECT:
      levels.push_back(ResourceLevel::kProject);
      break;
    default:
      return Error{"resource scope " + std::to_string(request.scope) +
                   " is unknown; expected KPH_SCOPE_INHERIT, _SERVICE, _STAGE or _PROJECT"};
  }
  return levels;
}

std::string describe_request(const ResourceRequest& request) {
  std::string out = request.uri + " for project " + request.project;
  if (!request.stage.empty()) out += ", stage " + request.stage;
  if (!request.service.empty()) out += ", service " + request.service;
  if (!request.git_commit_id.empty()) out += " at commit " + request.git_commit_id;
  return out;
}

}  // namespace kph::host
