// Event ids and timestamps as Keptn writes them.
#pragma once

#include <chrono>
#include <string>

namespace kph::host {

// A fresh random (version 4) UUID, lower-case.
std::string new_uuid();

// RFC 3339 UTC with milliseconds, e.g. "2026-11-25T17:04:05.123Z".
std::string rfc3339(std::chrono::system_clock::time_point time);
inline std::string now_rfc3339() { return rfc3339(std::chrono::system_clock::now()); }

}  // namespace kph::host
