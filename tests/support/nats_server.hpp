// A real nats-server with JetStream for integration tests: it listens on a free loopback port,
// keeps its JetStream data in a temporary directory, and can be stopped and started again on
// the same port with the same data (to test reconnects and recovery). The destructor kills it
// and removes everything, pass or fail.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "support/temp_dir.hpp"

namespace kph::testing {

struct NatsServerOptions {
  bool jetstream = true;
  // Larger than the server's 1 MiB default, so that tests can put oversized events on the
  // stream and check that the host refuses them itself.
  int64_t max_payload = 8 * 1024 * 1024;
  std::string token;         // when set, clients must present it (--auth)
  uint16_t port = 0;         // 0: a free port
  std::string extra_config;  // lines added to the server's config file
  std::chrono::milliseconds ready_deadline = std::chrono::seconds(30);
};

class NatsServer {
 public:
  // Starts the server and waits until it accepts clients and JetStream is ready. Throws
  // std::runtime_error with the reason and the server's log when it cannot.
  explicit NatsServer(NatsServerOptions options = {});
  ~NatsServer();
  NatsServer(const NatsServer&) = delete;
  NatsServer& operator=(const NatsServer&) = delete;

  // Why this machine cannot run the fixture (no nats-server), or nothing when it can.
  static std::optional<std::string> unavailable_reason();
  static std::string program();  // the nats-server binary

  // Stops the server: SIGTERM (a clean shutdown) unless `hard`, then SIGKILL.
  void stop(bool hard = false);
  // Starts it again on the same port with the same JetStream data and waits until ready.
  void start();
  void restart(bool hard = false) {
    stop(hard);
    start();
  }
  bool running() const { return pid_ > 0; }

  uint16_t port() const { return port_; }
  std::string url() const;  // nats://127.0.0.1:<port>
  std::filesystem::path store_dir() const { return dir_.path() / "jetstream"; }
  std::string log() const;  // the server's output of every run so far
  // How many client connections whose name starts with `prefix` the server has (/connz).
  size_t clients_named(const std::string& prefix) const;

 private:
  bool spawn_and_wait();  // false when the port was taken meanwhile
  bool ready() const;

  NatsServerOptions options_;
  TempDir dir_;
  uint16_t port_ = 0;
  uint16_t monitor_port_ = 0;
  pid_t pid_ = -1;
  int runs_ = 0;
};

}  // namespace kph::testing
