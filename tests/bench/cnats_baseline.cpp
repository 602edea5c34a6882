// The baseline of the serve benchmark (serve_bench.cpp): a Keptn task service written directly
// against cnats that does, per task, the least any correct JetStream task service must do, and
// nothing else:
//
//   fetch      a durable pull consumer, in batches (natsSubscription_FetchRequest)
//   .started   built like the host builds it, published with js_Publish and a Nats-Msg-Id
//              (the host's idempotency key), waiting for the stream's publish ack
//   .finished  the same
//   ack        natsMsg_AckSync once .finished is stored (the host sends the same ack and
//              takes the server's confirmation asynchronously)
//
// It is the plain way to write such a service with cnats, given the host's bench config:
// - one fetch thread that pulls exactly as the host's intake does (a NoWait long poll with
//   Expires and Heartbeat for up to fetchBatch messages, never more in hand than
//   maxAckPending), handing messages to
// - `--workers` threads (the host's maxConcurrency, the tasks its plugin runs at once) that
//   each publish synchronously and wait for every answer.
// The host does not wait: its journal writes, events and acks go out asynchronously and the
// next step of a task is sent from the thread that received the answer (see
// host/src/transport/nats/async_publisher.hpp). Part of the ratio is that design.
//
// What it leaves out is what the ratio is about: no task journal, no event store, no routing,
// no plugin call, and its consumer filters on the task's .triggered subject only (a service
// with one task needs no other events).
//
// With --journal BUCKET it also keeps a task journal the way the host does, to show how much
// of the difference that promise costs by itself: per task a create-only put of the .started
// before publishing it (which also tells whether the task is known), and a compare-and-set
// update with the .finished before publishing that. Two more synchronous round trips, on the
// worker thread.
//
// Usage: kph_bench_cnats_baseline --url URL --consumer NAME --subject SUBJECT --source NAME
//                                 [--stream keptn] [--batch 64] [--workers 4]
//                                 [--max-ack-pending 1000] [--journal BUCKET]
// Prints "ready" on a line of its own once it is bound to the consumer; runs until SIGTERM or
// SIGINT. Exit code 0, or 2 with the reason on standard error when it cannot start.
#include <nats/nats.h>
#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "runtime/event_factory.hpp"

namespace {

using namespace std::chrono_literals;

int64_t nanos(std::chrono::milliseconds duration) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(duration).count();
}

struct Options {
  std::string url;
  std::string stream = "keptn";
  std::string consumer;
  std::string subject;
  std::string source;
  int batch = 64;
  int workers = 4;
  int64_t max_ack_pending = 1000;
  std::string journal;  // the KV bucket of the task journal; empty: none
};

std::string text_of(natsStatus s) {
  const char* detail = nats_GetLastError(nullptr);
  return std::string(natsStatus_GetText(s)) + (detail ? std::string(" (") + detail + ")" : "");
}

class Baseline {
 public:
  explicit Baseline(Options options) : options_(std::move(options)) {}

  ~Baseline() {
    if (journal_ != nullptr) kvStore_Destroy(journal_);
    if (subscription_ != nullptr) natsSubscription_Destroy(subscription_);
    if (js_ != nullptr) jsCtx_Destroy(js_);
    if (connection_ != nullptr) {
      natsConnection_Close(connection_);
      natsConnection_Destroy(connection_);
    }
  }

  // Connects, creates the durable consumer (the host's settings) and binds to it; returns the
  // reason when it cannot.
  std::string start() {
    natsStatus s = natsConnection_ConnectTo(&connection_, options_.url.c_str());
    if (s != NATS_OK) return "cannot connect to " + options_.url + ": " + text_of(s);
    jsOptions js_options;
    jsOptions_Init(&js_options);
    js_options.Wait = 10000;  // the host's publishTimeout
    if ((s = natsConnection_JetStream(&js_, connection_, &js_options)) != NATS_OK) {
      return "cannot open JetStream: " + text_of(s);
    }
    if (!options_.journal.empty()) {
      // The host's bucket settings.
      kvConfig kv;
      kvConfig_Init(&kv);
      kv.Bucket = options_.journal.c_str();
      kv.History = 1;
      kv.TTL = nanos(std::chrono::hours(24 * 7));
      kv.StorageType = js_FileStorage;
      if ((s = js_CreateKeyValue(&journal_, js_, &kv)) != NATS_OK) {
        return "cannot create the journal bucket " + options_.journal + ": " + text_of(s);
      }
    }
    jsConsumerConfig cc;
    jsConsumerConfig_Init(&cc);
    cc.Durable = options_.consumer.c_str();
    cc.AckPolicy = js_AckExplicit;
    cc.AckWait = nanos(30s);
    cc.MaxDeliver = 10;
    cc.FilterSubject = options_.subject.c_str();
    cc.MaxAckPending = options_.max_ack_pending;
    cc.DeliverPolicy = js_DeliverAll;
    jsConsumerInfo* info = nullptr;
    jsErrCode code = static_cast<jsErrCode>(0);
    s = js_AddConsumer(&info, js_, options_.stream.c_str(), &cc, nullptr, &code);
    if (s != NATS_OK) return "cannot create the consumer " + options_.consumer + ": " + text_of(s);
    jsConsumerInfo_Destroy(info);
    jsSubOptions sub_options;
    jsSubOptions_Init(&sub_options);
    sub_options.Stream = options_.stream.c_str();
    sub_options.Consumer = options_.consumer.c_str();
    sub_options.ManualAck = true;
    s = js_PullSubscribe(&subscription_, js_, nullptr, options_.consumer.c_str(), nullptr,
                         &sub_options, &code);
    if (s != NATS_OK) return "cannot bind to the consumer " + options_.consumer + ": " + text_of(s);
    fetcher_ = std::thread([this] { fetch_loop(); });
    for (int i = 0; i < options_.workers; ++i) workers_.emplace_back([this] { work_loop(); });
    return "";
  }

