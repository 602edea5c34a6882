// Loopback networking helpers for integration tests.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>

namespace kph::testing {

// A TCP port on 127.0.0.1 that was free a moment ago (the kernel picked it).
uint16_t free_port();

// Calls condition until it returns true or the deadline passes; returns its last answer.
// Waits between tries by blocking, never by spinning. Use it instead of fixed sleeps.
bool wait_for(const std::function<bool()>& condition, std::chrono::milliseconds deadline,
              std::chrono::milliseconds interval = std::chrono::milliseconds(50));

// True when something accepts TCP connections on 127.0.0.1:port.
bool port_open(uint16_t port);

// GET http://127.0.0.1:port/path (5 s timeout): the status and the body, or nullopt when
// nothing answered.
std::optional<std::pair<int, std::string>> http_get(uint16_t port, const std::string& path);

}  // namespace kph::testing
