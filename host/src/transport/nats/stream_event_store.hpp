// Serve mode's event store: the JetStream stream itself. Every event the host reads came from
// the stream and every event it emits is published to it, so record() has nothing to do, and
// every replica sees the same history. A query reads the stream backwards in growing windows
// of sequence numbers through a short-lived ephemeral pull consumer filtered on the event
// type (the subject). When the stream holds at most eventStore.maxScan events of the type,
// one pass reads them all; otherwise windows of at most maxScan sequences are read from the
// newest back, until `limit` events match, maxScan events were read, or 24 windows were read.
// Either way the cost of a query is bounded and its answer is the newest matching events.
#pragma once

#include <kph/host/event_store.hpp>

#include <string>

#include "config/nats_settings.hpp"
#include "transport/nats/nats_connection.hpp"

namespace kph::host::nats {

class StreamEventStore : public EventStore {
 public:
  StreamEventStore(NatsConnection& connection, const NatsConfig& config);

  // Nothing to do: the event is on the stream already (or is being published to it).
  Status record(const nlohmann::json& event) override;
  // Newest first. A query without a type reads the consumer's filter subject. Thread: any.
  Result<std::vector<nlohmann::json>> query(const EventQuery& query) override;

 private:
  // The events on `subject` with lower <= sequence < upper, oldest first; adds how many it
  // read to `scanned`.
  Result<std::vector<nlohmann::json>> read_range(const std::string& subject, uint64_t lower,
                                                 uint64_t upper, int64_t& scanned);

  NatsConnection& connection_;
  const std::string stream_;
  const std::string default_subject_;
  const int64_t max_scan_;
};

}  // namespace kph::host::nats
