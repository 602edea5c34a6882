// The engine: routes intake events to plugin instances, runs their tasks on each instance's
// workers, enforces the task contract (one .started before the plugin runs, exactly one
// .finished, timeouts, retries, cancellation), correlates replies to child events, and serves
// the plugins' host calls. Transports feed it with submit() and receive what it emits through
// an EventSink.
#pragma once

#include <kph/host/event_sink.hpp>
#include <kph/host/event_store.hpp>
#include <kph/host/resource_provider.hpp>
#include <kph/host/task_journal.hpp>
#include <kph/host/task_observer.hpp>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "config/host_config.hpp"
#include "runtime/plugin_instance.hpp"
#include "runtime/router.hpp"
#include "runtime/scheduler.hpp"
#include "runtime/task.hpp"

namespace kph::host {

struct EngineOptions {
  // How many recent event ids intake remembers to drop redeliveries of the same event.
  size_t dedup_capacity = 100000;
  // Whether an emitted event is also offered to the loaded plugins (local mode).
  bool deliver_in_process = true;
};

// Per instance, read at scrape time.
struct InstanceStats {
  std::string plugin;
  size_t in_flight = 0;
  size_t queue_depth = 0;
};

// A task another party closes (KPH_LEFT_OPEN), kept so an operator can see it.
struct OpenTask {
  std::string plugin;
  nlohmann::json triggered;
};

class Engine {
 public:
  Engine(EventSink& sink, EventStore& store, ResourceProvider* resources,
         EngineOptions options = {});
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Loads nothing itself: validates the instance config against the library's schema and
  // creates the instance. The instance name defaults to the plugin's name. Control thread.
  Status add_plugin(PluginConfig config, std::shared_ptr<const PluginLibrary> library);
  // Routes from config; an instance without a route takes its plugin's subscriptions.
  // Control thread, before start().
  Status set_routes(const std::vector<RouteConfig>& routes);
  // Starts every instance's workers. Control thread.
  void start();

  // Takes one event from a transport: records it, drops a duplicate id, hands a reply to the
  // task awaiting it, and queues a task per routed instance (blocking while a queue is full).
  // The error says why an event was refused; while shutting down every event is refused, but
  // a reply is still handed to its task. Thread: any thread.
  // on_settled is called exactly once for an accepted event (never for a refused one), on any
  // thread, once every task it started is done.
  Status submit(nlohmann::json event, SettledFn on_settled = {});

  // Replies (a child event's .finished) normally arrive through submit. One that arrived while
  // this host could not hear it (disconnected, stalled) is still in the event store: this
  // looks up every awaited reply there and delivers those found. The transport calls it after
  // a reconnect; a reply's timeout does the same lookup before it gives up. Thread: any; the
  // lookups run on the engine's timer thread.
  void recover_replies();

  // With a journal, .started/.finished go out at most once per task across redeliveries and
  // restarts (see task_journal.hpp). Control thread, before start().
  void set_journal(TaskJournal* journal) { journal_ = journal; }
  void set_observer(TaskObserver* observer) { observer_ = observer; }
  std::vector<InstanceStats> stats() const;

  // Blocks until no task is queued, running or pending (left-open tasks do not count).
  void wait_idle();
  // The tasks left open for another party and not yet closed by a .finished seen here.
  std::vector<OpenTask> open_tasks() const;
  // Stops: waits up to grace for running tasks and cancels the rest in the plugins. Without a
  // journal the rest are finished as errored; with one they are settled kRetryLater (nak), so
  // that the next host finds them in the journal. Then stops the workers and destroys the
  // instances. Control thread.
  void shutdown(std::chrono::milliseconds grace = std::chrono::seconds(5));

  const std::vector<std::unique_ptr<PluginInstance>>& instances() const { return instances_; }

  // --- host calls, reached through the kph_host_api vtable (any thread) ---
  void host_log(PluginInstance& instance, kph_task_id task, kph_log_level level,
                const char* message);
  kph_result host_status_changed(PluginInstance& instance, kph_task_id task, std::string_view data);
  kph_result host_finish(PluginInstance& instance, kph_task_id task, std::string_view data);
  kph_result host_emit(PluginInstance& instance, kph_task_id task, const char* type,
                       std::string_view data, uint32_t reply_timeout_ms, char* id_out,
                       size_t id_out_size);
  kph_result host_get_resource(PluginInstance& instance, kph_task_id task, const char* uri,
                               kph_resource_scope scope, kph_sink_fn sink, void* sink_ctx);
  kph_result host_query_events(PluginInstance& instance, kph_task_id task, std::string_view query,
                               kph_sink_fn sink, void* sink_ctx);
  bool host_is_cancelled(PluginInstance& instance, kph_task_id task);

 private:
  // A child event awaiting its .finished.
  struct AwaitedReply {
    kph_task_id task = KPH_NO_TASK;
    Scheduler::TimerId timer = 0;
    std::string reply_type;  // the child's .finished type
  };
  // For a kLookUpReply job: true when it is to be delivered (as the stored reply, or as its
  // timeout), false when there is nothing to deliver (not stored yet, or already delivered).
  bool look_up_reply(Job& job);
  // The awaited reply to child event `child_id`, when the event store holds it.
  std::optional<nlohmann::json> stored_reply(const std::string& child_id,
                                             const std::string& reply_type);

