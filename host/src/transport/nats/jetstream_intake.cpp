#include "transport/nats/jetstream_intake.hpp"

#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

#include "common/cloud_event.hpp"
#include "common/event_type.hpp"
#include "common/logger.hpp"
#include "transport/nats/jetstream_setup.hpp"
#include "transport/nats/nats_duration.hpp"
#include "transport/nats/nats_error.hpp"

namespace kph::host::nats {
namespace {

using Clock = std::chrono::steady_clock;

constexpr size_t kAckerThreads = 2;

}  // namespace

struct JetStreamIntake::Core : std::enable_shared_from_this<JetStreamIntake::Core> {
  Core(NatsConnection& c, NatsConfig cfg, std::string d, SubmitFn s)
      : connection(c), config(std::move(cfg)), durable(std::move(d)), submit(std::move(s)) {}

  // One message in hand: fetched, submitted, not yet settled with the server.
  struct Message {
    natsMsg* msg = nullptr;
    uint64_t sequence = 0;   // stream sequence
    uint64_t delivered = 1;  // how often the server delivered it
    std::string id;
    std::string type;
    Clock::time_point last_progress;
    bool settling = false;                      // queued for ack/nak/term: no more progress reports
    std::optional<Clock::time_point> ack_sent;  // acked, the server's confirmation awaited
  };
  enum class Action { kAck, kNak, kTerm };
  struct Settle {
    uint64_t key = 0;
    Action action = Action::kAck;
    std::string reason;  // for kTerm
  };

  NatsConnection& connection;
  const NatsConfig config;
  const std::string durable;
  const SubmitFn submit;

  std::atomic<bool> stopping{false};
  std::atomic<bool> bound{false};
  std::atomic<bool> threads_stop{false};

  // The pull subscription; replaced ones are kept until the end, because messages taken from
  // them point at them.
  natsSubscription* subscription = nullptr;
  std::vector<natsSubscription*> retired;

  mutable std::mutex mutex;
  std::condition_variable room;       // in_flight shrank, or stopping
  std::condition_variable settle_cv;  // settle queue grew, or threads_stop
  std::condition_variable timer_cv;   // wakes the progress thread to stop
  std::unordered_map<uint64_t, Message> in_flight;
  std::deque<Settle> settle_queue;
  uint64_t next_key = 1;
  IntakeCounters counters;

  std::thread fetcher;
  std::vector<std::thread> ackers;
  std::thread progress;

  // Where the server confirms the acks of .triggered messages: "<inbox>.<key>". An ack goes
  // out from the thread that settles the task and its confirmation comes back here, so no
  // thread waits for it (what natsMsg_AckSync would do, once per task).
  natsSubscription* confirmations = nullptr;
  std::string confirm_prefix;

  // --- fetch thread ---

  void fetch_loop() {
    int failures = 0;
    while (!stopping) {
      if (!connection.wait_connected(std::chrono::hours(1), [this] { return stopping.load(); })) {
        continue;
      }
      const size_t capacity = wait_for_room();
      if (stopping) break;
      natsMsgList list{};
      natsStatus s = fetch(list, capacity, /*wait=*/false);
      if (s == NATS_NOT_FOUND || (s == NATS_TIMEOUT && list.Count == 0)) {
        s = fetch(list, 1, /*wait=*/true);
      }
      if (s == NATS_OK) {
        failures = 0;
        take(list);
        continue;
      }
      if (stopping) break;
      if (s == NATS_TIMEOUT || s == NATS_NOT_FOUND) continue;  // idle: pull again
      if (s == NATS_MISSED_HEARTBEAT || !connection.connected()) {
        // The pull request was lost (a reconnect, a restarting server): ask again.
        log_debug("the pull request got no heartbeat; pulling again",
                  {{"consumer", durable}, {"error", status_text(s)}});
        continue;
      }
      ++failures;
      log_warning("fetching from the JetStream consumer failed: " + status_text(s),
                  {{"consumer", durable}, {"stream", config.stream}});
      if (failures >= 3) rebind();
      // Wait a little before the next try, but stop at once when asked.
      std::unique_lock<std::mutex> lock(mutex);
      room.wait_for(lock, std::chrono::milliseconds(200) * std::min(failures, 10),
                    [this] { return stopping.load(); });
    }
  }

