// An independent NATS client for the serve-mode tests, written directly against cnats and
// sharing no code with the host's transport: it creates Keptn's stream the way Keptn does,
// publishes events as the control plane would, and reads the stream back to check what the
// host did.
#pragma once

#include <nats/nats.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace kph::testing {

struct StoredMessage {
  uint64_t sequence = 0;
  std::string subject;
  std::string data;
  std::optional<nlohmann::json> event;  // when data is a JSON object
};

struct ConsumerState {
  uint64_t num_pending = 0;     // not yet delivered
  int64_t num_ack_pending = 0;  // delivered, not acknowledged
  int64_t num_redelivered = 0;
};

class TestNats {
 public:
  // Connects; throws std::runtime_error when it cannot within a few seconds.
  explicit TestNats(const std::string& url);
  ~TestNats();
  TestNats(const TestNats&) = delete;
  TestNats& operator=(const TestNats&) = delete;

  // Keptn's shipyard-controller creates the stream with only a name and subjects.
  void create_stream(const std::string& name = "keptn",
                     const std::vector<std::string>& subjects = {"sh.keptn.>"});
  // Publishes to JetStream and waits for the ack; retries for up to `deadline` while the server
  // is away. Throws when it never succeeds.
  void publish(const std::string& subject, const std::string& data,
               std::chrono::milliseconds deadline = std::chrono::seconds(10));
  void publish_event(const nlohmann::json& event) { publish(event.at("type"), event.dump()); }

  // How many messages the stream holds on subjects matching `filter`; cheap (one request).
  uint64_t count(const std::string& filter, const std::string& name = "keptn");
  // Every message of the stream, in order, read by sequence.
  std::vector<StoredMessage> read_stream(const std::string& name = "keptn");
  std::optional<ConsumerState> consumer_state(const std::string& consumer,
                                              const std::string& stream = "keptn");
  // The keys and values of a KV bucket (the host's task journal).
  std::vector<std::pair<std::string, nlohmann::json>> bucket_entries(const std::string& bucket);

 private:
  natsConnection* connection_ = nullptr;
  jsCtx* js_ = nullptr;
};

// A .triggered event as Keptn's shipyard-controller sends it.
nlohmann::json make_triggered(const std::string& task, const nlohmann::json& extra_data = {},
                              const std::string& context = "");

// What the host sent for each .triggered of `task` in the stream.
struct TaskTally {
  size_t triggered = 0;
  size_t missing_started = 0;   // .triggered without a .started
  size_t missing_finished = 0;  // .triggered without a .finished
  size_t doubled_started = 0;   // .triggered with more than one .started
  size_t doubled_finished = 0;
  size_t errored = 0;                 // .finished with status errored
  size_t bad_correlation = 0;         // responses whose shkeptncontext or source is wrong
  std::vector<std::string> problems;  // the first few, for the failure message
  bool exactly_once() const {
    return missing_started == 0 && missing_finished == 0 && doubled_started == 0 &&
           doubled_finished == 0 && bad_correlation == 0;
  }
};
TaskTally tally(const std::vector<StoredMessage>& stream, const std::string& task,
                const std::string& source);

}  // namespace kph::testing
