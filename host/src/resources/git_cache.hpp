// The folder that holds the git provider's clones across restarts: one bare clone per project
// and URL, kept within a number of clones and a size. The least recently read clones are
// removed first, never one that a reader or a fetch (of any process) is using at that moment.
//
// Locks, all flock(2) on files next to each clone, so that several keptn-host processes (a
// daemon and `keptn-host resource get`, or two config generations) can share one cache:
//   <name>.lock  held exclusively while a clone or fetch writes;
//   <name>.use   held shared by every read, exclusively by eviction (which never waits).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <string>

#include "common/result.hpp"

namespace kph::host::git {

// An flock(2) held until destruction; empty when it could not be taken.
class FileLock {
 public:
  enum class Mode { kShared, kExclusive, kExclusiveNoWait };
  FileLock(const std::filesystem::path& file, Mode mode);
  ~FileLock();
  FileLock(FileLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  FileLock& operator=(FileLock&& other) noexcept;
  bool held() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

class GitCache {
 public:
  // Does no I/O; prepare() creates the folder.
  GitCache(std::filesystem::path directory, int64_t max_repositories, int64_t max_megabytes);

  // Creates the folder and removes what interrupted clones and evictions left behind. An Error
  // naming the folder and `setting` (the config block, e.g. "resources.git") when it cannot be
  // created. Thread: any thread.
  Status prepare(const std::string& setting = "resources.git") const;

  const std::filesystem::path& directory() const { return directory_; }
  // <directory>/<project>-<first 16 hex digits of the URL's SHA-1>.git: a changed URL gets a
  // fresh clone, and the folder name says whose clone it is.
  std::filesystem::path clone_directory(const std::string& project, const std::string& url) const;
  static std::filesystem::path fetch_lock_file(const std::filesystem::path& clone);
  static std::filesystem::path use_lock_file(const std::filesystem::path& clone);

  // Marks the clone as used now (for least-recently-used eviction).
  static void mark_used(const std::filesystem::path& clone);

  // Removes least recently used clones, other than `keep`, until the cache holds at most
  // max_repositories clones and max_megabytes. Clones in use are skipped. Thread: any thread.
  void enforce_bounds(const std::filesystem::path& keep) const;

  // Bytes of every file under `folder`.
  static uint64_t size_of(const std::filesystem::path& folder);

 private:
  std::filesystem::path directory_;
  int64_t max_repositories_;
  int64_t max_megabytes_;
};

}  // namespace kph::host::git
