// The task journal in a JetStream key-value bucket shared by every replica. Each key holds one
// JSON value {"state": "started"|"finished"|"leftOpen", "event": {...}, "owner": "..."}, and
// writes are compare-and-set on the key's revision, so an entry only ever moves forward:
// started -> finished or leftOpen. A second "started" for a key is refused: another host (or
// an earlier life of this one) has the task.
#pragma once

#include <nats/nats.h>
#include <kph/host/task_journal.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "config/nats_settings.hpp"
#include "transport/nats/async_publisher.hpp"
#include "transport/nats/nats_connection.hpp"

namespace kph::host::nats {

// The bucket key for a journal key: itself when the bucket accepts it, else "h=" and its hex.
std::string bucket_key(const std::string& journal_key);

class KvTaskJournal : public TaskJournal {
 public:
  // Binds to config.journal_bucket, creating it (history 1, TTL journal_ttl, file storage)
  // when absent. `owner` is written into entries that name none, for operators. With `async`
  // (which must outlive the journal), put_async() does not wait.
  static Result<std::unique_ptr<KvTaskJournal>> open(NatsConnection& connection,
                                                     const NatsConfig& config, std::string owner,
                                                     AsyncPublisher* async = nullptr);
  ~KvTaskJournal() override;

  // Thread: any, thread-safe (cnats' KV calls are).
  Result<std::optional<JournalEntry>> get(const std::string& key) override;
  Result<std::optional<JournalEntry>> claim(const std::string& key,
                                            const JournalEntry& started) override;
  Status put(const std::string& key, const JournalEntry& entry) override;
  // This host moving its own task forward (the revision it wrote is known) is one
  // compare-and-set sent without waiting; anything else, and any failure, is put() on the
  // publisher's slow path.
  void put_async(const std::string& key, const JournalEntry& entry, WriteDone done) override;
  // A create-only write sent without waiting; a key that exists (or any failure) is claim()
  // on the publisher's slow path, which reads what is there.
  void claim_async(const std::string& key, const JournalEntry& started, ClaimDone done) override;

 private:
  KvTaskJournal(NatsConnection& connection, kvStore* store, const NatsConfig& config,
                std::string owner, AsyncPublisher* async)
      : connection_(connection),
        store_(store),
        bucket_(config.journal_bucket),
        owner_(std::move(owner)),
        timeout_(config.publish_timeout),
        async_(async) {}

  struct Read;
  Result<Read> read(const std::string& key);
  std::string value_text(const JournalEntry& entry) const;
  // The message kvStore_Create/Update would send for the key; null when it cannot be built.
  natsMsg* write_message(const std::string& stored_key, const JournalEntry& entry) const;
  // Sends the write without waiting (options: the create-only or compare-and-set header). On
  // the stream's ack the new revision is cached and `written` runs (on the ack thread); on
  // anything else, or without a publisher, `blocking` runs (on the slow path, or here).
  void write_async(const std::string& key, const JournalEntry& entry, jsPubOptions options,
                   std::function<void()> written, std::function<void()> blocking);
  // The revision this host last wrote for a key whose task is not finished, so that the next
  // write can go straight to compare-and-set instead of reading first.
  std::optional<uint64_t> cached_revision(const std::string& key);
  void cache_revision(const std::string& key, JournalEntry::State state, uint64_t revision);

  NatsConnection& connection_;
  kvStore* store_;
  const std::string bucket_;
  const std::string owner_;
  const std::chrono::milliseconds timeout_;
  AsyncPublisher* async_;

  std::mutex cache_mutex_;
  std::unordered_map<std::string, uint64_t> revisions_;  // bucket key -> revision
};

}  // namespace kph::host::nats
