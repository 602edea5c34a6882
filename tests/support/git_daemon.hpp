// A real `git daemon` for integration tests of the git:// transport: it serves every
// repository under a base folder (--export-all, --base-path) read-only on a free loopback
// port. The destructor stops it, pass or fail.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <string>

#include "support/temp_dir.hpp"

namespace kph::testing {

class GitDaemon {
 public:
  // Starts the daemon and waits until it accepts connections. Throws std::runtime_error with
  // the daemon's output when it cannot.
  explicit GitDaemon(std::filesystem::path base);
  ~GitDaemon();
  GitDaemon(const GitDaemon&) = delete;
  GitDaemon& operator=(const GitDaemon&) = delete;

  uint16_t port() const { return port_; }
  // git://127.0.0.1:<port>/<relative>, e.g. url("sockshop.git").
  std::string url(const std::string& relative) const;
  std::string log() const;

 private:
  bool spawn_and_wait();  // false when the port was taken meanwhile
  void stop();

  std::filesystem::path base_;
  TempDir dir_;
  uint16_t port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace kph::testing