  natsStatus fetch(natsMsgList& list, size_t batch, bool wait) {
    // A fresh request each time: cnats changes it while fetching.
    jsFetchRequest request;
    jsFetchRequest_Init(&request);
    request.Batch = static_cast<int>(batch);
    // NoWait with an expiry is a long poll that ends as soon as the server has sent any
    // messages (up to the batch): one request brings a burst at once, yet an idle host waits
    // without polling. Without NoWait the request waits for the whole batch, so it is only
    // used for a batch of one, when the server answered "requests pending" (another
    // replica's pull covers what is there).
    request.NoWait = !wait;
    request.Expires = nats_nanos(config.fetch_expires);
    // While it has nothing to send, the server sends a heartbeat every second; two missed
    // ones end the fetch. A pull lost with the connection is so noticed during the outage,
    // and the next pull goes out as soon as the connection is back. (A heartbeat a second
    // costs an idle host next to nothing.)
    request.Heartbeat =
        nats_nanos(std::min(std::chrono::milliseconds(1000), config.fetch_expires / 4));
    return natsSubscription_FetchRequest(&list, subscription, &request);
  }

  size_t wait_for_room() {
    const size_t limit = static_cast<size_t>(std::max<int64_t>(config.max_ack_pending, 1));
    std::unique_lock<std::mutex> lock(mutex);
    room.wait(lock, [&] { return stopping || in_flight.size() < limit; });
    const size_t free = limit - std::min(limit, in_flight.size());
    return std::max<size_t>(1, std::min<size_t>(free, static_cast<size_t>(config.fetch_batch)));
  }

  void take(natsMsgList& list) {
    for (int i = 0; i < list.Count; ++i) {
      natsMsg* msg = list.Msgs[i];
      list.Msgs[i] = nullptr;  // ours now; natsMsgList_Destroy must not free it
      handle(msg);
    }
    natsMsgList_Destroy(&list);
  }

  void handle(natsMsg* msg) {
    {
      std::lock_guard<std::mutex> lock(mutex);
      ++counters.received;
    }
    uint64_t sequence = 0;
    uint64_t delivered = 1;
    jsMsgMetaData* meta = nullptr;
    if (natsMsg_GetMetaData(&meta, msg) == NATS_OK) {
      sequence = meta->Sequence.Stream;
      delivered = meta->NumDelivered;
      jsMsgMetaData_Destroy(meta);
    }
    const std::string subject = natsMsg_GetSubject(msg) ? natsMsg_GetSubject(msg) : "";
    if (stopping) {
      // Fetched while stopping: back to the server for another host, without delay.
      natsMsg_Nak(msg, nullptr);
      natsMsg_Destroy(msg);
      std::lock_guard<std::mutex> lock(mutex);
      ++counters.nacked;
      return;
    }
    const int length = natsMsg_GetDataLength(msg);
    if (length < 0 || static_cast<size_t>(length) > kMaxEventBytes) {
      terminate_now(msg, sequence, subject,
                    "the event is " + std::to_string(length) +
                        " bytes; expected at most 1 MiB; Keptn events are small, so it is "
                        "dropped");
      return;
    }
    auto event = parse_cloud_event(std::string_view(natsMsg_GetData(msg), length));
    if (!event) {
      terminate_now(msg, sequence, subject, event.error().message);
      return;
    }
    const std::string id = event_string(*event, "id");
    const std::string type = event_string(*event, "type");
    uint64_t key = 0;
    {
      std::lock_guard<std::mutex> lock(mutex);
      key = next_key++;
      Message& m = in_flight[key];
      m.msg = msg;
      m.sequence = sequence;
      m.delivered = delivered;
      m.id = id;
      m.type = type;
      m.last_progress = Clock::now();
    }
    std::weak_ptr<Core> weak = shared_from_this();
    auto status = submit(std::move(*event), [weak, key](Settlement settlement) {
      if (auto core = weak.lock()) {
        core->enqueue(key, settlement == Settlement::kDone ? Action::kAck : Action::kNak, "");
      }
    });
    if (status) return;
    const auto kind = parse_event_type(type);
    if (stopping) {
      enqueue(key, Action::kNak, "");
    } else if (!kind || kind->kind != "triggered") {
      // Nothing to run for it; e.g. an event already seen through another path.
      log_debug("event not taken: " + status.error().message, {{"event", id}, {"type", type}});
      enqueue(key, Action::kAck, "");
    } else {
      enqueue(key, Action::kTerm, status.error().message);
    }
  }

