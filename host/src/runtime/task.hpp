// One task: one .triggered event handled by one plugin instance.
#pragma once

#include <kph/plugin_api.h>
#include <kph/host/task_journal.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "runtime/scheduler.hpp"
#include "runtime/settlement.hpp"

namespace kph::host {

class PluginInstance;

// One message from a transport, settled once all the tasks it started are done.
struct Delivery {
  std::mutex mutex;
  size_t remaining = 1;  // the routing itself holds one part until every task is queued
  bool retry = false;
  std::vector<SettledFn> callbacks;
};

struct Task {
  Task(kph_task_id task_id, PluginInstance& owner, nlohmann::json triggered)
      : id(task_id), instance(owner), event(std::move(triggered)), event_text(event.dump()) {}

  const kph_task_id id;
  PluginInstance& instance;
  const nlohmann::json event;
  const std::string event_text;  // what the plugin's hooks receive

  // Serialises the plugin's hook calls for this task ("concurrent with distinct task
  // arguments" is the contract), so a reply never overtakes handle_task.
  std::mutex call_mutex;

  // The fields below are guarded by the engine's task mutex.
  std::vector<std::shared_ptr<Delivery>> deliveries;  // the message and any redelivery of it
  std::string journal_key;
  std::chrono::steady_clock::time_point created = std::chrono::steady_clock::now();
  bool cancelled = false;
  uint32_t attempts = 0;
  Scheduler::TimerId timeout_timer = 0;
  std::vector<std::string> awaited_replies;  // ids of child events awaiting their .finished
  // What an asynchronous claim found, for the kTakeOver job that acts on it.
  std::optional<Result<std::optional<JournalEntry>>> known_entry;
};

}  // namespace kph::host