  void run_job(PluginInstance& instance, Job& job);
  void run_task(PluginInstance& instance, Task& task, Job& job);
  // A task's first steps: accept_task, the journal, .started. False when the task ends there
  // (declined, known to the journal as done, given back, settled by accept_task's answer) or
  // goes on without this worker (start_async).
  bool begin_task(PluginInstance& instance, Task& task, Job& job);
  void call_handle_task(PluginInstance& instance, Task& task);
  enum class JournalTake {
    kNew,     // the journal did not know the task (and holds its .started now when claimed)
    kResume,  // a previous host started it: resume it or finish it errored
    kDone,    // nothing more to do here: already finished, left open, or given back
  };
  // Claims the task's journal entry (claim) or only looks it up, and acts on a known one:
  // its .started or .finished copy is sent again unless the stream holds it.
  JournalTake take_from_journal(Task& task, const nlohmann::json& started, bool claim);
  JournalTake act_on_journal(Task& task, Result<std::optional<JournalEntry>> known);
  // After a lookup: true when handle_task is to be called now (a new task, or one a resumable
  // plugin resumes); a task that cannot be resumed is finished errored here.
  bool continue_known(PluginInstance& instance, Task& task, JournalTake take);
  // A new task's claim and .started, sent without the worker waiting; the task's next job is
  // kHandle (or kTakeOver when the journal knew it), or it is given back. True when it is on
  // its way (and holds the worker's slot, see PluginInstance::start_workers).
  bool start_async(PluginInstance& instance, Task& task);
  // The plugin's accept_task answer (KPH_OK when it has no such hook), with its flags.
  kph_result accept(PluginInstance& instance, Task& task, uint32_t& flags);
  void claimed(std::shared_ptr<Task> task, nlohmann::json started,
               Result<std::optional<JournalEntry>> known);
  void end_start(Task& task, std::optional<Job::Kind> next);
  void run_reply(PluginInstance& instance, Task& task, Job& job);
  // Acts on what a hook returned.
  void settle(Task& task, kph_result rc, const char* hook);
  // Sends the task's one .finished: writes it to the journal, then publishes it, and settles
  // the task's deliveries, without waiting (the last steps run on the transport's threads).
  // False when the task was already finished.
  bool finish(Task& task, nlohmann::json data);
  // The steps of finish() once the journal write is answered, once .finished can go out, and
  // once it went out (or not: ok false gives the message back).
  void finished_written(std::shared_ptr<Task> task, nlohmann::json event, Status written);
  void send_finished(std::shared_ptr<Task> task, nlohmann::json event, bool ok);
  void end_finish(Task& task, bool ok);
  void leave_open(Task& task);
  // The task's journal entry once it is finished or left open; nullopt while started, unknown
  // or unreadable.
  std::optional<JournalEntry> final_journal_entry(Task& task);
  void on_task_timeout(kph_task_id id);
  void deliver_reply(const nlohmann::json& finished);
  // Records, publishes and (in local mode) delivers an event the host emits.
  Status emit(const nlohmann::json& event);
  // The same without waiting for the transport: `done` as in EventSink::publish_async.
  void emit_async(const nlohmann::json& event, std::function<void(Status)> done);
  void record(const nlohmann::json& event);
  void after_publish(const nlohmann::json& event, const Status& published);
  void route(const nlohmann::json& event, const std::shared_ptr<Delivery>& delivery);
  // Creates and queues a task; false when the instance no longer takes work.
  void start_task(PluginInstance& instance, const nlohmann::json& event,
                  const std::shared_ptr<Delivery>& delivery);
  // Marks one part of a delivery done; the last part settles it.
  static void part_done(const std::shared_ptr<Delivery>& delivery, bool ok);
  // True when the event store already holds this very event (same id).
  bool already_stored(const nlohmann::json& event);
  // Events of `type` answering `triggered_id` in the event store, newest first; none when the
  // store cannot be read.
  std::vector<nlohmann::json> stored_answers(const std::string& type,
                                             const std::string& triggered_id, uint32_t limit);
  // Starts the task's timeout.
  void arm_timeout(Task& task);
  // Forgets a task that sent no .finished and settles its deliveries: ok when the message is
  // done with (declined), false when it must come back (not run, nothing recorded or sent).
  void drop_task(Task& task, bool ok);
  // The task is over (finished, left open, declined, abandoned): settles its deliveries.
  void complete(Task& task, bool ok);
  bool seen_before(const std::string& id);
  // Finds a live task of this instance, or null (and sets the host last error).
  std::shared_ptr<Task> find_task(PluginInstance& instance, kph_task_id id);
  void task_done();

  EventSink& sink_;
  EventStore& store_;
  ResourceProvider* resources_;
  TaskJournal* journal_ = nullptr;
  TaskObserver* observer_ = nullptr;
  const EngineOptions options_;
  Scheduler scheduler_;
  std::vector<std::unique_ptr<PluginInstance>> instances_;
  std::map<std::string, PluginInstance*> by_name_;
  std::unique_ptr<Router> router_;
  std::atomic<bool> stopping_{false};
  std::atomic<kph_task_id> next_task_id_{1};

  mutable std::mutex tasks_mutex_;
  std::condition_variable idle_;
  std::unordered_map<kph_task_id, std::shared_ptr<Task>> tasks_;
  size_t active_tasks_ = 0;
  size_t starting_ = 0;   // tasks in start_async() to end_start()
  size_t finishing_ = 0;  // tasks whose .finished is on its way (finish() to end_finish())
  std::unordered_map<std::string, AwaitedReply> awaited_replies_;
  std::map<std::string, OpenTask> open_tasks_;                   // by triggeredid
  std::unordered_map<std::string, kph_task_id> running_by_key_;  // journal key -> live task

  std::mutex dedup_mutex_;
  std::unordered_set<std::string> seen_ids_;
  std::deque<std::string> seen_order_;
};

}  // namespace kph::host
