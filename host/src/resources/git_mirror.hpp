// One project's bare clone of its Keptn upstream repository, inside the GitCache. It is cloned
// on first use and fetched on demand; reads open their own repository handle, so any number of
// threads read while a fetch runs.
//
// A clone or fetch runs on a thread of its own: callers wait for it with a deadline
// (fetchTimeout), never holding a lock while the network is used, and a server that stops
// answering cannot hold a task's thread for longer than that.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

#include "common/result.hpp"
#include "config/nats_settings.hpp"  // SecretSource
#include "resources/git_cache.hpp"
#include "resources/git_handle.hpp"

namespace kph::host::git {

using Clock = std::chrono::steady_clock;

struct MirrorSettings {
  std::string project;
  std::string url;  // never holds credentials
  std::filesystem::path directory;
  SecretSource user;
  SecretSource token;
  SecretSource password;
  std::string setting;  // "resources.git" or "resources.projects.<p>.git", for messages
  std::chrono::milliseconds fetch_timeout{120000};
  // libgit2 does not repack: each fetch that brings objects adds a pack. Past this many packs
  // the clone is replaced by a fresh one (when no reader has it open).
  size_t max_packs = 64;
};

class GitMirror {
 public:
  GitMirror(MirrorSettings settings, std::shared_ptr<const GitCache> cache);
  // Returns at once; a fetch still running finishes (or times out) on its own thread.
  ~GitMirror();
  GitMirror(const GitMirror&) = delete;
  GitMirror& operator=(const GitMirror&) = delete;

  // Waits until a clone or fetch that started at `since` or later has finished, starting one
  // when none has. Its Error names the URL, the cause and the setting to fix; an Error also
  // when it does not finish within fetchTimeout. Thread: any thread.
  Status refresh_since(Clock::time_point since);

  // A repository handle for one read, and the shared use lock that keeps the cache from
  // evicting the clone meanwhile. An Error when there is no clone (yet). Thread: any thread.
  struct Handle {
    FileLock in_use;
    Repository repository;
  };
  Result<Handle> open() const;

  const MirrorSettings& settings() const;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace kph::host::git
