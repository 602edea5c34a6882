// Local mode's transport out: every emitted event as one JSON line on standard output,
// flushed per line so a reader sees each event as it happens.
#pragma once

#include <kph/host/event_sink.hpp>

#include <mutex>
#include <ostream>

namespace kph::host {

class StreamSink : public EventSink {
 public:
  explicit StreamSink(std::ostream& out) : out_(out) {}
  Status publish(const nlohmann::json& event) override;

 private:
  std::mutex mutex_;
  std::ostream& out_;
};

}  // namespace kph::host
