#include "local/stdout_sink.hpp"

namespace kph::host {

Status StreamSink::publish(const nlohmann::json& event) {
  const std::string line =
      event.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  std::lock_guard<std::mutex> lock(mutex_);
  out_ << line << std::flush;
  if (!out_) return Error{"standard output is closed; the event could not be written"};
  return ok_status();
}

}  // namespace kph::host
