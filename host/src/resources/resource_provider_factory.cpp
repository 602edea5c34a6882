#include "resources/resource_provider_factory.hpp"

#include "resources/git_provider.hpp"
#include "resources/local_directory_provider.hpp"
#include "resources/project_resource_provider.hpp"
#include "resources/resource_service_provider.hpp"

namespace kph::host {
namespace {

Result<std::unique_ptr<ResourceProvider>> make_one(const ResourceProviderConfig& config,
                                                   const std::string& setting) {
  if (config.provider == "git") {
    auto provider = GitProvider::create(config.git, setting + ".git");
    if (!provider) return provider.error();
    return std::unique_ptr<ResourceProvider>(std::move(*provider));
  }
  if (config.provider == "resource-service") {
    auto provider =
        ResourceServiceProvider::create(config.resource_service, setting + ".resourceService");
    if (!provider) return provider.error();
    return std::unique_ptr<ResourceProvider>(std::move(*provider));
  }
  if (config.directory.empty()) return std::unique_ptr<ResourceProvider>();
  return std::unique_ptr<ResourceProvider>(
      std::make_unique<LocalDirectoryProvider>(config.directory));
}

}  // namespace

Result<std::unique_ptr<ResourceProvider>> make_resource_provider(const ResourcesConfig& config) {
  auto fallback = make_one(config, "resources");
  if (!fallback) return fallback.error();
  if (config.projects.empty()) return std::move(*fallback);
  std::map<std::string, std::unique_ptr<ResourceProvider>> projects;
  for (const auto& [name, project] : config.projects) {
    auto provider = make_one(project, "resources.projects." + name);
    if (!provider) return provider.error();
    if (!*provider) {
      return Error{"resources.projects." + name +
                   " selects provider local but names no directory; add directory: ./resources"};
    }
    projects.emplace(name, std::move(*provider));
  }
  return std::unique_ptr<ResourceProvider>(
      std::make_unique<ProjectResourceProvider>(std::move(*fallback), std::move(projects)));
}

}  // namespace kph::host
