#include "support/git_daemon.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstring>
#include <stdexcept>
#include <vector>

#include "support/net.hpp"
#include "support/server_process.hpp"

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
  // The developer's git config stays out of the test.
  std::vector<std::string> env = {"HOME=" + dir_.path().string(), "GIT_CONFIG_NOSYSTEM=1"};
  for (char** e = environ; *e != nullptr; ++e) {
    if (std::strncmp(*e, "HOME=", 5) != 0 && std::strncmp(*e, "GIT_", 4) != 0) env.emplace_back(*e);
  }
  ServerLaunch launch;
  launch.name = "git daemon";
  launch.args = std::move(args);
  launch.env = std::move(env);
  launch.log_file = log_file;
  launch.append_log = true;
  launch.ready = [this] { return port_open(port_); };
  pid_ = launch_server(launch);
  return pid_ > 0;
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
