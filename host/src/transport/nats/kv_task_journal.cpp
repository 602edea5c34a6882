#include "transport/nats/kv_task_journal.hpp"

#include <cstdio>

#include "common/logger.hpp"
#include "transport/nats/nats_error.hpp"

namespace kph::host::nats {
namespace {

const char* state_name(JournalEntry::State state) {
  switch (state) {
    case JournalEntry::State::kStarted:
      return "started";
    case JournalEntry::State::kFinished:
      return "finished";
    case JournalEntry::State::kLeftOpen:
      return "leftOpen";
  }
  return "started";
}

std::optional<JournalEntry::State> state_of(const std::string& name) {
  if (name == "started") return JournalEntry::State::kStarted;
  if (name == "finished") return JournalEntry::State::kFinished;
  if (name == "leftOpen") return JournalEntry::State::kLeftOpen;
  return std::nullopt;
}

// An entry moves forward only: a started task ends finished or left open; a task left open
// may still be finished; a finished task is final, and a second start means another host
// has the task.
bool moves_forward(JournalEntry::State from, JournalEntry::State to) {
  using S = JournalEntry::State;
  if (from == S::kStarted) return to == S::kFinished || to == S::kLeftOpen;
  if (from == S::kLeftOpen) return to == S::kLeftOpen || to == S::kFinished;
  return false;
}

// What cnats' KV accepts: letters, digits and -/_=.\ with dots only between other characters.
bool is_bucket_key(const std::string& key) {
  if (key.empty()) return false;
  for (size_t i = 0; i < key.size(); ++i) {
    const char c = key[i];
    if (c == '.') {
      if (i == 0 || i + 1 == key.size() || key[i - 1] == '.') return false;
      continue;
    }
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '/' || c == '=';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

std::string bucket_key(const std::string& journal_key) {
  if (is_bucket_key(journal_key) && journal_key.rfind("h=", 0) != 0) return journal_key;
  std::string out = "h=";
  char hex[3];
  for (unsigned char c : journal_key) {
    std::snprintf(hex, sizeof hex, "%02x", c);
    out += hex;
  }
  return out;
}

struct KvTaskJournal::Read {
  std::optional<JournalEntry> entry;
  uint64_t revision = 0;
};

Result<std::unique_ptr<KvTaskJournal>> KvTaskJournal::open(NatsConnection& connection,
                                                           const NatsConfig& config,
                                                           std::string owner,
                                                           AsyncPublisher* async) {
  const std::string where = "task journal bucket " + config.journal_bucket;
  for (int attempt = 0; attempt < 3; ++attempt) {
    kvStore* store = nullptr;
    natsStatus s = js_KeyValue(&store, connection.jetstream(), config.journal_bucket.c_str());
    if (s == NATS_OK) {
      return std::unique_ptr<KvTaskJournal>(
          new KvTaskJournal(connection, store, config, std::move(owner), async));
    }
    if (s != NATS_NOT_FOUND) return nats_error("cannot open the " + where, s);
    kvConfig kv;
    kvConfig_Init(&kv);
    kv.Bucket = config.journal_bucket.c_str();
    kv.Description = "keptn-host task journal: what was sent for each task";
    kv.History = 1;
    kv.TTL = std::chrono::duration_cast<std::chrono::nanoseconds>(config.journal_ttl).count();
    kv.StorageType = js_FileStorage;
    kv.Replicas = static_cast<int>(config.replicas);
    s = js_CreateKeyValue(&store, connection.jetstream(), &kv);
    if (s == NATS_OK) {
      log_info("created the task journal bucket", {{"bucket", config.journal_bucket}});
      return std::unique_ptr<KvTaskJournal>(
          new KvTaskJournal(connection, store, config, std::move(owner), async));
    }
    // Another replica may have created it meanwhile: look it up again.
    log_debug("creating the task journal bucket failed; looking it up again: " + status_text(s),
              {{"bucket", config.journal_bucket}});
  }
  return Error{"cannot open or create the " + where +
               "; check that JetStream is enabled and that this user may create streams"};
}

KvTaskJournal::~KvTaskJournal() { kvStore_Destroy(store_); }

Result<KvTaskJournal::Read> KvTaskJournal::read(const std::string& key) {
  const std::string stored_key = bucket_key(key);
  kvEntry* entry = nullptr;
  const natsStatus s = kvStore_Get(&entry, store_, stored_key.c_str());
  if (s == NATS_NOT_FOUND) return Read{};
  if (s != NATS_OK) {
    return nats_error("task journal (bucket " + bucket_ + "): cannot read " + stored_key, s);
  }
  const std::string text(static_cast<const char*>(kvEntry_Value(entry)),
                         static_cast<size_t>(kvEntry_ValueLen(entry)));
  Read out;
  out.revision = kvEntry_Revision(entry);
  kvEntry_Destroy(entry);
  const auto value = nlohmann::json::parse(text, nullptr, false);
  std::optional<JournalEntry::State> state;
  if (value.is_object() && value.contains("state") && value["state"].is_string()) {
    state = state_of(value["state"].get<std::string>());
  }
  if (!state || !value.contains("event") || !value["event"].is_object()) {
    return Error{"task journal (bucket " + bucket_ + "): the entry " + stored_key +
                 " is not a journal entry; expected {\"state\": ..., \"event\": {...}}, found " +
                 std::to_string(text.size()) +
                 " bytes of something else; delete the key if nothing else writes this bucket"};
  }
  JournalEntry entry_out;
  entry_out.state = *state;
  entry_out.event = value["event"];
  entry_out.owner = value.value("owner", "");
  out.entry = std::move(entry_out);
  return out;
}

Result<std::optional<JournalEntry>> KvTaskJournal::get(const std::string& key) {
  auto current = read(key);
  if (!current) return current.error();
  return std::move(current->entry);
}

std::optional<uint64_t> KvTaskJournal::cached_revision(const std::string& key) {
  std::lock_guard<std::mutex> lock(cache_mutex_);
  auto it = revisions_.find(key);
  if (it == revisions_.end()) return std::nullopt;
  return it->second;
}

void KvTaskJournal::cache_revision(const std::string& key, JournalEntry::State state,
                                   uint64_t revision) {
  std::lock_guard<std::mutex> lock(cache_mutex_);
  if (state == JournalEntry::State::kFinished) {
    revisions_.erase(key);  // final: no later write
    return;
  }
  // Bounded: tasks left open for days would otherwise pile up. Losing the cache only costs a
  // read before the next write.
  if (revisions_.size() >= 100000) revisions_.clear();
  revisions_[key] = revision;
}

std::string KvTaskJournal::value_text(const JournalEntry& entry) const {
  const nlohmann::json value = {{"state", state_name(entry.state)},
                                {"event", entry.event},
                                {"owner", entry.owner.empty() ? owner_ : entry.owner}};
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Result<std::optional<JournalEntry>> KvTaskJournal::claim(const std::string& key,
                                                         const JournalEntry& started) {
  const std::string stored_key = bucket_key(key);
  const std::string text = value_text(started);
  for (int attempt = 0; attempt < 5; ++attempt) {
    uint64_t revision = 0;
    const natsStatus s = kvStore_Create(&revision, store_, stored_key.c_str(), text.data(),
                                        static_cast<int>(text.size()));
    if (s == NATS_OK) {
      cache_revision(stored_key, started.state, revision);
      return std::optional<JournalEntry>{};
    }
    if (is_transient(s)) {
      return nats_error("task journal (bucket " + bucket_ + "): cannot write " + stored_key, s);
    }
    // The key exists: report what is there. Gone again by the time it is read (deleted by
    // an operator, expired): try to create it once more.
    auto current = read(key);
    if (!current) return current.error();
    if (current->entry) return std::move(current->entry);
  }
  return Error{"task journal (bucket " + bucket_ + "): " + stored_key +
               " kept changing while it was claimed; the task will be retried"};
}

Status KvTaskJournal::put(const std::string& key, const JournalEntry& entry) {
  const std::string stored_key = bucket_key(key);
  const std::string text = value_text(entry);
  // The common cases in one round trip: a new task (create-only), or this host moving its own
  // task forward (compare-and-set on the revision it wrote). Anything else reads first.
  {
    uint64_t revision = 0;
    natsStatus s = NATS_ERR;
    if (entry.state == JournalEntry::State::kStarted) {
      s = kvStore_Create(&revision, store_, stored_key.c_str(), text.data(),
                         static_cast<int>(text.size()));
    } else if (auto last = cached_revision(stored_key)) {
      s = kvStore_Update(&revision, store_, stored_key.c_str(), text.data(),
                         static_cast<int>(text.size()), *last);
    }
    if (s == NATS_OK) {
      cache_revision(stored_key, entry.state, revision);
      return ok_status();
    }
  }
  for (int attempt = 0; attempt < 5; ++attempt) {
    auto current = read(key);
    if (!current) return current.error();
    uint64_t revision = 0;
    natsStatus s = NATS_OK;
    if (!current->entry) {
      s = kvStore_Create(&revision, store_, stored_key.c_str(), text.data(),
                         static_cast<int>(text.size()));
    } else {
      const JournalEntry& known = *current->entry;
      if (!moves_forward(known.state, entry.state)) {
        return Error{"task journal (bucket " + bucket_ + "): " + stored_key + " is already " +
                     state_name(known.state) + " (written by " +
                     (known.owner.empty() ? std::string("an unnamed host") : known.owner) +
                     "); it cannot become " + state_name(entry.state) + " again"};
      }
      s = kvStore_Update(&revision, store_, stored_key.c_str(), text.data(),
                         static_cast<int>(text.size()), current->revision);
    }
    if (s == NATS_OK) {
      cache_revision(stored_key, entry.state, revision);
      return ok_status();
    }
    if (is_transient(s)) {
      return nats_error("task journal (bucket " + bucket_ + "): cannot write " + stored_key, s);
    }
    // Most likely the key changed since it was read (another writer): read it again.
  }
  return Error{"task journal (bucket " + bucket_ + "): " + stored_key +
               " kept changing while it was written; the task will be retried"};
}

natsMsg* KvTaskJournal::write_message(const std::string& stored_key,
                                      const JournalEntry& entry) const {
  const std::string subject = "$KV." + bucket_ + "." + stored_key;
  const std::string text = value_text(entry);
  natsMsg* message = nullptr;
  if (natsMsg_Create(&message, subject.c_str(), nullptr, text.data(),
                     static_cast<int>(text.size())) != NATS_OK) {
    natsMsg_Destroy(message);
    return nullptr;
  }
  return message;
}

void KvTaskJournal::claim_async(const std::string& key, const JournalEntry& started,
                                ClaimDone done) {
  jsPubOptions options;
  jsPubOptions_Init(&options);
  options.ExpectNoMessage = true;  // create-only, as kvStore_Create
  // Known already, or unanswered: claim() reads what is there.
  write_async(
      key, started, options, [done] { done(std::optional<JournalEntry>{}); },
      [this, key, started, done] { done(claim(key, started)); });
}

void KvTaskJournal::put_async(const std::string& key, const JournalEntry& entry, WriteDone done) {
  const auto last = cached_revision(bucket_key(key));
  jsPubOptions options;
  jsPubOptions_Init(&options);
  options.ExpectLastSubjectSeq = last.value_or(0);  // compare-and-set, as kvStore_Update
  // Changed meanwhile, or unanswered: put() reads what is there and decides.
  auto blocking = [this, key, entry, done] { done(put(key, entry)); };
  if (entry.state == JournalEntry::State::kStarted || !last) {
    blocking();
    return;
  }
  write_async(
      key, entry, options, [done] { done(ok_status()); }, std::move(blocking));
}

void KvTaskJournal::write_async(const std::string& key, const JournalEntry& entry,
                                jsPubOptions options, std::function<void()> written,
                                std::function<void()> blocking) {
  const std::string stored_key = bucket_key(key);
  natsMsg* message = async_ != nullptr ? write_message(stored_key, entry) : nullptr;
  if (message == nullptr) {
    blocking();
    return;
  }
  options.MaxWait = timeout_.count();
  async_->publish(message, options,
                  [this, stored_key, state = entry.state, written = std::move(written),
                   blocking = std::move(blocking)](const AsyncAck& ack) {
                    if (ack.status != NATS_OK) {
                      async_->defer(blocking);
                      return;
                    }
                    cache_revision(stored_key, state, ack.sequence);
                    written();
                  });
}

}  // namespace kph::host::nats
