// Sends each request to its project's provider, or to the default one: how `resources.projects`
// gives single projects a provider of their own.
#pragma once

#include <kph/host/resource_provider.hpp>

#include <map>
#include <memory>
#include <string>

namespace kph::host {

class ProjectResourceProvider : public ResourceProvider {
 public:
  // `fallback` may be null: projects without their own provider then have no resources.
  ProjectResourceProvider(std::unique_ptr<ResourceProvider> fallback,
                          std::map<std::string, std::unique_ptr<ResourceProvider>> projects);

  // Thread: any thread; the map never changes after construction.
  Result<std::optional<std::string>> get(const ResourceRequest& request) override;

 private:
  std::unique_ptr<ResourceProvider> fallback_;
  std::map<std::string, std::unique_ptr<ResourceProvider>> projects_;
};

}  // namespace kph::host
