// Turns cnats failures into the host's Error values: what was being done, the library's
// status text and, when there is one, its detailed last error (which names the server's reason,
// e.g. "stream not found").
#pragma once

#include <nats/nats.h>

#include <string>

#include "common/result.hpp"

namespace kph::host::nats {

// "<status text>: <last error detail>" for the calling thread's last cnats error.
std::string status_text(natsStatus status);

// Error{what + ": " + status_text(status)}.
Error nats_error(const std::string& what, natsStatus status);

// True for failures that go away once the connection is back: timeouts, no responders (the
// server is restarting), disconnected, not yet connected.
bool is_transient(natsStatus status);

}  // namespace kph::host::nats
