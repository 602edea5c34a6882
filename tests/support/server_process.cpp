#include "support/server_process.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "support/net.hpp"

extern char** environ;

namespace kph::testing {
namespace {

std::string read_log(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& entry : strings) out.push_back(entry.data());
  out.push_back(nullptr);
  return out;
}

}  // namespace

pid_t launch_server(const ServerLaunch& launch) {
  std::vector<std::string> args = launch.args;
  std::vector<std::string> env = launch.env;
  auto argv = pointers(args);
  auto envp = pointers(env);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, launch.log_file.c_str(),
                                   O_WRONLY | O_CREAT | (launch.append_log ? O_APPEND : O_TRUNC),
                                   0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  pid_t pid = -1;
  const int rc = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(),
                              env.empty() ? environ : envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    throw std::runtime_error("cannot start " + launch.name + ": " + std::strerror(rc));
  }

  bool exited = false;
  const bool ready = wait_for(
      [&] {
        int status = 0;
        if (::waitpid(pid, &status, WNOHANG) == pid) {
          exited = true;
          return true;
        }
        return launch.ready();
      },
      launch.deadline, launch.interval);
  if (exited) {
    const std::string output = read_log(launch.log_file);
    if (output.find("in use") != std::string::npos) return -1;
    throw std::runtime_error(launch.name + " exited before it was ready:\n" + output);
  }
  if (!ready) {
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    throw std::runtime_error(launch.name + " was not ready within " +
                             std::to_string(launch.deadline.count()) + " ms:\n" +
                             read_log(launch.log_file));
  }
  return pid;
}

}  // namespace kph::testing