  void terminate_now(natsMsg* msg, uint64_t sequence, const std::string& subject,
                     const std::string& reason) {
    log_warning(
        "terminated a message that is not a usable Keptn event: " + reason,
        {{"stream", config.stream}, {"sequence", std::to_string(sequence)}, {"subject", subject}});
    natsMsg_Term(msg, nullptr);
    natsMsg_Destroy(msg);
    std::lock_guard<std::mutex> lock(mutex);
    ++counters.terminated;
  }

  void rebind() {
    log_warning("rebinding to the JetStream consumer", {{"consumer", durable}});
    if (auto made = ensure_consumer(connection.jetstream(), config, durable); !made) {
      log_error(made.error().message, {{"consumer", durable}});
      return;
    }
    auto fresh = bind_pull_subscription(connection.jetstream(), config.stream, durable);
    if (!fresh) {
      log_error(fresh.error().message, {{"consumer", durable}});
      return;
    }
    std::lock_guard<std::mutex> lock(mutex);
    retired.push_back(subscription);
    subscription = *fresh;
  }

  // --- settling ---

  // Queues a message's settlement; only the first one counts. The ack of a .triggered is sent
  // at once and confirmed asynchronously (confirmed(), or the progress thread's sweep).
  void enqueue(uint64_t key, Action action, std::string reason) {
    {
      std::lock_guard<std::mutex> lock(mutex);
      auto it = in_flight.find(key);
      if (it == in_flight.end() || it->second.settling) return;
      it->second.settling = true;
      const auto kind = parse_event_type(it->second.type);
      if (action == Action::kAck && confirmations != nullptr && kind && kind->kind == "triggered") {
        // Under the lock: only confirmed(), the sweep and drain() destroy a message, and all
        // take it. The publish only buffers (or writes) and never waits for the server.
        const std::string reply = confirm_prefix + std::to_string(key);
        const natsStatus s = natsConnection_PublishRequestString(
            connection.get(), natsMsg_GetReply(it->second.msg), reply.c_str(), "+ACK");
        if (s == NATS_OK) {
          it->second.ack_sent = Clock::now();
          return;
        }
        // Not even buffered (closed, or the reconnect buffer is full): the acker tries.
      }
      settle_queue.push_back({key, action, std::move(reason)});
    }
    settle_cv.notify_one();
  }

  // The server's confirmation of an ack: the message is done with.
  void confirmed(uint64_t key) {
    {
      std::lock_guard<std::mutex> lock(mutex);
      auto it = in_flight.find(key);
      if (it == in_flight.end() || !it->second.ack_sent) return;
      natsMsg_Destroy(it->second.msg);
      in_flight.erase(it);
      ++counters.acked;
    }
    room.notify_all();
  }

  static void on_confirmation(natsConnection*, natsSubscription*, natsMsg* reply, void* closure) {
    const char* subject = natsMsg_GetSubject(reply);
    const char* token = subject != nullptr ? std::strrchr(subject, '.') : nullptr;
    const uint64_t key = token != nullptr ? std::strtoull(token + 1, nullptr, 10) : 0;
    natsMsg_Destroy(reply);
    if (auto core = static_cast<std::weak_ptr<Core>*>(closure)->lock(); core && key != 0) {
      core->confirmed(key);
    }
  }

  Status subscribe_confirmations() {
    natsInbox* inbox = nullptr;
    if (natsStatus s = natsInbox_Create(&inbox); s != NATS_OK) {
      return nats_error("cannot create an inbox for acknowledgement confirmations", s);
    }
    confirm_prefix = std::string(inbox) + ".";
    natsInbox_Destroy(inbox);
    // Freed once cnats is done with the subscription (it may call back until then).
    auto* closure = new std::weak_ptr<Core>(weak_from_this());
    natsStatus s = natsConnection_Subscribe(
        &confirmations, connection.get(), (confirm_prefix + "*").c_str(), on_confirmation, closure);
    if (s == NATS_OK) {
      // Bounded by maxAckPending (one confirmation per message in hand), not by cnats' limits.
      (void)natsSubscription_SetPendingLimits(confirmations, -1, -1);
      s = natsSubscription_SetOnCompleteCB(
          confirmations, [](void* c) { delete static_cast<std::weak_ptr<Core>*>(c); }, closure);
    }
    if (s != NATS_OK) {
      if (confirmations == nullptr) delete closure;
      natsSubscription_Destroy(confirmations);
      confirmations = nullptr;
      return nats_error("cannot subscribe to acknowledgement confirmations", s);
    }
    return ok_status();
  }

