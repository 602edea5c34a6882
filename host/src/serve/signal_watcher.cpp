#include "serve/signal_watcher.hpp"

#include <pthread.h>

#include <cerrno>
#include <ctime>

namespace kph::host {

SignalWatcher::SignalWatcher() {
  sigemptyset(&watched_);
  sigaddset(&watched_, SIGTERM);
  sigaddset(&watched_, SIGINT);
  sigaddset(&watched_, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &watched_, &previous_);
  ::signal(SIGPIPE, SIG_IGN);
}

SignalWatcher::~SignalWatcher() { pthread_sigmask(SIG_SETMASK, &previous_, nullptr); }

std::optional<SignalRequest> SignalWatcher::wait(std::chrono::milliseconds deadline) {
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(deadline);
  timespec timeout{};
  timeout.tv_sec = static_cast<time_t>(seconds.count());
  timeout.tv_nsec = static_cast<long>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(deadline - seconds).count());
  siginfo_t info{};
  while (true) {
    const int signal = sigtimedwait(&watched_, &info, &timeout);
    if (signal == SIGHUP) return SignalRequest::kReload;
    if (signal == SIGTERM || signal == SIGINT) return SignalRequest::kStop;
    if (signal < 0 && errno == EINTR) continue;
    return std::nullopt;  // timed out
  }
}

}  // namespace kph::host
