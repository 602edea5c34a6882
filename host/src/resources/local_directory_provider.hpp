// Resources from a local folder laid out DIR/<project>/<stage>/<service>/<uri>, with the
// stage-level DIR/<project>/<stage>/<uri> and project-level DIR/<project>/<uri> as fallbacks:
// the same lookup Keptn's resource-service gives. The git commit id is ignored.
#pragma once

#include <kph/host/resource_provider.hpp>

#include <filesystem>

#include "resources/resource_lookup.hpp"

namespace kph::host {

class LocalDirectoryProvider : public ResourceProvider {
 public:
  explicit LocalDirectoryProvider(std::filesystem::path root);

  // Thread: any thread; it keeps no state between calls.
  Result<std::optional<std::string>> get(const ResourceRequest& request) override;

 private:
  // Reads project_root/relative if it is a regular file that stays inside the project's
  // folder after symlinks are resolved (a link out of it is an Error, not "not found").
  Result<std::optional<std::string>> read(const std::filesystem::path& project_root,
                                          const std::filesystem::path& relative) const;

  std::filesystem::path root_;
};

}  // namespace kph::host
