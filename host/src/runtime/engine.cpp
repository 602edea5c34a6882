#include "runtime/engine.hpp"

#include <algorithm>
#include <cstring>

#include "common/cloud_event.hpp"
#include "common/event_type.hpp"
#include "common/logger.hpp"
#include "runtime/event_factory.hpp"
#include "runtime/host_call_error.hpp"

namespace kph::host {
namespace {

std::string millis_text(std::chrono::milliseconds duration) {
  return std::to_string(duration.count()) + "ms";
}

// Retry backoff: 100 ms, doubling, at most 30 s.
std::chrono::milliseconds retry_delay(uint32_t attempt) {
  const uint32_t shift = std::min<uint32_t>(attempt, 9);
  return std::min(std::chrono::milliseconds(100) * (1u << shift), std::chrono::milliseconds(30000));
}

const char* result_name(kph_result rc) {
  switch (rc) {
    case KPH_OK:
      return "KPH_OK";
    case KPH_ERROR:
      return "KPH_ERROR";
    case KPH_RETRY:
      return "KPH_RETRY";
    case KPH_TIMEOUT:
      return "KPH_TIMEOUT";
    case KPH_NOT_SUPPORTED:
      return "KPH_NOT_SUPPORTED";
    case KPH_NOT_FOUND:
      return "KPH_NOT_FOUND";
    case KPH_CANCELLED:
      return "KPH_CANCELLED";
    case KPH_PENDING:
      return "KPH_PENDING";
    case KPH_LEFT_OPEN:
      return "KPH_LEFT_OPEN";
  }
  return "an unknown result code";
}

}  // namespace

Engine::Engine(EventSink& sink, EventStore& store, ResourceProvider* resources,
               EngineOptions options)
    : sink_(sink), store_(store), resources_(resources), options_(options) {}

Engine::~Engine() { shutdown(std::chrono::milliseconds(0)); }

Status Engine::add_plugin(PluginConfig config, std::shared_ptr<const PluginLibrary> library) {
  if (config.name.empty()) config.name = library->metadata().name;
  if (by_name_.count(config.name) > 0) {
    return Error{"plugin instance \"" + config.name + "\" is loaded twice (" +
                 library->file().string() + "); give each instance its own name"};
  }
  const std::string where =
      (config.config_location.file.empty() ? std::string("plugin ") + config.name
                                           : config.config_location.to_string()) +
      ": plugins[" + config.name + "].config";
  if (auto valid = library->validate_config(config.config, where); !valid) {
    return valid.error();
  }
  auto instance = std::make_unique<PluginInstance>(*this, std::move(config), std::move(library));
  if (auto created = instance->create(); !created) return created.error();
  by_name_[instance->name()] = instance.get();
  instances_.push_back(std::move(instance));
  return ok_status();
}

Status Engine::set_routes(const std::vector<RouteConfig>& routes) {
  std::vector<Route> table;
  std::unordered_set<std::string> routed;
  for (const auto& config : routes) {
    if (by_name_.count(config.plugin) == 0) {
      return Error{config.location.to_string() + ": route for " + config.event +
                   " names plugin \"" + config.plugin +
                   "\", which is not loaded; load it under plugins: or fix the name"};
    }
    table.push_back({config.event, config.plugin, config.projects, config.stages, config.services});
    routed.insert(config.plugin);
  }
  for (const auto& instance : instances_) {
    if (routed.count(instance->name()) > 0) continue;
    for (const auto& pattern : instance->library().metadata().subscriptions) {
      table.push_back({pattern, instance->name(), {}, {}, {}});
    }
  }
  router_ = std::make_unique<Router>(std::move(table));
  return ok_status();
}

void Engine::start() {
  if (!router_) (void)set_routes({});
  for (auto& instance : instances_) {
    instance->start_workers([this](PluginInstance& owner, Job& job) { run_job(owner, job); });
  }
}

bool Engine::seen_before(const std::string& id) {
  std::lock_guard<std::mutex> lock(dedup_mutex_);
  if (!seen_ids_.insert(id).second) return true;
  seen_order_.push_back(id);
  if (seen_order_.size() > options_.dedup_capacity) {
    seen_ids_.erase(seen_order_.front());
    seen_order_.pop_front();
  }
  return false;
}

Status Engine::submit(nlohmann::json event, SettledFn on_settled) {
  if (stopping_) {
    // Draining: no new task starts, but a reply still reaches the task that waits for it.
    deliver_reply(event);
    return Error{"keptn-host is shutting down; the event was not taken"};
  }
  const std::string id = event_string(event, "id");
  const bool duplicate = seen_before(id);
  // Without a journal the id cache is the only guard against running a task twice. With one,
  // a redelivery must go through the journal, which knows what was already sent.
  if (duplicate && journal_ == nullptr) {
    if (on_settled) on_settled(Settlement::kDone);
    return Error{"event " + id + " was already received; the duplicate is ignored"};
  }
  if (!duplicate) {
    if (auto recorded = store_.record(event); !recorded) {
      log_warning(recorded.error().message, {{"event", id}});
    }
  }
  deliver_reply(event);
  auto delivery = std::make_shared<Delivery>();
  if (on_settled) delivery->callbacks.push_back(std::move(on_settled));
  route(event, delivery);
  part_done(delivery, true);  // the routing's own part
  return ok_status();
}

void Engine::part_done(const std::shared_ptr<Delivery>& delivery, bool ok) {
  std::vector<SettledFn> callbacks;
  bool retry = false;
  {
    std::lock_guard<std::mutex> lock(delivery->mutex);
    if (!ok) delivery->retry = true;
    if (delivery->remaining == 0 || --delivery->remaining > 0) return;
    callbacks.swap(delivery->callbacks);
    retry = delivery->retry;
  }
  for (auto& callback : callbacks) callback(retry ? Settlement::kRetryLater : Settlement::kDone);
}

void Engine::drop_task(Task& task, bool ok) {
  {
    std::lock_guard<std::mutex> lock(tasks_mutex_);
    if (tasks_.erase(task.id) == 0) return;  // settled meanwhile (shutdown)
    task_done();
  }
  complete(task, ok);
}

void Engine::complete(Task& task, bool ok) {
  std::vector<std::shared_ptr<Delivery>> deliveries;
  {
    std::lock_guard<std::mutex> lock(tasks_mutex_);
    deliveries.swap(task.deliveries);
    if (!task.journal_key.empty()) {
      auto it = running_by_key_.find(task.journal_key);
      if (it != running_by_key_.end() && it->second == task.id) running_by_key_.erase(it);
    }
  }
  for (const auto& delivery : deliveries) part_done(delivery, ok);
}

void Engine::route(const nlohmann::json& event, const std::shared_ptr<Delivery>& delivery) {
  const auto type = parse_event_type(event_string(event, "type"));
  if (!type) return;
  if (type->kind == "finished") {
    // A .finished seen for a task left open closes it.
    std::lock_guard<std::mutex> lock(tasks_mutex_);
    open_tasks_.erase(event_string(event, "triggeredid"));
  }
  // Only .triggered events start tasks; every other kind is recorded only.
  if (type->kind != "triggered" || !router_) return;
  const std::string id = event_string(event, "id");
  for (const auto& name : router_->route(event)) {
    PluginInstance& instance = *by_name_.at(name);
    if (journal_ == nullptr) {
      start_task(instance, event, delivery);
      continue;
    }
    {
      std::lock_guard<std::mutex> lock(tasks_mutex_);
      const auto running = running_by_key_.find(journal_key(id, instance.name()));
      if (running != running_by_key_.end()) {
        // A redelivery of a task still running here settles together with the first delivery.
        if (auto task = tasks_.find(running->second); task != tasks_.end()) {
          std::lock_guard<std::mutex> parts(delivery->mutex);
          ++delivery->remaining;
          task->second->deliveries.push_back(delivery);
          continue;
        }
      }
    }
    // Whether the journal knows the task is found out by the worker, with its first write
    // (JournalTake), so that intake never waits on the journal.
    start_task(instance, event, delivery);
  }
}

Engine::JournalTake Engine::take_from_journal(Task& task, const nlohmann::json& started,
                                              bool claim) {
  return act_on_journal(
      task, claim ? journal_->claim(task.journal_key, {JournalEntry::State::kStarted, started, ""})
                  : journal_->get(task.journal_key));
}

Engine::JournalTake Engine::act_on_journal(Task& task, Result<std::optional<JournalEntry>> known) {
  if (!known) {
    log_error("task journal unreachable; the event will be retried: " + known.error().message,
              {{"plugin", task.instance.name()}, {"triggeredid", event_string(task.event, "id")}});
    drop_task(task, false);
    return JournalTake::kDone;
  }
  if (!known->has_value()) return JournalTake::kNew;
  if (observer_) observer_->task_redelivered(task.instance.name());
  const JournalEntry& entry = **known;
  if (entry.state == JournalEntry::State::kLeftOpen) {
    drop_task(task, true);
    return JournalTake::kDone;
  }
  // Sent before, perhaps not stored: the journal's copy again (same id, so the transport's
  // de-duplication drops it if it did arrive). For a task that had started, its .started goes
  // out before anything else does, so no .finished ever goes out without it.
  if (!already_stored(entry.event) && !sink_.publish(entry.event)) {
    drop_task(task, false);
    return JournalTake::kDone;
  }
  if (entry.state == JournalEntry::State::kFinished) {
    drop_task(task, true);
    return JournalTake::kDone;
  }
  return JournalTake::kResume;
}

bool Engine::continue_known(PluginInstance& instance, Task& task, JournalTake take) {
  switch (take) {
    case JournalTake::kDone:
      return false;
    case JournalTake::kResume:
      if (!instance.library().metadata().resumable) {
        finish(task, errored_finished_data("host restarted during task: plugin " + instance.name() +
                                           " is not resumable, so the task cannot be completed"));
        return false;
      }
      return true;
    case JournalTake::kNew:
      return true;
  }
  return false;
}

bool Engine::already_stored(const nlohmann::json& event) {
  // The transport's de-duplication only remembers a window (two minutes on Keptn's stream);
  // an event sent before that must not go out a second time, so ask the store first.
  const std::string id = event_string(event, "id");
  for (const auto& stored :
       stored_answers(event_string(event, "type"), event_string(event, "triggeredid"), 16)) {
    if (event_string(stored, "id") == id) return true;
  }
  return false;
}

std::vector<nlohmann::json> Engine::stored_answers(const std::string& type,
                                                   const std::string& triggered_id,
                                                   uint32_t limit) {
  EventQuery query;
  query.type = type;
  query.triggeredid = triggered_id;
  query.limit = limit;
  auto found = store_.query(query);
  if (!found) return {};
  return std::move(*found);
}

void Engine::start_task(PluginInstance& instance, const nlohmann::json& event,
                        const std::shared_ptr<Delivery>& delivery) {
  const kph_task_id id = next_task_id_++;
  auto task = std::make_shared<Task>(id, instance, event);
  {
    std::lock_guard<std::mutex> parts(delivery->mutex);
    ++delivery->remaining;
  }
  task->deliveries.push_back(delivery);
  {
    std::lock_guard<std::mutex> lock(tasks_mutex_);
    if (journal_ != nullptr) {
      task->journal_key = journal_key(event_string(event, "id"), instance.name());
      running_by_key_[task->journal_key] = id;
    }
    tasks_.emplace(id, task);
    ++active_tasks_;
  }
  if (observer_) observer_->task_received(instance.name());
  Job job;
  job.task = id;
  if (!instance.enqueue(std::move(job))) {
    // Not run, nothing sent: the transport brings it back to a host that takes work.
    drop_task(*task, false);
  }
}

void Engine::run_job(PluginInstance& instance, Job& job) {
  std::shared_ptr<Task> task;
  {
    std::lock_guard<std::mutex> lock(tasks_mutex_);
    auto it = tasks_.find(job.task);
    if (it == tasks_.end()) return;  // finished meanwhile (timeout, shutdown)
    task = it->second;
  }
  std::lock_guard<std::mutex> call(task->call_mutex);
  switch (job.kind) {
    case Job::Kind::kRun:
      run_task(instance, *task, job);
      return;
    case Job::Kind::kHandle:
      arm_timeout(*task);
      call_handle_task(instance, *task);
      return;
    case Job::Kind::kTakeOver: {
      auto known = std::move(*task->known_entry);
      task->known_entry.reset();
      if (continue_known(instance, *task, act_on_journal(*task, std::move(known)))) {
        arm_timeout(*task);
        call_handle_task(instance, *task);
      }
      return;
    }
    case Job::Kind::kReply:
    case Job::Kind::kLookUpReply:
      run_reply(instance, *task, job);
      return;
  }
}

void Engine::run_task(PluginInstance& instance, Task& task, Job& job) {
  bool first_attempt = false;
  {
    std::lock_guard<std::mutex> lock(tasks_mutex_);
    if (task.cancelled) return;
    first_attempt = task.attempts == 0 && task.timeout_timer == 0;
  }
  if (first_attempt && !begin_task(instance, task, job)) return;
  if (first_attempt) arm_timeout(task);
  call_handle_task(instance, task);
}

kph_result Engine::accept(PluginInstance& instance, Task& task, uint32_t& flags) {
  kph_result accepted = KPH_OK;
  if (const auto hook = instance.hooks().accept_task; hook != nullptr) {
    try {
      accepted =
          hook(instance.state(), task.id, task.event_text.data(), task.event_text.size(), &flags);
    } catch (...) {
      accepted = KPH_ERROR;
    }
  }
  return accepted;
}

bool Engine::begin_task(PluginInstance& instance, Task& task, Job& job) {
  uint32_t flags = 0;
  const kph_result accepted = accept(instance, task, flags);
  const bool sends_started = accepted != KPH_NOT_SUPPORTED && (flags & KPH_TASK_NO_STARTED) == 0;
  if (journal_ != nullptr && sends_started && accepted == KPH_OK) {
    // The common case, without this worker waiting: the claim, then .started, then
    // handle_task as the task's next job (start_async), which the job's slot goes with.
    if (start_async(instance, task)) job.holds_slot = false;
    return false;
  }
  nlohmann::json started;
  if (sends_started) {
    started = make_response_event(task.event, "started", instance.library().metadata().name,
                                  nlohmann::json::object());
  }
  if (journal_ != nullptr) {
    // A task that sends .started claims its journal entry (written before anything is sent, so
    // nothing runs without a record); one that sends none only asks. A task the journal already
    // knows is taken over from what it says, whatever the plugin answered this time.
    const JournalTake take = take_from_journal(task, started, sends_started);
    if (take != JournalTake::kNew) return continue_known(instance, task, take);
  }
  if (accepted == KPH_NOT_SUPPORTED) {
    drop_task(task, true);
    return false;
  }
  if (sends_started) {
    if (!emit(started) && journal_ != nullptr) {
      // Recorded but not sent: give the message back; the next delivery sends the journal's
      // copy and resumes the task, so no .finished ever goes out without its .started.
      drop_task(task, false);
      return false;
    }
    if (observer_) observer_->task_started(instance.name());
  }
  if (accepted != KPH_OK) {
    arm_timeout(task);
    settle(task, accepted, "kph_plugin_accept_task");
    return false;
  }
  return true;
}

bool Engine::start_async(PluginInstance& instance, Task& task) {
  auto started = make_response_event(task.event, "started", instance.library().metadata().name,
                                     nlohmann::json::object());
  std::shared_ptr<Task> kept;
  {
    std::lock_guard<std::mutex> lock(tasks_mutex_);
    if (auto it = tasks_.find(task.id); it != tasks_.end()) kept = it->second;
  }
  if (!kept) return false;  // settled meanwhile (shutdown)
  {
    std::lock_guard<std::mutex> lock(tasks_mutex_);
    ++starting_;
  }
  const std::string key = task.journal_key;
  journal_->claim_async(
      key, {JournalEntry::State::kStarted, started, ""},
      [this, kept = std::move(kept), started](Result<std::optional<JournalEntry>> known) mutable {
        claimed(std::move(kept), std::move(started), std::move(known));
      });
  return true;
}

void Engine::claimed(std::shared_ptr<Task> task, nlohmann::json started,
                     Result<std::optional<JournalEntry>> known) {
  if (known && !known->has_value()) {
    emit_async(started, [this, task](Status published) {
      if (!published) {
        // Recorded but not sent: given back; the next delivery sends the journal's copy and
        // resumes the task, so no .finished ever goes out without its .started.
        end_start(*task, std::nullopt);
        return;
      }
      if (observer_) observer_->task_started(task->instance.name());
      end_start(*task, Job::Kind::kHandle);
    });
    return;
  }
  // Known to the journal, or unreadable: a worker acts on it (that may send copies and wait).
  task->known_entry = std::move(known);
  end_start(*task, Job::Kind::kTakeOver);
}

void Engine::end_start(Task& task, std::optional<Job::Kind> next) {
  bool queued = false;
  if (next) {
    Job job;
    job.kind = *next;
    job.task = task.id;
    job.holds_slot = true;  // the slot the start held, given back once this job has run
    queued = task.instance.enqueue_next_step(std::move(job));
  }
  if (!queued) {
    task.instance.release_slot();
    drop_task(task, false);
  }
  // Last: once it is zero, shutdown() may return and the engine go away.
  std::lock_guard<std::mutex> lock(tasks_mutex_);
  if (--starting_ == 0) idle_.notify_all();
}

void Engine::call_handle_task(PluginInstance& instance, Task& task) {
  kph_result rc = KPH_ERROR;
  try {
    rc = instance.hooks().handle_task(instance.state(), task.id, task.event_text.data(),
                                      task.event_text.size());
  } catch (...) {
    // The SDK never lets an exception out; a hand-written plugin might.
    rc = KPH_ERROR;
  }
  settle(task, rc, "kph_plugin_handle_task");
}

void Engine::arm_timeout(Task& task) {
  std::lock_guard<std::mutex> lock(tasks_mutex_);
  const kph_task_id id = task.id;
  task.timeout_timer =
      scheduler_.schedule(task.instance.config().task_timeout, [this, id] { on_task_timeout(id); });
}

void Engine::run_reply(PluginInstance& instance, Task& task, Job& job) {
  if (job.kind == Job::Kind::kLookUpReply && !look_up_reply(job)) return;
  kph_result rc = KPH_ERROR;
  const bool has_event = job.reply_rc == KPH_OK;
  try {
    rc = instance.hooks().on_child_event(instance.state(), task.id, job.reply_rc,
                                         has_event ? job.reply_event.data() : nullptr,
                                         has_event ? job.reply_event.size() : 0);
  } catch (...) {
    rc = KPH_ERROR;
  }
  settle(task, rc, "kph_plugin_on_child_event");
}

void Engine::settle(Task& task, kph_result rc, const char* hook) {
  PluginInstance& instance = task.instance;
  {
    std::lock_guard<std::mutex> lock(tasks_mutex_);
    if (tasks_.count(task.id) == 0) return;  // already finished or left open
  }
  const std::string plugin = instance.name();
  switch (rc) {
    case KPH_PENDING:
      return;
    case KPH_LEFT_OPEN:
      leave_open(task);
      return;
    case KPH_OK:
      finish(task, errored_finished_data(
                       "plugin " + plugin + " returned from " + hook +
                       " without finishing the task; it must call finish_task, or return "
                       "KPH_PENDING to finish later"));
      return;
    case KPH_RETRY: {
      uint32_t attempt = 0;
      {
        std::lock_guard<std::mutex> lock(tasks_mutex_);
        attempt = ++task.attempts;
      }
      if (attempt <= instance.config().max_retries && !stopping_) {
        const kph_task_id id = task.id;
        PluginInstance* owner = &instance;
        scheduler_.schedule(retry_delay(attempt - 1), [owner, id] {
          Job job;
          job.task = id;
          // This may wait on the timer thread while the instance's queue is full; retries are
          // rare, and a lost retry would leave the task without its .finished.
          owner->enqueue(std::move(job));
        });
        return;
      }
      finish(task, errored_finished_data("plugin " + plugin + " asked to retry the task " +
                                         std::to_string(attempt) + " times; maxRetries is " +
                                         std::to_string(instance.config().max_retries)));
      return;
    }
    default: {
      const std::string why = instance.last_error(std::string(hook) + " returned " +
                                                  result_name(rc) + " without a reason");
      finish(task, errored_finished_data("plugin " + plugin + " failed: " + why));
      return;
    }
  }
}

bool Engine::finish(Task& task, nlohmann::json data) {
  std::shared_ptr<Task> kept;  // alive until its .finished is out, which may be after return
  std::vector<AwaitedReply> orphans;
  {
    std::lock_guard<std::mutex> lock(tasks_mutex_);
    auto it = tasks_.find(task.id);
    if (it == tasks_.end()) return false;
    kept = std::move(it->second);
    tasks_.erase(it);
    scheduler_.cancel(task.timeout_timer);
    for (const auto& child : task.awaited_replies) {
      if (auto awaited = awaited_replies_.find(child); awaited != awaited_replies_.end()) {
        orphans.push_back(awaited->second);
        awaited_replies_.erase(awaited);
      }
    }
    ++finishing_;
  }
  for (const auto& orphan : orphans) scheduler_.cancel(orphan.timer);
  const std::string plugin = task.instance.library().metadata().name;
  auto event = make_response_event(task.event, "finished", plugin, std::move(data));
  if (journal_ == nullptr) {
    send_finished(std::move(kept), std::move(event), true);
    return true;
  }
  // Written before publishing: after a crash the next host republishes this same event. Neither
  // write holds this thread: the worker goes on with the next task meanwhile.
  const std::string key = task.journal_key;
  journal_->put_async(key, {JournalEntry::State::kFinished, event, ""},
                      [this, kept = std::move(kept), event](Status written) mutable {
                        finished_written(std::move(kept), std::move(event), written);
                      });
  return true;
}

void Engine::finished_written(std::shared_ptr<Task> task, nlohmann::json event, Status written) {
  if (written) {
    send_finished(std::move(task), std::move(event), true);
    return;
  }
  // A failed write is reported where waiting is allowed (TaskJournal::put_async).
  const auto entry = final_journal_entry(*task);
  if (entry && event_string(entry->event, "id") == event_string(event, "id")) {
    // Written after all; only the answer was lost.
    send_finished(std::move(task), std::move(event), true);
    return;
  }
  if (entry) {
    // This host stalled past the message's ack wait and another one took the task over: the
    // other's .finished is the task's one; a second must not go out, even after the stream's
    // duplicate window.
    log_warning(
        "another host finished this task while this one was not heard from; its .finished "
        "stands and this one is not sent",
        {{"plugin", task->instance.name()},
         {"shkeptncontext", event_string(task->event, "shkeptncontext")},
         {"triggeredid", event_string(task->event, "id")},
         {"finishedBy", entry->owner}});
    end_finish(*task, true);
    return;
  }
  log_error("task journal write failed: " + written.error().message,
            {{"plugin", task->instance.name()}, {"triggeredid", event_string(task->event, "id")}});
  send_finished(std::move(task), std::move(event), false);
}

void Engine::send_finished(std::shared_ptr<Task> task, nlohmann::json event, bool ok) {
  auto after = [this, task, event, ok](Status published) {
    if (observer_) {
      observer_->task_finished(task->instance.name(), event["data"].value("status", ""),
                               event["data"].value("result", ""),
                               std::chrono::steady_clock::now() - task->created);
    }
    end_finish(*task, ok && published.ok());
  };
  emit_async(event, std::move(after));
}

void Engine::end_finish(Task& task, bool ok) {
  {
    std::lock_guard<std::mutex> lock(tasks_mutex_);
    task_done();
  }
  complete(task, ok);
  // Last: once it is zero, shutdown() may return and the engine go away.
  std::lock_guard<std::mutex> lock(tasks_mutex_);
  if (--finishing_ == 0) idle_.notify_all();
}

std::optional<JournalEntry> Engine::final_journal_entry(Task& task) {
  auto known = journal_->get(task.journal_key);
  if (!known || !known->has_value() || (*known)->state == JournalEntry::State::kStarted) {
    return std::nullopt;
  }
  return std::move(**known);
}

void Engine::leave_open(Task& task) {
  {
    std::lock_guard<std::mutex> lock(tasks_mutex_);
    if (tasks_.erase(task.id) == 0) return;
    scheduler_.cancel(task.timeout_timer);
    open_tasks_[event_string(task.event, "id")] = OpenTask{task.instance.name(), task.event};
    task_done();
  }
  bool ok = true;
  if (journal_ != nullptr) {
    ok = static_cast<bool>(
        journal_->put(task.journal_key, {JournalEntry::State::kLeftOpen, task.event, ""}));
  }
  complete(task, ok);
}

void Engine::task_done() {
  // Called with tasks_mutex_ held.
  if (active_tasks_ > 0) --active_tasks_;
  if (active_tasks_ == 0) idle_.notify_all();
}

void Engine::on_task_timeout(kph_task_id id) {
  std::shared_ptr<Task> task;
  {
    std::lock_guard<std::mutex> lock(tasks_mutex_);
    auto it = tasks_.find(id);
    if (it == tasks_.end()) return;
    task = it->second;
    task->cancelled = true;
  }
  PluginInstance& instance = task->instance;
  const auto timeout = instance.config().task_timeout;
  const bool finished =
      finish(*task, errored_finished_data("task timed out: plugin " + instance.name() +
                                          " did not finish it within its taskTimeout of " +
                                          millis_text(timeout) +
                                          "; raise taskTimeout if the task needs longer"));
  if (finished && instance.hooks().cancel_task != nullptr) {
    instance.hooks().cancel_task(instance.state(), id);
  }
}

void Engine::deliver_reply(const nlohmann::json& event) {
  const auto type = parse_event_type(event_string(event, "type"));
  if (!type || type->kind != "finished") return;
  const std::string child = event_string(event, "triggeredid");
  AwaitedReply awaited;
  std::shared_ptr<Task> task;
  {
    std::lock_guard<std::mutex> lock(tasks_mutex_);
    auto it = awaited_replies_.find(child);
    if (it == awaited_replies_.end()) return;
    awaited = it->second;
    awaited_replies_.erase(it);
    auto owner = tasks_.find(awaited.task);
    if (owner == tasks_.end()) return;
    task = owner->second;
    auto& list = task->awaited_replies;
    list.erase(std::remove(list.begin(), list.end(), child), list.end());
  }
  scheduler_.cancel(awaited.timer);
  Job job;
  job.kind = Job::Kind::kReply;
  job.task = awaited.task;
  job.reply_rc = KPH_OK;
  job.reply_event = event.dump();
  task->instance.enqueue(std::move(job));
}

std::optional<nlohmann::json> Engine::stored_reply(const std::string& child_id,
                                                   const std::string& reply_type) {
  auto found = stored_answers(reply_type, child_id, 1);
  if (found.empty()) return std::nullopt;
  return std::move(found.front());
}

void Engine::recover_replies() {
  // From the timer thread, so that a caller on a transport's callback thread never blocks on
  // a full queue; the lookups themselves run on the plugins' workers.
  scheduler_.schedule(std::chrono::milliseconds(0), [this] {
    std::vector<std::pair<PluginInstance*, Job>> lookups;
    {
      std::lock_guard<std::mutex> lock(tasks_mutex_);
      for (const auto& [child, reply] : awaited_replies_) {
        auto task = tasks_.find(reply.task);
        if (task == tasks_.end()) continue;
        Job job;
        job.kind = Job::Kind::kLookUpReply;
        job.task = reply.task;
        job.reply_child = child;
        lookups.emplace_back(&task->second->instance, std::move(job));
      }
    }
    for (auto& [instance, job] : lookups) instance->enqueue(std::move(job));
  });
}

bool Engine::look_up_reply(Job& job) {
  std::string reply_type;
  {
    std::lock_guard<std::mutex> lock(tasks_mutex_);
    auto it = awaited_replies_.find(job.reply_child);
    if (it == awaited_replies_.end()) return false;  // delivered or timed out meanwhile
    reply_type = it->second.reply_type;
  }
  auto stored = stored_reply(job.reply_child, reply_type);
  if (!stored && job.reply_rc != KPH_TIMEOUT) return false;
  AwaitedReply awaited;
  {
    std::lock_guard<std::mutex> lock(tasks_mutex_);
    auto it = awaited_replies_.find(job.reply_child);
    if (it == awaited_replies_.end()) return false;
    awaited = it->second;
    awaited_replies_.erase(it);
  }
  scheduler_.cancel(awaited.timer);
  if (stored) {
    job.reply_rc = KPH_OK;
    job.reply_event = stored->dump();
  }
  return true;
}

Status Engine::emit(const nlohmann::json& event) {
  record(event);
  Status published = sink_.publish(event);
  after_publish(event, published);
  return published;
}

void Engine::emit_async(const nlohmann::json& event, std::function<void(Status)> done) {
  record(event);
  sink_.publish_async(event, [this, event, done = std::move(done)](Status published) {
    after_publish(event, published);
    done(std::move(published));
  });
}

void Engine::record(const nlohmann::json& event) {
  if (auto recorded = store_.record(event); !recorded) {
    log_warning(recorded.error().message, {{"event", event_string(event, "id")}});
  }
}

void Engine::after_publish(const nlohmann::json& event, const Status& published) {
  if (!published) {
    log_error("could not publish an event: " + published.error().message,
              {{"event", event_string(event, "id")},
               {"shkeptncontext", event_string(event, "shkeptncontext")},
               {"triggeredid", event_string(event, "triggeredid")}});
  }
  if (!options_.deliver_in_process || stopping_) return;
  // In-process delivery skips dedup: the host made the id itself.
  (void)seen_before(event_string(event, "id"));
  deliver_reply(event);
  auto delivery = std::make_shared<Delivery>();
  route(event, delivery);
  part_done(delivery, true);
}

void Engine::wait_idle() {
  std::unique_lock<std::mutex> lock(tasks_mutex_);
  idle_.wait(lock, [&] { return active_tasks_ == 0; });
}

std::vector<InstanceStats> Engine::stats() const {
  std::vector<InstanceStats> out;
  std::map<const PluginInstance*, size_t> in_flight;
  {
    std::lock_guard<std::mutex> lock(tasks_mutex_);
    for (const auto& [id, task] : tasks_) ++in_flight[&task->instance];
  }
  for (const auto& instance : instances_) {
    out.push_back({instance->name(), in_flight[instance.get()], instance->queue_depth()});
  }
  return out;
}

std::vector<OpenTask> Engine::open_tasks() const {
  std::lock_guard<std::mutex> lock(tasks_mutex_);
  std::vector<OpenTask> out;
  for (const auto& [id, task] : open_tasks_) out.push_back(task);
  return out;
}

void Engine::shutdown(std::chrono::milliseconds grace) {
  if (stopping_.exchange(true)) return;
  {
    std::unique_lock<std::mutex> lock(tasks_mutex_);
    idle_.wait_for(lock, grace, [&] { return active_tasks_ == 0; });
  }
  std::vector<std::shared_ptr<Task>> remaining;
  {
    std::lock_guard<std::mutex> lock(tasks_mutex_);
    for (auto& [id, task] : tasks_) {
      task->cancelled = true;
      remaining.push_back(task);
    }
  }
  for (auto& task : remaining) {
    PluginInstance& instance = task->instance;
    bool cancel = false;
    if (journal_ == nullptr) {
      cancel = finish(*task, errored_finished_data("keptn-host shut down before plugin " +
                                                   instance.name() + " finished the task"));
    } else {
      // The journal has its .started: the host that takes the message next resumes it or
      // finishes it as errored, so nothing is sent from here.
      std::lock_guard<std::mutex> lock(tasks_mutex_);
      cancel = tasks_.erase(task->id) > 0;
      if (cancel) {
        scheduler_.cancel(task->timeout_timer);
        task_done();
      }
    }
    if (cancel && journal_ != nullptr) {
      log_warning("shutdown grace period over: task given back for the next host",
                  {{"plugin", instance.name()},
                   {"shkeptncontext", event_string(task->event, "shkeptncontext")},
                   {"triggeredid", event_string(task->event, "id")}});
      complete(*task, false);
    }
    if (cancel && instance.hooks().cancel_task != nullptr) {
      instance.hooks().cancel_task(instance.state(), task->id);
    }
  }
  {
    // A claim, .started or .finished on its way is not cancelled: each is bounded by
    // publishTimeout, and what it settles must not outlive the engine.
    std::unique_lock<std::mutex> lock(tasks_mutex_);
    idle_.wait(lock, [&] { return starting_ == 0 && finishing_ == 0; });
  }
  for (auto& instance : instances_) {
    if (instance->stop_workers(std::max(grace, std::chrono::milliseconds(1000)))) {
      instance->destroy();
    }
  }
  scheduler_.stop();
}

// --- host calls ---

std::shared_ptr<Task> Engine::find_task(PluginInstance& instance, kph_task_id id) {
  std::lock_guard<std::mutex> lock(tasks_mutex_);
  auto it = tasks_.find(id);
  if (it == tasks_.end() || &it->second->instance != &instance) {
    set_host_error("task " + std::to_string(id) + " is not a live task of plugin " +
                   instance.name() + " (finished, timed out, or never given to it)");
    return nullptr;
  }
  return it->second;
}

void Engine::host_log(PluginInstance& instance, kph_task_id id, kph_log_level level,
                      const char* message) {
  std::string context, triggered;
  if (id != KPH_NO_TASK) {
    std::lock_guard<std::mutex> lock(tasks_mutex_);
    if (auto it = tasks_.find(id); it != tasks_.end()) {
      context = event_string(it->second->event, "shkeptncontext");
      triggered = event_string(it->second->event, "id");
    }
  }
  const LogLevel mapped = level <= KPH_LOG_DEBUG     ? LogLevel::kDebug
                          : level == KPH_LOG_INFO    ? LogLevel::kInfo
                          : level == KPH_LOG_WARNING ? LogLevel::kWarning
                                                     : LogLevel::kError;
  Logger::instance().log(
      mapped, message == nullptr ? "" : message,
      {{"plugin", instance.name()}, {"shkeptncontext", context}, {"triggeredid", triggered}});
}

kph_result Engine::host_status_changed(PluginInstance& instance, kph_task_id id,
                                       std::string_view data) {
  auto task = find_task(instance, id);
  if (!task) return KPH_NOT_FOUND;
  auto parsed = nlohmann::json::parse(data, nullptr, false);
  if (!parsed.is_object()) {
    set_host_error("status.changed data must be a JSON object");
    return KPH_ERROR;
  }
  if (auto sent = emit(make_response_event(task->event, "status.changed",
                                           instance.library().metadata().name, std::move(parsed)));
      !sent) {
    set_host_error(sent.error().message);
    return KPH_ERROR;
  }
  return KPH_OK;
}

kph_result Engine::host_finish(PluginInstance& instance, kph_task_id id, std::string_view data) {
  auto parsed = nlohmann::json::parse(data, nullptr, false);
  auto task = find_task(instance, id);
  if (!task) {
    log_warning("a second .finished (or one for an unknown task) was refused",
                {{"plugin", instance.name()}, {"task", std::to_string(id)}});
    return KPH_NOT_FOUND;
  }
  if (!parsed.is_object()) {
    set_host_error(".finished data must be a JSON object");
    return KPH_ERROR;
  }
  if (!finish(*task, std::move(parsed))) {
    log_warning("a second .finished was refused",
                {{"plugin", instance.name()},
                 {"shkeptncontext", event_string(task->event, "shkeptncontext")},
                 {"triggeredid", event_string(task->event, "id")}});
    set_host_error("the task is already finished");
    return KPH_NOT_FOUND;
  }
  return KPH_OK;
}

kph_result Engine::host_emit(PluginInstance& instance, kph_task_id id, const char* type,
                             std::string_view data, uint32_t reply_timeout_ms, char* id_out,
                             size_t id_out_size) {
  auto task = find_task(instance, id);
  if (!task) return KPH_NOT_FOUND;
  const std::string type_text = type == nullptr ? "" : type;
  const auto parsed_type = parse_event_type(type_text);
  if (!parsed_type) {
    set_host_error("\"" + type_text +
                   "\" is not a Keptn event type (sh.keptn.event.<task>.<kind>)");
    return KPH_ERROR;
  }
  auto parsed = nlohmann::json::parse(data, nullptr, false);
  if (!parsed.is_object()) {
    set_host_error("event data must be a JSON object");
    return KPH_ERROR;
  }
  if (reply_timeout_ms > 0 && parsed_type->kind != "triggered") {
    set_host_error("a reply can only be awaited for a .triggered event, not " + type_text);
    return KPH_ERROR;
  }
  if (reply_timeout_ms > 0 && instance.hooks().on_child_event == nullptr) {
    set_host_error("the plugin asks for a reply but exports no kph_plugin_on_child_event");
    return KPH_ERROR;
  }
  auto event = make_context_event(task->event, type_text, instance.library().metadata().name,
                                  std::move(parsed));
  const std::string event_id = event_string(event, "id");
  if (id_out != nullptr && id_out_size > 0) {
    const size_t n = std::min(event_id.size(), id_out_size - 1);
    std::memcpy(id_out, event_id.data(), n);
    id_out[n] = '\0';
  }
  if (reply_timeout_ms > 0) {
    // Registered before the event leaves, so that even an immediate reply finds its task.
    std::lock_guard<std::mutex> lock(tasks_mutex_);
    if (tasks_.count(id) == 0) return KPH_NOT_FOUND;
    PluginInstance* owner = &instance;
    const std::string reply_type = "sh.keptn.event." + parsed_type->task + ".finished";
    const auto timer =
        scheduler_.schedule(std::chrono::milliseconds(reply_timeout_ms), [owner, event_id, id] {
          // The worker looks in the event store before it gives up: the reply may have come
          // while this host could not hear it.
          Job job;
          job.kind = Job::Kind::kLookUpReply;
          job.task = id;
          job.reply_rc = KPH_TIMEOUT;
          job.reply_child = event_id;
          owner->enqueue(std::move(job));
        });
    awaited_replies_[event_id] = AwaitedReply{id, timer, reply_type};
    task->awaited_replies.push_back(event_id);
  }
  if (auto sent = emit(event); !sent) {
    set_host_error(sent.error().message);
    return KPH_ERROR;
  }
  return KPH_OK;
}

kph_result Engine::host_get_resource(PluginInstance& instance, kph_task_id id, const char* uri,
                                     kph_resource_scope scope, kph_sink_fn sink, void* sink_ctx) {
  auto task = find_task(instance, id);
  if (!task) return KPH_NOT_FOUND;
  if (resources_ == nullptr) {
    set_host_error(
        "no resource provider is configured; start keptn-host with --resources DIR "
        "or set resources: in its config");
    return KPH_ERROR;
  }
  if (uri == nullptr || sink == nullptr) {
    set_host_error("get_resource needs a URI and a sink");
    return KPH_ERROR;
  }
  ResourceRequest request;
  request.project = event_data_string(task->event, "project");
  request.stage = event_data_string(task->event, "stage");
  request.service = event_data_string(task->event, "service");
  request.git_commit_id = event_string(task->event, "gitcommitid");
  request.uri = uri;
  request.scope = scope;
  auto content = resources_->get(request);
  if (!content) {
    set_host_error(content.error().message);
    return KPH_ERROR;
  }
  if (!content->has_value()) {
    set_host_error("resource " + request.uri + " not found for project " + request.project +
                   ", stage " + request.stage + ", service " + request.service);
    return KPH_NOT_FOUND;
  }
  const std::string& bytes = **content;
  sink(sink_ctx, bytes.data(), bytes.size());
  return KPH_OK;
}

kph_result Engine::host_query_events(PluginInstance& instance, kph_task_id id,
                                     std::string_view query, kph_sink_fn sink, void* sink_ctx) {
  if (id != KPH_NO_TASK && !find_task(instance, id)) return KPH_NOT_FOUND;
  if (sink == nullptr) {
    set_host_error("query_events needs a sink");
    return KPH_ERROR;
  }
  auto parsed = parse_event_query(nlohmann::json::parse(query, nullptr, false));
  if (!parsed) {
    set_host_error(parsed.error().message);
    return KPH_ERROR;
  }
  auto events = store_.query(*parsed);
  if (!events) {
    set_host_error(events.error().message);
    return KPH_ERROR;
  }
  const std::string text = nlohmann::json(*events).dump();
  sink(sink_ctx, text.data(), text.size());
  return KPH_OK;
}

bool Engine::host_is_cancelled(PluginInstance& instance, kph_task_id id) {
  std::lock_guard<std::mutex> lock(tasks_mutex_);
  auto it = tasks_.find(id);
  return it == tasks_.end() || &it->second->instance != &instance || it->second->cancelled ||
         stopping_;
}

}  // namespace kph::host
