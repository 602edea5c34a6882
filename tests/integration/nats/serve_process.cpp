#include "serve_process.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstring>
#include <sstream>
#include <stdexcept>

#include "support/net.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

extern char** environ;

namespace kph::testing {
std::string test_plugin(const std::string& name) {
  return (std::filesystem::path(KPH_TEST_PLUGIN_DIR) / (name + ".so")).string();
}

ServeProcess::ServeProcess(std::vector<std::string> args, std::filesystem::path log_file)
    : log_file_(std::move(log_file)) {
  metrics_port_ = free_port();
  std::vector<std::string> argv_text = {host_binary(), "serve"};
  argv_text.insert(argv_text.end(), args.begin(), args.end());
  argv_text.insert(argv_text.end(), {"--metrics-port", std::to_string(metrics_port_),
                                     "--metrics-address", "127.0.0.1"});
  std::vector<char*> argv;
  for (auto& arg : argv_text) argv.push_back(arg.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log_file_.c_str(),
                                   O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  const int rc = posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    pid_ = -1;
    throw std::runtime_error("cannot start keptn-host serve: " + std::string(std::strerror(rc)));
  }
}

ServeProcess::~ServeProcess() {
  if (pid_ > 0 && !exit_code_) kill_hard();
}

void ServeProcess::signal(int signal_number) {
  if (pid_ > 0 && !exit_code_) ::kill(pid_, signal_number);
}

void ServeProcess::kill_hard() {
  if (pid_ <= 0 || exit_code_) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  exit_code_ = 128 + SIGKILL;
}

bool ServeProcess::running() { return !wait_exit(std::chrono::milliseconds(0)).has_value(); }

std::optional<int> ServeProcess::wait_exit(std::chrono::milliseconds deadline) {
  if (exit_code_) return exit_code_;
  int status = 0;
  const bool exited = wait_for([&] { return ::waitpid(pid_, &status, WNOHANG) == pid_; }, deadline,
                               std::chrono::milliseconds(10));
  if (!exited) return std::nullopt;
  exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return exit_code_;
}

bool ServeProcess::ready() const {
  auto answer = http_get(metrics_port_, "/readyz");
  return answer && answer->first == 200;
}

std::string ServeProcess::metrics() const {
  auto answer = http_get(metrics_port_, "/metrics");
  return answer && answer->first == 200 ? answer->second : "";
}

double ServeProcess::metric(const std::string& series) const {
  std::istringstream lines(metrics());
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind(series + " ", 0) == 0) return std::stod(line.substr(series.size() + 1));
  }
  return -1;
}

std::string ServeProcess::log() const {
  try {
    return read_file(log_file_);
  } catch (const std::exception&) {
    return "";
  }
}

}  // namespace kph::testing
