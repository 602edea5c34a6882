#include "common/ids.hpp"

#include <Poco/UUID.h>

#include <array>
#include <ctime>
#include <random>

namespace kph::host {

std::string new_uuid() {
  // Poco's UUIDGenerator::createRandom opens, reads and closes /dev/urandom for every UUID,
  // under a global lock, and each task takes two. A generator per thread, seeded once from the
  // system's entropy, gives the same version-4 UUIDs without a system call.
  thread_local std::mt19937_64 bits = [] {
    std::random_device entropy;
    std::seed_seq seed{entropy(), entropy(), entropy(), entropy(),
                       entropy(), entropy(), entropy(), entropy()};
    return std::mt19937_64(seed);
  }();
  std::array<char, 16> bytes;
  for (size_t i = 0; i < bytes.size(); i += 8) {
    const uint64_t word = bits();
    for (size_t j = 0; j < 8; ++j) bytes[i + j] = static_cast<char>(word >> (8 * j));
  }
  bytes[6] = static_cast<char>((bytes[6] & 0x0f) | 0x40);  // version 4: random
  bytes[8] = static_cast<char>((bytes[8] & 0x3f) | 0x80);  // variant: RFC 4122
  Poco::UUID uuid;
  uuid.copyFrom(bytes.data());
  return uuid.toString();
}

std::string rfc3339(std::chrono::system_clock::time_point time) {
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
  const std::time_t seconds = static_cast<std::time_t>(millis / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[40];
  const size_t n = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
  std::snprintf(text + n, sizeof text - n, ".%03dZ", static_cast<int>(millis % 1000));
  return text;
}

}  // namespace kph::host