  // Stops fetching, lets the workers finish what they hold, and joins every thread.
  void stop() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    room_.notify_all();
    work_.notify_all();
    natsSubscription_Unsubscribe(subscription_);  // ends a waiting pull
    if (fetcher_.joinable()) fetcher_.join();
    for (auto& worker : workers_) worker.join();
    for (natsMsg* msg : queue_) natsMsg_Destroy(msg);
    queue_.clear();
  }

 private:
  // The host's intake loop, without its poison handling and reconnect bookkeeping.
  void fetch_loop() {
    while (true) {
      size_t batch = 0;
      {
        const size_t limit = static_cast<size_t>(options_.max_ack_pending);
        std::unique_lock<std::mutex> lock(mutex_);
        room_.wait(lock, [&] { return stopping_ || in_hand_ < limit; });
        if (stopping_) return;
        batch = std::min(limit - in_hand_, static_cast<size_t>(options_.batch));
      }
      natsMsgList list{};
      natsStatus s = fetch(list, batch, /*wait=*/false);
      if (s == NATS_NOT_FOUND || (s == NATS_TIMEOUT && list.Count == 0)) {
        s = fetch(list, 1, /*wait=*/true);
      }
      if (s != NATS_OK) {
        std::lock_guard<std::mutex> lock(mutex_);
        if (stopping_) return;
        continue;  // idle, or a lost pull: pull again
      }
      {
        std::lock_guard<std::mutex> lock(mutex_);
        for (int i = 0; i < list.Count; ++i) {
          queue_.push_back(list.Msgs[i]);
          list.Msgs[i] = nullptr;
        }
        in_hand_ += static_cast<size_t>(list.Count);
      }
      natsMsgList_Destroy(&list);
      work_.notify_all();
    }
  }

  natsStatus fetch(natsMsgList& list, size_t batch, bool wait) {
    jsFetchRequest request;
    jsFetchRequest_Init(&request);
    request.Batch = static_cast<int>(batch);
    request.NoWait = !wait;
    request.Expires = nanos(30s);
    request.Heartbeat = nanos(1s);
    return natsSubscription_FetchRequest(&list, subscription_, &request);
  }

  void work_loop() {
    while (true) {
      natsMsg* msg = nullptr;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        work_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;
        msg = queue_.front();
        queue_.pop_front();
      }
      handle(msg);
      natsMsg_Destroy(msg);
      {
        std::lock_guard<std::mutex> lock(mutex_);
        --in_hand_;
      }
      room_.notify_one();
    }
  }

  void handle(natsMsg* msg) {
    const char* data = natsMsg_GetData(msg);
    const auto triggered =
        nlohmann::json::parse(data, data + std::max(natsMsg_GetDataLength(msg), 0), nullptr, false);
    if (!triggered.is_object()) {
      natsMsg_Term(msg, nullptr);
      return;
    }
    const auto started = kph::host::make_response_event(triggered, "started", options_.source,
                                                        nlohmann::json::object());
    const auto finished = kph::host::make_response_event(triggered, "finished", options_.source,
                                                         {{"message", "nothing to do"}});
    const std::string key = triggered.value("id", "") + "." + options_.source;
    uint64_t revision = 0;
    bool ok = true;
    // A create that fails would be a redelivery, which the bench never makes (the host would
    // take the task over from the journal).
    if (journal_ != nullptr) ok = journal_write(key, "started", started, revision);
    ok = ok && publish(started);
    if (journal_ != nullptr) ok = ok && journal_write(key, "finished", finished, revision);
    ok = ok && publish(finished);
    if (!ok) {
      natsMsg_Nak(msg, nullptr);
      return;
    }
    jsErrCode code = static_cast<jsErrCode>(0);
    if (natsStatus s = natsMsg_AckSync(msg, nullptr, &code); s != NATS_OK) {
      std::cerr << "ack failed: " << text_of(s) << "\n";
    }
  }

  // A create-only put for a new task (revision 0), else a compare-and-set on `revision`.
  bool journal_write(const std::string& key, const char* state, const nlohmann::json& event,
                     uint64_t& revision) {
    const std::string value =
        nlohmann::json{{"state", state}, {"event", event}, {"owner", "baseline"}}.dump();
    const int length = static_cast<int>(value.size());
    const natsStatus s =
        revision == 0
            ? kvStore_Create(&revision, journal_, key.c_str(), value.data(), length)
            : kvStore_Update(&revision, journal_, key.c_str(), value.data(), length, revision);
    if (s != NATS_OK) std::cerr << "journal write failed: " << text_of(s) << "\n";
    return s == NATS_OK;
  }

  bool publish(const nlohmann::json& event) {
    const std::string subject = event.at("type").get<std::string>();
    const std::string data = event.dump();
    // The host's idempotency key: one .started and one .finished per triggeredid and source.
    const std::string key = event.at("triggeredid").get<std::string>() + "|" + subject + "|" +
                            event.at("source").get<std::string>();
    jsPubOptions options;
    jsPubOptions_Init(&options);
    options.MsgId = key.c_str();
    options.ExpectStream = options_.stream.c_str();
    jsPubAck* ack = nullptr;
    jsErrCode code = static_cast<jsErrCode>(0);
    const natsStatus s = js_Publish(&ack, js_, subject.c_str(), data.data(),
                                    static_cast<int>(data.size()), &options, &code);
    if (s != NATS_OK) {
      std::cerr << "publish failed: " << text_of(s) << "\n";
      return false;
    }
    jsPubAck_Destroy(ack);
    return true;
  }

  const Options options_;
  natsConnection* connection_ = nullptr;
  jsCtx* js_ = nullptr;
  natsSubscription* subscription_ = nullptr;
  kvStore* journal_ = nullptr;

  std::mutex mutex_;
  std::condition_variable room_;  // in_hand_ shrank, or stopping_
  std::condition_variable work_;  // queue_ grew, or stopping_
  std::deque<natsMsg*> queue_;
  size_t in_hand_ = 0;  // fetched and not yet settled
  bool stopping_ = false;
  std::thread fetcher_;
  std::vector<std::thread> workers_;
};

