// Reads one file out of a commit's tree, the way `git show <commit>:<path>` does, without a
// working tree. Symlink entries are followed only while they stay inside the tree: a link that
// leads out (absolute, or climbing above the root) is refused, never read from the disk.
#pragma once

#include <git2.h>

#include <optional>
#include <string>

#include "common/result.hpp"

namespace kph::host::git {

// The blob's bytes; nullopt when the path does not exist in the tree or names a folder or a
// submodule; an Error for a link out of the tree, a link loop, a blob larger than
// kMaxResourceBytes, or a repository that cannot be read. `path` must already have passed
// check_resource_path. Thread: any thread, with a repository handle of its own.
Result<std::optional<std::string>> read_file_at(git_repository* repository, const git_oid& commit,
                                                const std::string& path);

}  // namespace kph::host::git
