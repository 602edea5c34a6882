// SIGTERM, SIGINT and SIGHUP for a daemon with many threads: the signals are blocked in every
// thread (so no library thread is interrupted or killed by them) and the control thread takes
// them synchronously with sigtimedwait, where handling them may do anything. Create the
// watcher before any other thread starts: threads inherit the blocked set when created.
#pragma once

#include <signal.h>

#include <chrono>
#include <optional>

namespace kph::host {

enum class SignalRequest {
  kStop,    // SIGTERM or SIGINT: stop taking work, drain, exit
  kReload,  // SIGHUP: re-read the config
};

class SignalWatcher {
 public:
  // Blocks the signals in the calling thread (and so in threads it creates later) and ignores
  // SIGPIPE (a peer closing a socket is an error value, not a reason to die).
  SignalWatcher();
  // Restores the previous signal mask.
  ~SignalWatcher();
  SignalWatcher(const SignalWatcher&) = delete;
  SignalWatcher& operator=(const SignalWatcher&) = delete;

  // Waits up to `deadline` for one of the signals. Control thread only.
  std::optional<SignalRequest> wait(std::chrono::milliseconds deadline);

 private:
  sigset_t watched_{};
  sigset_t previous_{};
};

}  // namespace kph::host
