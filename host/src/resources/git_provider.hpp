// Resources from each project's Keptn upstream git repository, read through a local bare clone
// (see GitMirror and GitCache). It understands both layouts Keptn writes:
//   branch per stage (Keptn's default through 1.4.5): project files on the default branch,
//     stage files at the root of the branch named after the stage, service files in
//     <service>/ on that branch;
//   stage directories: everything on the default branch, stage files in .keptn-stages/<stage>/,
//     service files in .keptn-stages/<stage>/<service>/.
// A read with the event's gitcommitid reads that commit (fetching when the clone lacks it);
// without one it reads the stage's head, fetched at most every fetchInterval.
#pragma once

#include <kph/host/resource_provider.hpp>

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "config/resources_settings.hpp"
#include "resources/git_cache.hpp"
#include "resources/git_mirror.hpp"

namespace kph::host {

class GitProvider : public ResourceProvider {
 public:
  // `setting` names the config block in messages ("resources.git"). An Error when the cache
  // directory cannot be created or the CA file cannot be loaded. Clones nothing yet.
  static Result<std::unique_ptr<GitProvider>> create(const GitResourcesConfig& config,
                                                     std::string setting = "resources.git");

  // Thread: any thread, thread-safe.
  Result<std::optional<std::string>> get(const ResourceRequest& request) override;

  // The default cache folder: $XDG_CACHE_HOME/keptn-host/git, else $HOME/.cache/keptn-host/git,
  // else /var/cache/keptn-host/git.
  static std::filesystem::path default_cache_directory();

 private:
  GitProvider(GitResourcesConfig config, std::string setting,
              std::shared_ptr<const git::GitCache> cache);

  std::shared_ptr<git::GitMirror> mirror_for(const std::string& project);

  GitResourcesConfig config_;
  std::string setting_;
  std::shared_ptr<const git::GitCache> cache_;
  std::mutex mutex_;  // guards mirrors_ only
  std::map<std::string, std::shared_ptr<git::GitMirror>> mirrors_;
};

}  // namespace kph::host
