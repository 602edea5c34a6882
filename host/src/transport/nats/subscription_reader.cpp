#include "transport/nats/subscription_reader.hpp"

#include "common/logger.hpp"
#include "transport/nats/nats_error.hpp"

namespace kph::host::nats {

SubscriptionReader::SubscriptionReader(NatsConnection& connection, std::string subject,
                                       std::string queue_group, Handler handler)
    : connection_(connection),
      subject_(std::move(subject)),
      queue_group_(std::move(queue_group)),
      handler_(std::move(handler)) {}

SubscriptionReader::~SubscriptionReader() { stop(); }

Status SubscriptionReader::start() {
  natsStatus s =
      queue_group_.empty()
          ? natsConnection_SubscribeSync(&subscription_, connection_.get(), subject_.c_str())
          : natsConnection_QueueSubscribeSync(&subscription_, connection_.get(), subject_.c_str(),
                                              queue_group_.c_str());
  if (s != NATS_OK) {
    return nats_error("cannot subscribe to " + subject_ +
                          (queue_group_.empty() ? "" : " in queue group " + queue_group_),
                      s);
  }
  // A burst waits here rather than being dropped as a slow consumer.
  (void)natsSubscription_SetPendingLimits(subscription_, 1 << 20, 512 << 20);
  running_ = true;
  thread_ = std::thread([this] { read_loop(); });
  return ok_status();
}

void SubscriptionReader::stop() {
  if (stopping_.exchange(true)) return;
  // Wakes the thread out of NextMsg.
  if (subscription_ != nullptr) natsSubscription_Unsubscribe(subscription_);
  if (thread_.joinable()) thread_.join();
  if (subscription_ != nullptr) natsSubscription_Destroy(subscription_);
  subscription_ = nullptr;
  running_ = false;
}

void SubscriptionReader::read_loop() {
  while (!stopping_) {
    natsMsg* msg = nullptr;
    const natsStatus s = natsSubscription_NextMsg(&msg, subscription_, 60000);
    if (s == NATS_OK) {
      const char* subject = natsMsg_GetSubject(msg);
      const int length = natsMsg_GetDataLength(msg);
      handler_(subject != nullptr ? subject : "",
               std::string_view(natsMsg_GetData(msg), length > 0 ? length : 0));
      natsMsg_Destroy(msg);
      continue;
    }
    if (stopping_) break;
    if (s == NATS_TIMEOUT) continue;
    if (s == NATS_SLOW_CONSUMER) {
      log_warning("messages were dropped on " + subject_ + ": the host fell behind",
                  {{"subject", subject_}});
      continue;
    }
    log_error("reading " + subject_ + " stopped: " + status_text(s), {{"subject", subject_}});
    break;
  }
  running_ = false;
}

}  // namespace kph::host::nats
