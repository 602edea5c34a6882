// The task journal: what the host has sent for each (triggeredid, plugin), kept where every
// replica and every restart sees it. It is what makes .started and .finished go out at most
// once per task across redeliveries, restarts and replicas.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "common/result.hpp"

namespace kph::host {

struct JournalEntry {
  enum class State { kStarted, kFinished, kLeftOpen };
  State state = State::kStarted;
  // The event sent (or about to be sent) for that state: .started for kStarted, .finished for
  // kFinished. Stored before it is published, so a crash in between republishes the very same
  // event (same id) and the server's de-duplication drops the copy.
  nlohmann::json event;
  std::string owner;  // the host that wrote it (for operators)
};

class TaskJournal {
 public:
  virtual ~TaskJournal() = default;
  // Thread: any thread, thread-safe. nullopt when the task is unknown.
  virtual Result<std::optional<JournalEntry>> get(const std::string& key) = 0;
  // Takes a new task: writes `started` (a kStarted entry) when the key is unknown and returns
  // nullopt. When the key exists (a redelivery, a replay, another replica), writes nothing and
  // returns what is there. One round trip in the common case, so that every task can begin
  // with it instead of a read. Thread: any thread, thread-safe.
  virtual Result<std::optional<JournalEntry>> claim(const std::string& key,
                                                    const JournalEntry& started) = 0;
  // Writes the entry. expected_revision semantics are the implementation's: an entry may only
  // move forward (started -> finished / left open); a put that would move it back fails.
  virtual Status put(const std::string& key, const JournalEntry& entry) = 0;

  using ClaimDone = std::function<void(Result<std::optional<JournalEntry>>)>;
  // claim() without the caller waiting, with the same threading rules as
  // EventSink::publish_async: `done` once, promptly when the task is new (the result holds
  // nullopt), where waiting is allowed otherwise. This default claims before it returns.
  // Thread: any thread, thread-safe.
  virtual void claim_async(const std::string& key, const JournalEntry& started, ClaimDone done) {
    done(claim(key, started));
  }

  using WriteDone = std::function<void(Status)>;
  // put() without the caller waiting, with the same threading rules as
  // EventSink::publish_async: `done` once, promptly on success, where waiting is allowed on
  // failure. This default writes before it returns. Thread: any thread, thread-safe.
  virtual void put_async(const std::string& key, const JournalEntry& entry, WriteDone done) {
    done(put(key, entry));
  }
};

// The journal key of one plugin's task: "<triggeredid>.<plugin>", with characters a key-value
// store would refuse replaced by '_'.
std::string journal_key(const std::string& triggered_id, const std::string& plugin);

}  // namespace kph::host
