// Owning handles for libgit2 objects, and libgit2's error text. Every libgit2 object is freed
// by its own function; these make that automatic on every return path.
#pragma once

#include <git2.h>

#include <memory>
#include <string>

namespace kph::host::git {

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* object) const { Free(object); }
};

using Repository = std::unique_ptr<git_repository, Deleter<git_repository, git_repository_free>>;
using Remote = std::unique_ptr<git_remote, Deleter<git_remote, git_remote_free>>;
using Reference = std::unique_ptr<git_reference, Deleter<git_reference, git_reference_free>>;
using Commit = std::unique_ptr<git_commit, Deleter<git_commit, git_commit_free>>;
using Tree = std::unique_ptr<git_tree, Deleter<git_tree, git_tree_free>>;
using Blob = std::unique_ptr<git_blob, Deleter<git_blob, git_blob_free>>;
using Object = std::unique_ptr<git_object, Deleter<git_object, git_object_free>>;

// Initialises libgit2 once per process (it is never shut down: fetches may outlive a
// provider). Thread: any thread.
void ensure_initialized();

// libgit2's message for the last failure on this thread, or the code when it left none.
std::string last_error(int code);

// The 40 hex digits of an object id.
std::string to_hex(const git_oid& id);

}  // namespace kph::host::git
