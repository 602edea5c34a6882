// cnats and the JetStream API take every duration (AckWait, BackOff, MaxAge, Expires) as an
// int64 of nanoseconds; the config holds milliseconds.
#pragma once

#include <chrono>
#include <cstdint>

namespace kph::host::nats {

inline int64_t nats_nanos(std::chrono::milliseconds duration) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(duration).count();
}

}  // namespace kph::host::nats
