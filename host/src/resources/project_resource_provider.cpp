#include "resources/project_resource_provider.hpp"

namespace kph::host {

ProjectResourceProvider::ProjectResourceProvider(
    std::unique_ptr<ResourceProvider> fallback,
    std::map<std::string, std::unique_ptr<ResourceProvider>> projects)
    : fallback_(std::move(fallback)), projects_(std::move(projects)) {}

Result<std::optional<std::string>> ProjectResourceProvider::get(const ResourceRequest& request) {
  if (auto it = projects_.find(request.project); it != projects_.end()) {
    return it->second->get(request);
  }
  if (fallback_) return fallback_->get(request);
  return Error{"project " + request.project +
               " has no resource provider: resources names other projects only; add it under "
               "resources.projects, or configure a provider for every project"};
}

}  // namespace kph::host
