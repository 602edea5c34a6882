// The `controlPlane.nats` block of the host config: how serve mode reaches the Keptn control
// plane over NATS. Every default here is what `keptn-host serve --nats URL` runs with.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace kph::host {

// Where a secret comes from. Secrets are never written in the config itself: either a file
// (read when connecting) or the name of an environment variable.
struct SecretSource {
  std::filesystem::path file;
  std::string env;
  bool empty() const { return file.empty() && env.empty(); }
};

struct NatsTlsConfig {
  bool enabled = false;        // true when a tls: block is present (or the URL is tls://)
  std::filesystem::path ca;    // PEM bundle of CAs to trust; empty: the system's
  std::filesystem::path cert;  // client certificate for mutual TLS (with key)
  std::filesystem::path key;
};

// The wait before each reconnect attempt doubles from initial_delay up to max_delay, and a
// random share of up to `jitter` is added so that many hosts do not reconnect in step.
struct NatsReconnectConfig {
  std::chrono::milliseconds initial_delay{250};
  std::chrono::milliseconds max_delay{10000};
  std::chrono::milliseconds jitter{1000};
};

struct NatsConfig {
  // Empty: $NATS_URL, then $EVENTBROKER, then nats://keptn-nats:4222 (Keptn's in-cluster name).
  std::string url;
  std::string mode = "jetstream";  // "jetstream" (durable consumer) or "core" (queue group)

  // JetStream stream: Keptn's shipyard-controller names it "keptn" with subject sh.keptn.>.
  std::string stream = "keptn";
  bool create_stream = true;  // create it when absent (with the limits below)
  std::vector<std::string> subjects = {"sh.keptn.>"};
  std::chrono::milliseconds stream_max_age = std::chrono::hours(24 * 30);
  int64_t stream_max_bytes = int64_t{4} << 30;  // -1: unlimited
  std::chrono::milliseconds duplicate_window = std::chrono::minutes(2);
  int64_t replicas = 1;  // of the stream and the journal bucket, when created

  // Durable pull consumer. Empty consumer: "keptn-host-<plugin instance names>", so replicas
  // with the same plugins share one consumer and different deployments do not.
  std::string consumer;
  // Task events only: a task executor needs nothing else from the consumer (replies come
  // through their own subscription), and every other event would be delivered and acked.
  std::string filter_subject = "sh.keptn.event.*.triggered";
  // Where a newly created consumer starts: "all", "new", or a duration back from now.
  std::string deliver_policy = "10m";
  // -1: unlimited. Unlimited by default because a host's crash costs every message it holds a
  // delivery, and a crash must never cost an event: unusable events are terminated by the host
  // and a task started by a host that died is taken over from the journal, so nothing needs a
  // delivery limit to stop coming back.
  int64_t max_deliver = -1;
  std::chrono::milliseconds ack_wait{30000};
  // Acknowledgement waits of the 2nd, 3rd, ... delivery (the last repeats); the first delivery
  // waits ack_wait. Also the delays of a nak.
  std::vector<std::chrono::milliseconds> backoff;
  int64_t max_ack_pending = 1000;
  int64_t fetch_batch = 64;
  std::chrono::milliseconds fetch_expires{30000};
  std::chrono::milliseconds publish_timeout{10000};
  // On SIGTERM: how long running tasks may take to finish before they are given back.
  std::chrono::milliseconds shutdown_grace{25000};

  // Core mode: the queue group. Empty: the same default as the consumer name.
  std::string queue_group;

  // The task journal: a JetStream key-value bucket.
  std::string journal_bucket = "keptn-host-tasks";
  std::chrono::milliseconds journal_ttl = std::chrono::hours(24 * 7);
  // The event store scans at most this many events of one type per query.
  int64_t event_store_max_scan = 10000;

  NatsTlsConfig tls;
  SecretSource token;
  SecretSource user;
  SecretSource password;
  std::filesystem::path credentials;  // a NATS .creds file (JWT + NKey seed)
  NatsReconnectConfig reconnect;
};

}  // namespace kph::host
