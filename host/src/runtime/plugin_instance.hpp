// One plugin instance: the library's state created with its config, its bounded queue of
// jobs and its worker threads.
#pragma once

#include <kph/plugin_api.h>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "config/host_config.hpp"
#include "loader/plugin_library.hpp"
#include "runtime/bounded_queue.hpp"

namespace kph::host {
class Engine;
class PluginInstance;
}  // namespace kph::host

// The owner handle the plugin passes back on every host call. It lives as long as the engine,
// so a call after destroy finds alive == false instead of freed memory.
struct kph_host_handle {
  kph::host::Engine* engine = nullptr;
  kph::host::PluginInstance* instance = nullptr;
  std::atomic<bool> alive{false};
};

namespace kph::host {

// Work for an instance's workers.
struct Job {
  // kLookUpReply: look for the reply to child event reply_child in the event store (it may
  // have arrived while this host could not hear it); deliver it when found, else deliver
  // reply_rc when that is KPH_TIMEOUT (the reply's deadline passed), else nothing.
  // kHandle: call handle_task for a task whose .started went out asynchronously.
  // kTakeOver: act on the journal entry an asynchronous claim found (Task::known_entry).
  enum class Kind { kRun, kReply, kLookUpReply, kHandle, kTakeOver };
  Kind kind = Kind::kRun;
  kph_task_id task = KPH_NO_TASK;
  // The job holds one of the instance's slots (see PluginInstance::start_workers), released
  // when it has run unless the engine handed it on to the task's start.
  bool holds_slot = false;
  kph_result reply_rc = KPH_OK;  // kReply: KPH_OK, KPH_TIMEOUT or KPH_CANCELLED
  std::string reply_event;       // kReply with KPH_OK: the .finished, serialised
  std::string reply_child;       // kLookUpReply: the child event's id
};

class PluginInstance {
 public:
  PluginInstance(Engine& engine, PluginConfig config, std::shared_ptr<const PluginLibrary> library);
  ~PluginInstance();

  // Calls kph_plugin_create. The error quotes the plugin's last-error text.
  Status create();
  // Starts the workers. A worker takes a queued job only with a free slot: twice as many as
  // workers. A task's start (journal claim and .started, asynchronous under serve) keeps its
  // job's slot until its next job, urgent, has run handle_task, so at most that many of the
  // instance's tasks are between claimed and done running: enough for the next tasks' starts
  // to be on their way while the workers run, few enough that a crash, which fails every task
  // claimed and not finished, costs little, and that a task that sent .started waits for a
  // worker no longer than about one task's run.
  void start_workers(const std::function<void(PluginInstance&, Job&)>& run);
  // Blocks while the queue is full. False once the instance is stopping.
  bool enqueue(Job job) { return queue_.push(std::move(job)); }
  // Never blocks: the next step of a task already begun (see BoundedQueue::push_urgent). False
  // once the instance is stopping.
  bool enqueue_next_step(Job job) { return queue_.push_urgent(std::move(job)); }
  // Gives back a slot a task's start held (see Job::holds_slot) when the start ends without a
  // next job. Thread: any.
  void release_slot();
  // Closes the queue and waits up to grace for the workers; returns false when some worker is
  // still inside the plugin (it is then left running and the instance is not destroyed).
  bool stop_workers(std::chrono::milliseconds grace);
  // Calls kph_plugin_destroy, after which host calls with this owner are refused.
  void destroy();

  const std::string& name() const { return config_.name; }
  const PluginConfig& config() const { return config_; }
  const PluginLibrary& library() const { return *library_; }
  const PluginHooks& hooks() const { return library_->hooks(); }
  kph_plugin_state* state() const { return state_; }
  kph_host_handle* handle() { return &handle_; }
  size_t queue_depth() const { return queue_.size(); }
  // The plugin's last-error text on this thread, or fallback when it gives none.
  std::string last_error(const std::string& fallback) const;

 private:
  PluginConfig config_;
  std::shared_ptr<const PluginLibrary> library_;
  kph_plugin_state* state_ = nullptr;
  kph_host_handle handle_;
  BoundedQueue<Job> queue_;
  std::vector<std::thread> workers_;
  std::mutex workers_mutex_;
  std::condition_variable workers_done_;
  size_t workers_running_ = 0;

  bool try_take_slot();

  std::mutex slots_mutex_;
  size_t slots_used_ = 0;
  size_t slot_limit_ = 1;
};

}  // namespace kph::host
