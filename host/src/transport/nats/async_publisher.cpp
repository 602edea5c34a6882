#include "transport/nats/async_publisher.hpp"

#include "common/logger.hpp"
#include "transport/nats/nats_error.hpp"

namespace kph::host::nats {

Result<std::unique_ptr<AsyncPublisher>> AsyncPublisher::open(NatsConnection& connection) {
  std::unique_ptr<AsyncPublisher> publisher(new AsyncPublisher());
  jsOptions options;
  jsOptions_Init(&options);
  // No limit of cnats' own (0): a full list would make publish() wait, and the tasks in flight
  // already bound it.
  options.PublishAsync.MaxPending = 0;
  options.PublishAsync.AckHandler = &AsyncPublisher::on_ack;
  options.PublishAsync.AckHandlerClosure = publisher.get();
  if (natsStatus s = natsConnection_JetStream(&publisher->jetstream_, connection.get(), &options);
      s != NATS_OK) {
    return nats_error("cannot open a JetStream context for asynchronous publishing", s);
  }
  publisher->slow_path_ = std::thread([raw = publisher.get()] { raw->slow_path_loop(); });
  return publisher;
}

AsyncPublisher::~AsyncPublisher() {
  {
    std::lock_guard<std::mutex> lock(deferred_mutex_);
    stopping_ = true;
  }
  deferred_cv_.notify_all();
  if (slow_path_.joinable()) slow_path_.join();
  size_t unanswered = 0;
  {
    std::lock_guard<std::mutex> lock(pending_mutex_);
    unanswered = pending_.size();
  }
  if (unanswered > 0) {
    log_error("asynchronous publishes were still unanswered when the host stopped",
              {{"count", std::to_string(unanswered)}});
  }
  jsCtx_Destroy(jetstream_);
}

void AsyncPublisher::publish(natsMsg* message, const jsPubOptions& options, DoneFn done) {
  {
    // Registered first: the answer may arrive before js_PublishMsgAsync returns.
    std::lock_guard<std::mutex> lock(pending_mutex_);
    pending_[message] = std::move(done);
  }
  natsMsg* handed = message;
  jsPubOptions copy = options;
  const natsStatus s = js_PublishMsgAsync(jetstream_, &handed, &copy);
  if (s == NATS_OK) return;
  // Not taken by cnats (handed is still set): no answer will come for it.
  DoneFn failed;
  {
    std::lock_guard<std::mutex> lock(pending_mutex_);
    auto it = pending_.find(message);
    failed = std::move(it->second);
    pending_.erase(it);
  }
  AsyncAck ack;
  ack.status = s;
  natsMsg_Destroy(handed);
  failed(ack);
}

void AsyncPublisher::defer(std::function<void()> work) {
  {
    std::lock_guard<std::mutex> lock(deferred_mutex_);
    deferred_.push_back(std::move(work));
  }
  deferred_cv_.notify_one();
}

void AsyncPublisher::on_ack(jsCtx*, natsMsg* message, jsPubAck* ack, jsPubAckErr* error,
                            void* closure) {
  auto* self = static_cast<AsyncPublisher*>(closure);
  DoneFn done;
  {
    std::lock_guard<std::mutex> lock(self->pending_mutex_);
    auto it = self->pending_.find(message);
    if (it != self->pending_.end()) {
      done = std::move(it->second);
      self->pending_.erase(it);
    }
  }
  natsMsg_Destroy(message);
  if (!done) return;
  AsyncAck out;
  if (ack != nullptr) {
    out.sequence = ack->Sequence;
  } else {
    out.status = error != nullptr ? error->Err : NATS_ERR;
  }
  done(out);
}

void AsyncPublisher::slow_path_loop() {
  while (true) {
    std::function<void()> work;
    {
      std::unique_lock<std::mutex> lock(deferred_mutex_);
      deferred_cv_.wait(lock, [&] { return stopping_ || !deferred_.empty(); });
      if (deferred_.empty()) return;
      work = std::move(deferred_.front());
      deferred_.pop_front();
    }
    work();
  }
}

}  // namespace kph::host::nats
