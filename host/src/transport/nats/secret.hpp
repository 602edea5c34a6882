// Reads a secret (token, user, password) from the file or environment variable the config
// names. The value is returned to the caller only; messages name the source, never the value.
#pragma once

#include <string>

#include "common/result.hpp"
#include "config/nats_settings.hpp"

namespace kph::host::nats {

// The secret with trailing white space (a file's final newline) removed. `what` names it in
// errors ("controlPlane.nats.token"). Fails when the file cannot be read, the variable is
// unset, or the value is empty.
Result<std::string> read_secret(const SecretSource& source, const std::string& what);

}  // namespace kph::host::nats
