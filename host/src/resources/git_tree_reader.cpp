#include "resources/git_tree_reader.hpp"

#include <vector>

#include "resources/git_handle.hpp"
#include "resources/resource_lookup.hpp"

namespace kph::host::git {
namespace {

// Links followed for one read; more means a loop or a maze nobody meant.
constexpr int kMaxLinks = 8;

std::vector<std::string> split(const std::string& path) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= path.size()) {
    const size_t end = std::min(path.find('/', start), path.size());
    out.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

std::string join(const std::vector<std::string>& segments, size_t count) {
  std::string out;
  for (size_t i = 0; i < count && i < segments.size(); ++i) {
    if (i > 0) out += '/';
    out += segments[i];
  }
  return out;
}

// The path a link at segments[index] leads to, followed by the rest of the path; an Error
// when it leaves the tree.
Result<std::vector<std::string>> follow_link(const std::vector<std::string>& segments, size_t index,
                                             const std::string& target,
                                             const std::string& requested) {
  const std::string link = join(segments, index + 1);
  auto refuse = [&](const std::string& why) {
    return Error{"resource " + requested + " refused: " + link + " is a symlink to \"" + target +
                 "\", which " + why + "; links are followed only inside the repository"};
  };
  if (target.empty()) return refuse("is empty");
  if (target.front() == '/') return refuse("is an absolute path");
  if (target.find('\0') != std::string::npos) return refuse("contains a NUL byte");
  std::vector<std::string> out(segments.begin(), segments.begin() + static_cast<long>(index));
  for (const auto& part : split(target)) {
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (out.empty()) return refuse("leads out of the repository");
      out.pop_back();
      continue;
    }
    out.push_back(part);
  }
  out.insert(out.end(), segments.begin() + static_cast<long>(index) + 1, segments.end());
  return out;
}

Result<std::string> blob_content(git_repository* repository, const git_oid& id,
                                 const std::string& what) {
  git_blob* raw = nullptr;
  if (const int rc = git_blob_lookup(&raw, repository, &id); rc != 0) {
    return Error{"cannot read " + what + " from the git clone: " + last_error(rc) +
                 "; the clone may be damaged: remove it from the cache directory"};
  }
  Blob blob(raw);
  const auto size = static_cast<size_t>(git_blob_rawsize(blob.get()));
  if (size > kMaxResourceBytes) {
    return Error{"resource " + what + " is " + std::to_string(size) + " bytes; expected at most " +
                 std::to_string(kMaxResourceBytes) +
                 "; keep large artifacts out of the Keptn upstream repository"};
  }
  const auto* bytes = static_cast<const char*>(git_blob_rawcontent(blob.get()));
  return std::string(bytes, size);
}

}  // namespace

Result<std::optional<std::string>> read_file_at(git_repository* repository,
                                                const git_oid& commit_id, const std::string& path) {
  git_commit* raw_commit = nullptr;
  if (const int rc = git_commit_lookup(&raw_commit, repository, &commit_id); rc != 0) {
    return Error{"commit " + to_hex(commit_id) +
                 " cannot be read from the git clone: " + last_error(rc)};
  }
  Commit commit(raw_commit);
  git_tree* raw_root = nullptr;
  if (const int rc = git_commit_tree(&raw_root, commit.get()); rc != 0) {
    return Error{"the tree of commit " + to_hex(commit_id) + " cannot be read: " + last_error(rc)};
  }
  Tree root(raw_root);

  std::vector<std::string> segments = split(path);
  int links = 0;
  for (;;) {
    if (segments.empty()) return std::optional<std::string>();  // a link to the root folder
    Tree owned;
    const git_tree* current = root.get();
    bool followed = false;
    for (size_t i = 0; i < segments.size(); ++i) {
      const git_tree_entry* entry = git_tree_entry_byname(current, segments[i].c_str());
      if (entry == nullptr) return std::optional<std::string>();
      const git_filemode_t mode = git_tree_entry_filemode(entry);
      const bool last = i + 1 == segments.size();
      if (mode == GIT_FILEMODE_LINK) {
        if (++links > kMaxLinks) {
          return Error{"resource " + path + " refused: more than " + std::to_string(kMaxLinks) +
                       " symlinks on the way (a loop?); fix the links in the repository"};
        }
        auto target = blob_content(repository, *git_tree_entry_id(entry), join(segments, i + 1));
        if (!target) return target.error();
        auto next = follow_link(segments, i, *target, path);
        if (!next) return next.error();
        segments = std::move(*next);
        followed = true;
        break;
      }
      if (last) {
        if (mode != GIT_FILEMODE_BLOB && mode != GIT_FILEMODE_BLOB_EXECUTABLE) {
          return std::optional<std::string>();  // a folder or a submodule is no file
        }
        auto content = blob_content(repository, *git_tree_entry_id(entry), path);
        if (!content) return content.error();
        return std::optional<std::string>(std::move(*content));
      }
      if (mode != GIT_FILEMODE_TREE) return std::optional<std::string>();
      git_tree* next = nullptr;
      if (const int rc = git_tree_lookup(&next, repository, git_tree_entry_id(entry)); rc != 0) {
        return Error{"cannot read folder " + join(segments, i + 1) +
                     " from the git clone: " + last_error(rc)};
      }
      owned.reset(next);
      current = next;
    }
    if (!followed) return std::optional<std::string>();
  }
}

}  // namespace kph::host::git
