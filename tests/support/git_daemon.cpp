#include "support/git_daemon.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstring>
#include <stdexcept>
#include <vector>

#include "support/net.hpp"

extern char** environ;

namespace kph::testing {

GitDaemon::GitDaemon(std::filesystem::path base) : base_(std::move(base)) {
  // free_port() only says the port was free a moment ago; try again if someone took it.
  for (int attempt = 0; attempt < 3; ++attempt) {
    port_ = free_port();
    if (spawn_and_wait()) return;
  }
  throw std::runtime_error("git daemon could not bind a free port three times:\n" + log());
}

GitDaemon::~GitDaemon() { stop(); }

std::string GitDaemon::url(const std::string& relative) const {
  return "git://127.0.0.1:" + std::to_string(port_) + "/" + relative;
}

std::string GitDaemon::log() const {
  try {
    return read_file(dir_.path() / "git-daemon.log");
  } catch (const std::exception&) {
    return "";
  }
}

bool GitDaemon::spawn_and_wait() {
  const auto log_file = dir_.path() / "git-daemon.log";
  std::vector<std::string> args = {"git",
                                   "daemon",
                                   "--reuseaddr",
                                   "--export-all",
                                   "--informative-errors",
                                   "--verbose",
                                   "--listen=127.0.0.1",
                                   "--port=" + std::to_string(port_),
                                   "--base-path=" + base_.string(),
                                   base_.string()};
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  // The developer's git config stays out of the test.
  std::vector<std::string> env_strings = {"HOME=" + dir_.path().string(), "GIT_CONFIG_NOSYSTEM=1"};
  for (char** e = environ; *e != nullptr; ++e) {
    if (std::strncmp(*e, "HOME=", 5) != 0 && std::strncmp(*e, "GIT_", 4) != 0) {
      env_strings.emplace_back(*e);
    }
  }
  std::vector<char*> envp;
  for (auto& entry : env_strings) envp.push_back(entry.data());
  envp.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log_file.c_str(),
                                   O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  const int rc = posix_spawnp(&pid_, "git", &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    pid_ = -1;
    throw std::runtime_error("cannot start git daemon: " + std::string(std::strerror(rc)));
  }
  bool exited = false;
  const bool ready = wait_for(
      [&] {
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
          exited = true;
          pid_ = -1;
          return true;
        }
        return port_open(port_);
      },
      std::chrono::seconds(30), std::chrono::milliseconds(20));
  if (exited) {
    if (log().find("in use") != std::string::npos) return false;
    throw std::runtime_error("git daemon exited before it was ready:\n" + log());
  }
  if (!ready) {
    stop();
    throw std::runtime_error("git daemon did not accept connections within 30 s:\n" + log());
  }
  return true;
}

void GitDaemon::stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  int status = 0;
  const bool gone = wait_for([&] { return ::waitpid(pid_, &status, WNOHANG) == pid_; },
                             std::chrono::seconds(10), std::chrono::milliseconds(10));
  if (!gone) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, &status, 0);
  }
  pid_ = -1;
}

}  // namespace kph::testing
