// The `resources:` block of the host config: where plugins' Keptn resources (slo.yaml,
// sli.yaml, charts, job configs) come from. One provider serves every project unless a project
// has its own block under `projects:`. Every default here is what an empty block runs with.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

#include "config/nats_settings.hpp"  // SecretSource

namespace kph::host {

// The Keptn upstream git repository, read through a local clone.
struct GitResourcesConfig {
  // https://, http://, git:// or file:// URL; "{project}" is replaced by the project's name,
  // so one setting serves every project. Never holds credentials (refused by the parser).
  std::string url;
  // "auto": stage folders when the default branch has a .keptn-stages folder, else a branch
  // per stage. "branchPerStage" (Keptn's default through 1.4.5) or "stageDirectories".
  std::string layout = "auto";
  std::string default_branch;  // empty: the branch the remote's HEAD names, else master
  // Clones live here across restarts, one folder per project and URL. Empty: the default,
  // $XDG_CACHE_HOME/keptn-host/git, else $HOME/.cache/keptn-host/git.
  std::filesystem::path cache_directory;
  int64_t cache_max_repositories = 20;  // the least recently used clones go first
  int64_t cache_max_megabytes = 2048;
  // A read at the stage's head fetches when the last fetch is older than this. A read at a
  // commit the clone lacks always fetches.
  std::chrono::milliseconds fetch_interval{10000};
  std::chrono::milliseconds fetch_timeout{120000};  // a read waits at most this for a fetch
  SecretSource user;      // https user name; default "keptn-host" when only a token is given
  SecretSource token;     // https: sent as the password (GitHub, GitLab, Gitea tokens)
  SecretSource password;  // https: with user
  // PEM bundle of CAs trusted for https instead of the system's. libgit2 holds one set per
  // process, so every project must name the same file (or none).
  std::filesystem::path ca_file;
};

// Keptn's resource-service REST API (in the cluster, or behind the Keptn API gateway).
struct ResourceServiceConfig {
  // In the cluster: http://resource-service:8080. Remote: https://<keptn>/api/resource-service.
  std::string url = "http://resource-service:8080";
  SecretSource token;                          // sent as x-token; the Keptn API token
  std::chrono::milliseconds timeout{10000};    // per attempt: connect, send and receive
  int64_t retries = 2;                         // after a connection error, a timeout or 5xx
  std::chrono::milliseconds retry_delay{500};  // doubles after each retry
  std::filesystem::path ca_file;               // PEM CAs trusted besides the system's
};

// One provider and its settings.
struct ResourceProviderConfig {
  std::string provider = "local";   // "local", "git" or "resource-service"
  std::filesystem::path directory;  // local: DIR/<project>/<stage>/<service>/<uri>
  GitResourcesConfig git;
  ResourceServiceConfig resource_service;
};

struct ResourcesConfig : ResourceProviderConfig {
  // Per-project blocks. Each starts from the settings above and changes what it names.
  std::map<std::string, ResourceProviderConfig> projects;
};

}  // namespace kph::host
