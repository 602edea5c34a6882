// One task: one .triggered event handled by one plugin instance.
#pragma once

#include <kph/plugin_api.h>

#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "runtime/scheduler.hpp"

namespace kph::host {

class PluginInstance;

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
  bool started_sent = false;
  bool cancelled = false;
  uint32_t attempts = 0;
  Scheduler::TimerId timeout_timer = 0;
  std::vector<std::string> awaited_replies;  // ids of child events awaiting their .finished
};

}  // namespace kph::host
