#include "support/nats_server.hpp"

#include <sys/wait.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include <csignal>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "support/net.hpp"
#include "support/server_process.hpp"

namespace kph::testing {
namespace {

bool executable(const std::filesystem::path& file) { return ::access(file.c_str(), X_OK) == 0; }

}  // namespace

std::string NatsServer::program() {
  // Debian installs it in /usr/sbin, which is not on every user's PATH.
  for (const char* candidate :
       {"/usr/sbin/nats-server", "/usr/bin/nats-server", "/usr/local/bin/nats-server"}) {
    if (executable(candidate)) return candidate;
  }
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path ? path : "");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    if (!dir.empty() && executable(std::filesystem::path(dir) / "nats-server")) {
      return (std::filesystem::path(dir) / "nats-server").string();
    }
  }
  return "";
}

std::optional<std::string> NatsServer::unavailable_reason() {
  if (program().empty()) {
    return std::string("nats-server is not installed (Debian package `nats-server`)");
  }
  return std::nullopt;
}

NatsServer::NatsServer(NatsServerOptions options) : options_(std::move(options)) {
  if (auto reason = unavailable_reason()) throw std::runtime_error(*reason);
  std::filesystem::create_directories(store_dir());
  // free_port() only says the port was free a moment ago; try again if someone took it.
  for (int attempt = 0; attempt < 3; ++attempt) {
    port_ = options_.port != 0 ? options_.port : free_port();
    monitor_port_ = free_port();
    if (spawn_and_wait()) return;
  }
  throw std::runtime_error("nats-server could not bind a free port three times:\n" + log());
}

NatsServer::~NatsServer() { stop(true); }

std::string NatsServer::url() const { return "nats://127.0.0.1:" + std::to_string(port_); }

std::string NatsServer::log() const {
  std::string out;
  for (int run = 1; run <= runs_; ++run) {
    try {
      out += read_file(dir_.path() / ("nats-server." + std::to_string(run) + ".log"));
    } catch (const std::exception&) {
    }
  }
  return out;
}

void NatsServer::start() {
  if (pid_ > 0) return;
  if (!spawn_and_wait()) {
    throw std::runtime_error("nats-server could not bind its port " + std::to_string(port_) +
                             " again:\n" + log());
  }
}

bool NatsServer::spawn_and_wait() {
  ++runs_;
  const auto log_file = dir_.path() / ("nats-server." + std::to_string(runs_) + ".log");
  // max_payload has no command-line flag.
  dir_.write("nats-server.conf",
             "max_payload: " + std::to_string(options_.max_payload) + "\n" + options_.extra_config);
  std::vector<std::string> args = {program(),
                                   "-c",
                                   (dir_.path() / "nats-server.conf").string(),
                                   "-a",
                                   "127.0.0.1",
                                   "-p",
                                   std::to_string(port_),
                                   "-m",
                                   std::to_string(monitor_port_)};
  if (options_.jetstream) {
    args.insert(args.end(), {"-js", "-sd", store_dir().string()});
  }
  if (!options_.token.empty()) args.insert(args.end(), {"--auth", options_.token});
  ServerLaunch launch;
  launch.name = "nats-server";
  launch.args = std::move(args);
  launch.log_file = log_file;
  launch.ready = [this] { return ready(); };
  launch.deadline = options_.ready_deadline;
  pid_ = launch_server(launch);
  return pid_ > 0;
}

bool NatsServer::ready() const {
  if (!port_open(port_)) return false;
  // /healthz answers 200 only once JetStream (when enabled) has started and recovered its
  // streams and consumers.
  const auto reply = http_get(monitor_port_, "/healthz");
  return reply && reply->first == 200;
}

size_t NatsServer::clients_named(const std::string& prefix) const {
  const auto reply = http_get(monitor_port_, "/connz?limit=1024");
  if (!reply) throw std::runtime_error("nats-server's monitoring port does not answer");
  const auto connz = nlohmann::json::parse(reply->second);
  size_t count = 0;
  for (const auto& connection : connz.value("connections", nlohmann::json::array())) {
    if (connection.value("name", "").rfind(prefix, 0) == 0) ++count;
  }
  return count;
}

void NatsServer::stop(bool hard) {
  if (pid_ <= 0) return;
  ::kill(pid_, hard ? SIGKILL : SIGTERM);
  int status = 0;
  const bool gone = wait_for([&] { return ::waitpid(pid_, &status, WNOHANG) == pid_; },
                             std::chrono::seconds(15), std::chrono::milliseconds(10));
  if (!gone) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, &status, 0);
  }
  pid_ = -1;
}

}  // namespace kph::testing
