#include "transport/nats/nats_error.hpp"

namespace kph::host::nats {

std::string status_text(natsStatus status) {
  std::string text = natsStatus_GetText(status);
  natsStatus last = NATS_OK;
  const char* detail = nats_GetLastError(&last);
  if (detail != nullptr && *detail != '\0' && last == status && text != detail) {
    text += ": ";
    text += detail;
  }
  return text;
}

Error nats_error(const std::string& what, natsStatus status) {
  return Error{what + ": " + status_text(status)};
}

bool is_transient(natsStatus status) {
  switch (status) {
    case NATS_TIMEOUT:
    case NATS_NO_RESPONDERS:
    case NATS_CONNECTION_DISCONNECTED:
    case NATS_NOT_YET_CONNECTED:
    case NATS_IO_ERROR:
    case NATS_STALE_CONNECTION:
    case NATS_MISSED_HEARTBEAT:
      return true;
    default:
      return false;
  }
}

}  // namespace kph::host::nats
