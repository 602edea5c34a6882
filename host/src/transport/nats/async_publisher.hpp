// Publishes to JetStream without a thread waiting for the stream's acknowledgement. A task's
// journal write and its .finished are sent from here, so that no plugin worker sleeps through
// those round trips and the acknowledgements of many tasks arrive in one read: on a busy host
// that is most of the CPU a task costs.
//
//   ack thread        cnats' delivery thread for the acknowledgements of this publisher's
//                     JetStream context: calls each publish's `done` with the stream's answer,
//                     or with NATS_TIMEOUT once maxWait passed without one.
//   slow-path thread  runs defer()red work in order: a publish that failed is retried there the
//                     blocking way (waiting for a reconnect), never on the ack thread.
//
// The work in flight is bounded by the tasks in flight (two publishes per finishing task at
// most), which the intake bounds with maxAckPending, so neither list needs a limit of its own.
#pragma once

#include <nats/nats.h>

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>

#include "common/result.hpp"
#include "transport/nats/nats_connection.hpp"

namespace kph::host::nats {

// The stream's answer to one publish.
struct AsyncAck {
  natsStatus status = NATS_OK;  // NATS_TIMEOUT when none came within maxWait
  uint64_t sequence = 0;        // the stored message's stream sequence (a KV revision)
};

class AsyncPublisher {
 public:
  using DoneFn = std::function<void(const AsyncAck&)>;

  // A JetStream context of its own on `connection`, whose acknowledgements come to this
  // publisher. The connection must outlive it.
  static Result<std::unique_ptr<AsyncPublisher>> open(NatsConnection& connection);
  // Runs what was deferred, then frees the context. Every publish must have had its done.
  ~AsyncPublisher();
  AsyncPublisher(const AsyncPublisher&) = delete;
  AsyncPublisher& operator=(const AsyncPublisher&) = delete;

  // Sends `message` (taken over and destroyed here) with `options` (headers, MaxWait). `done`
  // is called exactly once: on the ack thread with the stream's answer or a timeout, or on the
  // calling thread when the message could not be handed to the connection. On the ack thread
  // it must return promptly: it may publish again, but not wait on the server (defer that).
  // Thread: any, thread-safe.
  void publish(natsMsg* message, const jsPubOptions& options, DoneFn done);
  // Runs `work` on the slow-path thread, after what was deferred before it. Thread: any.
  void defer(std::function<void()> work);

 private:
  AsyncPublisher() = default;
  static void on_ack(jsCtx* js, natsMsg* message, jsPubAck* ack, jsPubAckErr* error, void* closure);
  void slow_path_loop();

  jsCtx* jetstream_ = nullptr;

  std::mutex pending_mutex_;
  std::unordered_map<natsMsg*, DoneFn> pending_;  // sent, not yet answered

  std::mutex deferred_mutex_;
  std::condition_variable deferred_cv_;  // deferred_ grew, or stopping_
  std::deque<std::function<void()>> deferred_;
  bool stopping_ = false;
  std::thread slow_path_;
};

}  // namespace kph::host::nats