  void acker_loop() {
    while (true) {
      Settle item;
      natsMsg* msg = nullptr;
      Message info;
      {
        std::unique_lock<std::mutex> lock(mutex);
        settle_cv.wait(lock, [this] { return threads_stop || !settle_queue.empty(); });
        if (settle_queue.empty()) return;
        item = std::move(settle_queue.front());
        settle_queue.pop_front();
        auto it = in_flight.find(item.key);
        if (it == in_flight.end()) continue;
        msg = it->second.msg;
        info = it->second;
      }
      settle(msg, info, item);
      natsMsg_Destroy(msg);
      {
        std::lock_guard<std::mutex> lock(mutex);
        in_flight.erase(item.key);
        if (item.action == Action::kAck) ++counters.acked;
        if (item.action == Action::kNak) ++counters.nacked;
        if (item.action == Action::kTerm) ++counters.terminated;
      }
      room.notify_all();
    }
  }

  void settle(natsMsg* msg, const Message& info, const Settle& item) {
    const std::string sequence = std::to_string(info.sequence);
    switch (item.action) {
      case Action::kAck: {
        const auto kind = parse_event_type(info.type);
        if (!kind || kind->kind != "triggered") {
          // Nothing depends on this ack: a lost one only brings the event back, which is
          // recorded and dropped again. (The default filterSubject takes .triggered only.)
          natsMsg_Ack(msg, nullptr);
          return;
        }
        jsOptions options;
        jsOptions_Init(&options);
        options.Wait = config.publish_timeout.count();
        jsErrCode code = static_cast<jsErrCode>(0);
        if (auto s = natsMsg_AckSync(msg, &options, &code); s != NATS_OK) {
          // The server delivers it again; the task journal answers the redelivery with what
          // was already sent, so nothing runs twice.
          log_warning(
              "acknowledging a message failed; it will be redelivered and answered "
              "from the task journal: " +
                  status_text(s),
              {{"event", info.id}, {"sequence", sequence}});
        }
        return;
      }
      case Action::kNak: {
        if (config.max_deliver > 0 && info.delivered >= static_cast<uint64_t>(config.max_deliver) &&
            !stopping) {
          log_error("giving up on an event: it was delivered maxDeliver (" +
                        std::to_string(config.max_deliver) +
                        ") times without success; the server will not deliver it again",
                    {{"event", info.id}, {"type", info.type}, {"sequence", sequence}});
        }
        // Stopping: at once, for another host. Otherwise after the configured backoff.
        const auto delay =
            stopping ? std::chrono::milliseconds(0) : nak_delay(config, info.delivered);
        const natsStatus s = delay.count() > 0 ? natsMsg_NakWithDelay(msg, delay.count(), nullptr)
                                               : natsMsg_Nak(msg, nullptr);
        if (s != NATS_OK) {
          log_warning(
              "giving a message back failed; the server redelivers it after its "
              "acknowledgement wait: " +
                  status_text(s),
              {{"event", info.id}, {"sequence", sequence}});
        }
        return;
      }
      case Action::kTerm:
        log_warning("terminated an event the host refused: " + item.reason,
                    {{"event", info.id}, {"type", info.type}, {"sequence", sequence}});
        natsMsg_Term(msg, nullptr);
        return;
    }
  }

  // --- progress thread ---

  void progress_loop() {
    const auto interval = progress_interval(config);
    std::unique_lock<std::mutex> lock(mutex);
    while (!threads_stop) {
      timer_cv.wait_for(lock, interval, [this] { return threads_stop.load(); });
      if (threads_stop) return;
      const auto now = Clock::now();
      bool freed = false;
      for (auto it = in_flight.begin(); it != in_flight.end();) {
        Message& message = it->second;
        if (message.ack_sent && now - *message.ack_sent > config.publish_timeout) {
          // The ack or its confirmation was lost (a reconnect): if the ack did not count, the
          // server delivers the event again and the task journal answers it.
          log_warning(
              "the server did not confirm an acknowledgement; the event may be "
              "redelivered and answered from the task journal",
              {{"event", message.id}, {"sequence", std::to_string(message.sequence)}});
          natsMsg_Destroy(message.msg);
          it = in_flight.erase(it);
          freed = true;
          continue;
        }
        ++it;
      }
      if (freed) room.notify_all();
      for (auto& [key, message] : in_flight) {
        if (message.settling || now - message.last_progress < interval) continue;
        // An asynchronous publish of "+WPI": quick, and the message stays valid while the
        // lock is held (the ackers destroy messages only after taking it).
        natsMsg_InProgress(message.msg, nullptr);
        message.last_progress = now;
      }
    }
  }

