// The idempotency key an emitted event is published with (the Nats-Msg-Id header). Within the
// stream's duplicate window the server stores only the first message with a given key, so
// sending a task's .started or .finished again (after a crash, by another replica) is harmless.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace kph::host::nats {

// For a .started or .finished with a triggeredid: "<triggeredid>|<type>|<source>", the same
// for every attempt at that task's response whatever its event id. For every other event (a
// .status.changed may legitimately repeat; a .triggered has no triggeredid): its event id.
std::string publish_key(const nlohmann::json& event);

}  // namespace kph::host::nats
