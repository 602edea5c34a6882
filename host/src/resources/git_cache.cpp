#include "resources/git_cache.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <vector>

#include <git2.h>

#include "common/logger.hpp"
#include "resources/git_handle.hpp"

namespace kph::host::git {
namespace {

constexpr const char* kUsedMarker = "keptn-host-used";
constexpr std::string_view kTemporary = ".tmp-";
constexpr std::string_view kEvicted = ".evicted-";

std::atomic<uint64_t> g_counter{0};

std::string unique_suffix() {
  return std::to_string(::getpid()) + "-" + std::to_string(g_counter.fetch_add(1));
}

struct CachedClone {
  std::filesystem::path path;
  std::filesystem::file_time_type used;
  uint64_t bytes = 0;
};

}  // namespace

FileLock::FileLock(const std::filesystem::path& file, Mode mode) {
  fd_ = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd_ < 0) return;
  int operation = LOCK_EX;
  if (mode == Mode::kShared) operation = LOCK_SH;
  if (mode == Mode::kExclusiveNoWait) operation = LOCK_EX | LOCK_NB;
  int rc;
  do {
    rc = ::flock(fd_, operation);
  } while (rc != 0 && errno == EINTR);
  if (rc != 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

FileLock& FileLock::operator=(FileLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

FileLock::~FileLock() {
  if (fd_ >= 0) ::close(fd_);  // closing the last descriptor releases the lock
}

GitCache::GitCache(std::filesystem::path directory, int64_t max_repositories, int64_t max_megabytes)
    : directory_(std::move(directory)),
      max_repositories_(max_repositories),
      max_megabytes_(max_megabytes) {}

Status GitCache::prepare(const std::string& setting) const {
  std::error_code ec;
  std::filesystem::create_directories(directory_, ec);
  if (ec) {
    return Error{"git cache directory " + directory_.string() + " cannot be created: " +
                 ec.message() + "; set " + setting + ".cacheDirectory to a writable folder"};
  }
  for (const auto& entry : std::filesystem::directory_iterator(directory_, ec)) {
    const std::string name = entry.path().filename().string();
    if (const size_t at = name.find(kEvicted); at != std::string::npos) {
      std::filesystem::remove_all(entry.path(), ec);
    } else if (const size_t tmp = name.find(kTemporary); tmp != std::string::npos) {
      // Only when no process is cloning it right now.
      const auto clone = directory_ / name.substr(0, tmp);
      FileLock lock(fetch_lock_file(clone), FileLock::Mode::kExclusiveNoWait);
      if (lock.held()) std::filesystem::remove_all(entry.path(), ec);
    }
  }
  return ok_status();
}

std::filesystem::path GitCache::clone_directory(const std::string& project,
                                                const std::string& url) const {
  ensure_initialized();
  git_oid id;
  git_odb_hash(&id, url.data(), url.size(), GIT_OBJECT_BLOB);
  return directory_ / (project + "-" + to_hex(id).substr(0, 16) + ".git");
}

std::filesystem::path GitCache::fetch_lock_file(const std::filesystem::path& clone) {
  return clone.string() + ".lock";
}

std::filesystem::path GitCache::use_lock_file(const std::filesystem::path& clone) {
  return clone.string() + ".use";
}

void GitCache::mark_used(const std::filesystem::path& clone) {
  const auto marker = clone / kUsedMarker;
  std::error_code ec;
  std::filesystem::last_write_time(marker, std::filesystem::file_time_type::clock::now(), ec);
  if (ec && std::filesystem::is_directory(clone)) std::ofstream(marker).flush();
}

uint64_t GitCache::size_of(const std::filesystem::path& folder) {
  uint64_t total = 0;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(folder, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    std::error_code size_error;
    if (it->is_regular_file(size_error)) {
      const auto size = it->file_size(size_error);
      if (!size_error) total += size;
    }
  }
  return total;
}

void GitCache::enforce_bounds(const std::filesystem::path& keep) const {
  std::vector<CachedClone> clones;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(directory_, ec)) {
    const auto marker = entry.path() / kUsedMarker;
    std::error_code marker_error;
    const auto used = std::filesystem::last_write_time(marker, marker_error);
    // Only folders this provider made carry the marker; nothing else in the folder is touched.
    if (marker_error || entry.path().extension() != ".git") continue;
    clones.push_back({entry.path(), used, size_of(entry.path())});
  }
  std::sort(clones.begin(), clones.end(),
            [](const CachedClone& a, const CachedClone& b) { return a.used < b.used; });
  const uint64_t max_bytes = static_cast<uint64_t>(max_megabytes_) * 1024u * 1024u;
  uint64_t bytes = 0;
  for (const auto& clone : clones) bytes += clone.bytes;
  size_t count = clones.size();
  for (const auto& clone : clones) {
    if (count <= static_cast<size_t>(max_repositories_) && bytes <= max_bytes) break;
    if (clone.path == keep) continue;
    FileLock fetching(fetch_lock_file(clone.path), FileLock::Mode::kExclusiveNoWait);
    FileLock reading(use_lock_file(clone.path), FileLock::Mode::kExclusiveNoWait);
    if (!fetching.held() || !reading.held()) continue;
    // Renamed first, so that no reader ever opens a half-deleted clone.
    const auto doomed =
        std::filesystem::path(clone.path.string() + std::string(kEvicted) + unique_suffix());
    std::filesystem::rename(clone.path, doomed, ec);
    if (ec) continue;
    std::filesystem::remove_all(doomed, ec);
    --count;
    bytes -= clone.bytes;
    log_info("git cache: removed the least recently used clone to stay within its bounds",
             {{"clone", clone.path.string()},
              {"cacheMaxRepositories", std::to_string(max_repositories_)},
              {"cacheMaxMegabytes", std::to_string(max_megabytes_)}});
  }
  if (bytes > max_bytes && count <= 1) {
    log_warning("git cache: one clone alone is larger than cacheMaxMegabytes; it is kept",
                {{"clone", keep.string()}, {"cacheMaxMegabytes", std::to_string(max_megabytes_)}});
  }
}

}  // namespace kph::host::git
