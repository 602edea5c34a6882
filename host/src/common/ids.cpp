#include "common/ids.hpp"

#include <Poco/UUIDGenerator.h>

#include <ctime>

namespace kph::host {

std::string new_uuid() { return Poco::UUIDGenerator::defaultGenerator().createRandom().toString(); }

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