  void stop_threads() {
    threads_stop = true;
    settle_cv.notify_all();
    timer_cv.notify_all();
    for (auto& acker : ackers) {
      if (acker.joinable()) acker.join();
    }
    if (progress.joinable()) progress.join();
  }
};

JetStreamIntake::JetStreamIntake(NatsConnection& connection, NatsConfig config, std::string durable,
                                 SubmitFn submit)
    : core_(std::make_shared<Core>(connection, std::move(config), std::move(durable),
                                   std::move(submit))) {}

JetStreamIntake::~JetStreamIntake() {
  stop_intake();
  drain(std::chrono::milliseconds(0));
}

Status JetStreamIntake::start() {
  Core& core = *core_;
  if (auto made = ensure_consumer(core.connection.jetstream(), core.config, core.durable); !made) {
    return made.error();
  }
  auto subscription =
      bind_pull_subscription(core.connection.jetstream(), core.config.stream, core.durable);
  if (!subscription) return subscription.error();
  core.subscription = *subscription;
  if (auto subscribed = core.subscribe_confirmations(); !subscribed) return subscribed.error();
  core.bound = true;
  for (size_t i = 0; i < kAckerThreads; ++i)
    core.ackers.emplace_back([&core] { core.acker_loop(); });
  core.progress = std::thread([&core] { core.progress_loop(); });
  core.fetcher = std::thread([&core] { core.fetch_loop(); });
  log_info("taking tasks from the durable JetStream consumer",
           {{"stream", core.config.stream},
            {"consumer", core.durable},
            {"filterSubject", core.config.filter_subject}});
  return ok_status();
}

bool JetStreamIntake::ready() const {
  return core_->bound && !core_->stopping && core_->connection.connected();
}

void JetStreamIntake::stop_intake() {
  Core& core = *core_;
  if (core.stopping.exchange(true)) return;
  core.room.notify_all();
  core.connection.interrupt();
  {
    // Ends a pull that is waiting for messages.
    std::lock_guard<std::mutex> lock(core.mutex);
    if (core.subscription != nullptr) natsSubscription_Unsubscribe(core.subscription);
  }
  if (core.fetcher.joinable()) core.fetcher.join();
  core.bound = false;
}

void JetStreamIntake::drain(std::chrono::milliseconds deadline) {
  Core& core = *core_;
  if (core.threads_stop && core.subscription == nullptr) return;
  {
    std::unique_lock<std::mutex> lock(core.mutex);
    core.room.wait_for(lock, deadline, [&] { return core.in_flight.empty(); });
  }
  core.stop_threads();
  if (core.confirmations != nullptr) {
    natsSubscription_Unsubscribe(core.confirmations);
    natsSubscription_Destroy(core.confirmations);
    core.confirmations = nullptr;
  }
  std::vector<Core::Message> left;
  {
    std::lock_guard<std::mutex> lock(core.mutex);
    for (auto& [key, message] : core.in_flight) {
      if (message.ack_sent) {
        natsMsg_Destroy(message.msg);  // acked; only its confirmation is missing
      } else {
        left.push_back(message);
      }
    }
    core.in_flight.clear();
    core.settle_queue.clear();
    core.counters.nacked += left.size();
  }
  for (auto& message : left) {
    natsMsg_Nak(message.msg, nullptr);
    natsMsg_Destroy(message.msg);
  }
  if (!left.empty()) {
    log_warning("gave " + std::to_string(left.size()) +
                    " unfinished messages back to the server for redelivery",
                {{"consumer", core.durable}});
  }
  std::lock_guard<std::mutex> lock(core.mutex);
  for (auto* old : core.retired) natsSubscription_Destroy(old);
  core.retired.clear();
  if (core.subscription != nullptr) natsSubscription_Destroy(core.subscription);
  core.subscription = nullptr;
}

size_t JetStreamIntake::in_flight() const {
  std::lock_guard<std::mutex> lock(core_->mutex);
  return core_->in_flight.size();
}

IntakeCounters JetStreamIntake::counters() const {
  std::lock_guard<std::mutex> lock(core_->mutex);
  return core_->counters;
}

}  // namespace kph::host::nats
