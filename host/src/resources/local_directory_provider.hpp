// Resources from a local folder laid out DIR/<project>/<stage>/<service>/<uri>, with the
// stage-level DIR/<project>/<stage>/<uri> and project-level DIR/<project>/<uri> as fallbacks:
// the same lookup Keptn's resource-service gives. The git commit id is ignored.
#pragma once

#include <kph/host/resource_provider.hpp>

#include <filesystem>

namespace kph::host {

class LocalDirectoryProvider : public ResourceProvider {
 public:
  explicit LocalDirectoryProvider(std::filesystem::path root);

  Result<std::optional<std::string>> get(const ResourceRequest& request) override;

 private:
  // Reads root_/relative if it exists and stays inside root_ after symlinks are resolved.
  Result<std::optional<std::string>> read(const std::filesystem::path& relative) const;

  std::filesystem::path root_;
};

}  // namespace kph::host
