#include "transport/nats/stream_event_store.hpp"

#include <algorithm>

#include "config/nats_config_parser.hpp"
#include "transport/nats/nats_duration.hpp"
#include "transport/nats/nats_error.hpp"

namespace kph::host::nats {
namespace {

constexpr int kFetchBatch = 256;
constexpr int kMaxWindows = 24;

// An ephemeral pull consumer on one subject from one sequence on, deleted when done.
class RangeReader {
 public:
  RangeReader(jsCtx* js, const std::string& stream) : js_(js), stream_(stream) {}
  ~RangeReader() {
    if (subscription_ != nullptr) natsSubscription_Destroy(subscription_);
    if (!name_.empty()) js_DeleteConsumer(js_, stream_.c_str(), name_.c_str(), nullptr, nullptr);
  }

  Status open(const std::string& subject, uint64_t from) {
    jsConsumerConfig cc;
    jsConsumerConfig_Init(&cc);
    cc.AckPolicy = js_AckNone;
    cc.DeliverPolicy = js_DeliverByStartSequence;
    cc.OptStartSeq = from;
    cc.FilterSubject = subject.c_str();
    // Removed by the server too, should this host die before deleting it.
    cc.InactiveThreshold = nats_nanos(std::chrono::seconds(30));
    jsConsumerInfo* info = nullptr;
    jsErrCode code = static_cast<jsErrCode>(0);
    natsStatus s = js_AddConsumer(&info, js_, stream_.c_str(), &cc, nullptr, &code);
    if (s != NATS_OK) return nats_error("cannot read the stream " + stream_ + " for " + subject, s);
    name_ = info->Name;
    pending_ = info->NumPending;
    jsConsumerInfo_Destroy(info);
    jsSubOptions options;
    jsSubOptions_Init(&options);
    options.Stream = stream_.c_str();
    options.Consumer = name_.c_str();
    s = js_PullSubscribe(&subscription_, js_, nullptr, nullptr, nullptr, &options, &code);
    if (s != NATS_OK) return nats_error("cannot read the stream " + stream_ + " for " + subject, s);
    return ok_status();
  }

  // How many messages matched when the consumer was made: reading stops there, rather than
  // waiting for the fetch to expire.
  uint64_t pending() const { return pending_; }

  // The next batch: returns as soon as the server has sent what it has.
  natsStatus next(natsMsgList& list) {
    jsFetchRequest request;
    jsFetchRequest_Init(&request);
    request.Batch = kFetchBatch;
    request.NoWait = true;
    request.Expires = nats_nanos(std::chrono::seconds(5));
    return natsSubscription_FetchRequest(&list, subscription_, &request);
  }

 private:
  jsCtx* js_;
  const std::string& stream_;
  std::string name_;
  uint64_t pending_ = 0;
  natsSubscription* subscription_ = nullptr;
};

}  // namespace

StreamEventStore::StreamEventStore(NatsConnection& connection, const NatsConfig& config)
    : connection_(connection),
      stream_(config.stream),
      default_subject_(config.filter_subject),
      max_scan_(config.event_store_max_scan) {}

Status StreamEventStore::record(const nlohmann::json&) { return ok_status(); }

Result<std::vector<nlohmann::json>> StreamEventStore::read_range(const std::string& subject,
                                                                 uint64_t lower, uint64_t upper,
                                                                 int64_t& scanned) {
  RangeReader reader(connection_.jetstream(), stream_);
  if (auto opened = reader.open(subject, lower); !opened) return opened.error();
  std::vector<nlohmann::json> events;
  uint64_t received = 0;
  while (received < reader.pending()) {
    natsMsgList list{};
    const natsStatus s = reader.next(list);
    if (s == NATS_NOT_FOUND || (s == NATS_TIMEOUT && list.Count == 0)) break;
    if (s != NATS_OK) return nats_error("reading the stream " + stream_ + " failed", s);
    bool past_end = false;
    for (int i = 0; i < list.Count && !past_end; ++i) {
      natsMsg* msg = list.Msgs[i];
      jsMsgMetaData* meta = nullptr;
      uint64_t sequence = 0;
      if (natsMsg_GetMetaData(&meta, msg) == NATS_OK) {
        sequence = meta->Sequence.Stream;
        jsMsgMetaData_Destroy(meta);
      }
      ++received;
      if (sequence >= upper) {
        past_end = true;
        break;
      }
      ++scanned;
      const int length = natsMsg_GetDataLength(msg);
      auto event = nlohmann::json::parse(
          natsMsg_GetData(msg), natsMsg_GetData(msg) + std::max(length, 0), nullptr, false);
      if (event.is_object()) events.push_back(std::move(event));
    }
    natsMsgList_Destroy(&list);
    if (past_end) break;
  }
  return events;
}

Result<std::vector<nlohmann::json>> StreamEventStore::query(const EventQuery& query) {
  const std::string subject = query.type.empty() ? default_subject_ : query.type;
  if (!query.type.empty() && (!config::is_valid_nats_subject(query.type) ||
                              query.type.find_first_of("*>") != std::string::npos)) {
    return Error{"event query: the type \"" + query.type +
                 "\" is not an event type; expected e.g. sh.keptn.event.evaluation.finished"};
  }
  // How many events of this type the stream holds, and its range of sequences.
  jsOptions options;
  jsOptions_Init(&options);
  options.Stream.Info.SubjectsFilter = subject.c_str();
  jsStreamInfo* info = nullptr;
  jsErrCode code = static_cast<jsErrCode>(0);
  natsStatus s = js_GetStreamInfo(&info, connection_.jetstream(), stream_.c_str(), &options, &code);
  if (s != NATS_OK) return nats_error("event store: cannot read the stream " + stream_, s);
  const uint64_t first = info->State.FirstSeq;
  const uint64_t last = info->State.LastSeq;
  uint64_t count = 0;
  if (info->State.Subjects != nullptr) {
    for (int i = 0; i < info->State.Subjects->Count; ++i) {
      count += info->State.Subjects->List[i].Msgs;
    }
  }
  jsStreamInfo_Destroy(info);

  std::vector<nlohmann::json> found;
  if (count == 0 || last == 0) return found;
  const auto take_newest_first = [&](const std::vector<nlohmann::json>& events) {
    for (auto it = events.rbegin(); it != events.rend() && found.size() < query.limit; ++it) {
      if (event_matches(*it, query)) found.push_back(*it);
    }
  };
  int64_t scanned = 0;
  if (count <= static_cast<uint64_t>(max_scan_)) {
    // Few enough to read them all at once.
    auto events = read_range(subject, first, last + 1, scanned);
    if (!events) return events.error();
    take_newest_first(*events);
    return found;
  }
  // Many: read backwards in windows of sequences, newest first, until enough. A window spans
  // at most maxScan sequences, so it never holds more than maxScan events of the type; at most
  // kMaxWindows windows are read.
  const uint64_t max_window = static_cast<uint64_t>(max_scan_);
  uint64_t upper = last + 1;
  uint64_t window = std::min<uint64_t>(1024, max_window);
  for (int round = 0;
       round < kMaxWindows && upper > first && found.size() < query.limit && scanned < max_scan_;
       ++round) {
    const uint64_t lower = upper - first > window ? upper - window : first;
    auto events = read_range(subject, lower, upper, scanned);
    if (!events) break;  // the newer windows already read stay a correct answer
    take_newest_first(*events);
    upper = lower;
    window = std::min(window * 4, max_window);
  }
  return found;
}

}  // namespace kph::host::nats