std::optional<Options> parse_arguments(int argc, char** argv) {
  std::map<std::string, std::string> values;
  for (int i = 1; i + 1 < argc; i += 2) values[argv[i]] = argv[i + 1];
  if (argc % 2 == 0) return std::nullopt;
  Options options;
  for (const auto& [name, value] : values) {
    if (name == "--url") {
      options.url = value;
    } else if (name == "--stream") {
      options.stream = value;
    } else if (name == "--consumer") {
      options.consumer = value;
    } else if (name == "--subject") {
      options.subject = value;
    } else if (name == "--source") {
      options.source = value;
    } else if (name == "--journal") {
      options.journal = value;
    } else if (name == "--batch") {
      options.batch = std::max(1, std::atoi(value.c_str()));
    } else if (name == "--workers") {
      options.workers = std::max(1, std::atoi(value.c_str()));
    } else if (name == "--max-ack-pending") {
      options.max_ack_pending = std::max(1, std::atoi(value.c_str()));
    } else {
      return std::nullopt;
    }
  }
  if (options.url.empty() || options.consumer.empty() || options.subject.empty() ||
      options.source.empty()) {
    return std::nullopt;
  }
  return options;
}

}  // namespace

int main(int argc, char** argv) {
  const auto options = parse_arguments(argc, argv);
  if (!options) {
    std::cerr << "usage: " << argv[0]
              << " --url URL --consumer NAME --subject SUBJECT --source NAME [--stream NAME]"
                 " [--batch N] [--workers N] [--max-ack-pending N] [--journal BUCKET]\n";
    return 2;
  }
  // Blocked before any thread exists, so that every thread inherits it and sigwait gets it.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  int result = 0;
  {
    Baseline baseline(*options);
    if (const auto failure = baseline.start(); !failure.empty()) {
      std::cerr << "kph_bench_cnats_baseline: " << failure << "\n";
      result = 2;
    } else {
      std::cout << "ready" << std::endl;
      int signal_number = 0;
      sigwait(&stop_signals, &signal_number);
      baseline.stop();
    }
  }
  nats_Close();
  return result;
}
