#include "support/git_workspace.hpp"

#include <fstream>
#include <stdexcept>

#include "support/process.hpp"

namespace kph::testing {

std::string GitWorkspace::run_git(const std::vector<std::string>& args,
                                  const std::filesystem::path& cwd,
                                  const std::filesystem::path& home) {
  ProcessOptions options;
  options.working_directory = cwd;
  options.environment = {{"HOME", home.string()},
                         {"XDG_CONFIG_HOME", (home / ".config").string()},
                         {"GIT_CONFIG_NOSYSTEM", "1"},
                         {"GIT_AUTHOR_NAME", "Keptn Test"},
                         {"GIT_AUTHOR_EMAIL", "test@example.com"},
                         {"GIT_COMMITTER_NAME", "Keptn Test"},
                         {"GIT_COMMITTER_EMAIL", "test@example.com"},
                         {"GIT_TERMINAL_PROMPT", "0"}};
  options.kill_after = std::chrono::seconds(60);
  const auto result = run_process("git", args, options);
  if (result.exit_code != 0) {
    std::string command = "git";
    for (const auto& arg : args) command += " " + arg;
    throw std::runtime_error(command + " failed (exit " + std::to_string(result.exit_code) +
                             "):\n" + result.out + result.err);
  }
  return result.out;
}

GitWorkspace::GitWorkspace(std::filesystem::path upstream, std::string default_branch)
    : upstream_(std::move(upstream)) {
  std::filesystem::create_directories(upstream_);
  std::filesystem::create_directories(work());
  run_git({"init", "--quiet", "--bare", "--initial-branch=" + default_branch, upstream_.string()},
          dir_.path(), dir_.path());
  run_git({"init", "--quiet", "--initial-branch=" + default_branch, work().string()}, dir_.path(),
          dir_.path());
  git({"remote", "add", "origin", upstream_.string()});
  git({"config", "core.symlinks", "true"});
}

std::string GitWorkspace::git(const std::vector<std::string>& args) const {
  return run_git(args, work(), dir_.path());
}

void GitWorkspace::write(const std::string& path, const std::string& content) const {
  const auto file = work() / path;
  std::filesystem::create_directories(file.parent_path());
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << content;
  if (!out) throw std::runtime_error("cannot write " + file.string());
}

void GitWorkspace::symlink(const std::string& path, const std::string& target) const {
  const auto link = work() / path;
  std::filesystem::create_directories(link.parent_path());
  std::filesystem::create_symlink(target, link);
}

void GitWorkspace::remove(const std::string& path) const {
  std::filesystem::remove_all(work() / path);
}

std::string GitWorkspace::commit(const std::string& message) const {
  git({"add", "-A"});
  git({"commit", "--quiet", "--allow-empty", "-m", message});
  std::string id = git({"rev-parse", "HEAD"});
  while (!id.empty() && (id.back() == '\n' || id.back() == '\r')) id.pop_back();
  return id;
}

void GitWorkspace::checkout(const std::string& branch, bool create) const {
  if (create) {
    git({"checkout", "--quiet", "-b", branch});
  } else {
    git({"checkout", "--quiet", branch});
  }
}

void GitWorkspace::push() const { git({"push", "--quiet", "--force", "--all", "origin"}); }

std::string GitWorkspace::show(const std::string& commit, const std::string& path) const {
  return git({"show", commit + ":" + path});
}

}  // namespace kph::testing
