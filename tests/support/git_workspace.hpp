// A git repository built by a test with the real git CLI: a working clone whose commits are
// pushed to a bare "upstream" repository, which the code under test clones from (file://, or
// git:// through GitDaemon). git runs with an empty HOME and no system config, so the
// developer's own git settings never leak into a test.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "support/temp_dir.hpp"

namespace kph::testing {

class GitWorkspace {
 public:
  // Creates the bare repository at `upstream` (its parent folders too) with default branch
  // `default_branch`, and a working clone of it in a temporary folder. Throws
  // std::runtime_error with git's output when a git command fails.
  explicit GitWorkspace(std::filesystem::path upstream, std::string default_branch = "master");

  // Runs `git <args>` in the working clone and returns its standard output.
  std::string git(const std::vector<std::string>& args) const;

  // Files of the working clone; paths are relative to its root.
  void write(const std::string& path, const std::string& content) const;
  void symlink(const std::string& path, const std::string& target) const;
  void remove(const std::string& path) const;

  // Commits everything (git add -A) and returns the new commit's id.
  std::string commit(const std::string& message) const;
  // Switches to `branch`; with `create`, makes it from the current commit first.
  void checkout(const std::string& branch, bool create = false) const;
  // Pushes every branch to the upstream (force, so tests may rewrite history).
  void push() const;
  // The bytes `git show <commit>:<path>` prints.
  std::string show(const std::string& commit, const std::string& path) const;

  const std::filesystem::path& upstream() const { return upstream_; }
  std::string file_url() const { return "file://" + upstream_.string(); }
  std::filesystem::path work() const { return dir_.path() / "work"; }

  // Runs git with the test environment; `cwd` is the working directory.
  static std::string run_git(const std::vector<std::string>& args, const std::filesystem::path& cwd,
                             const std::filesystem::path& home);

 private:
  TempDir dir_;
  std::filesystem::path upstream_;
};

}  // namespace kph::testing
