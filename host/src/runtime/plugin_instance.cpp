#include "runtime/plugin_instance.hpp"

#include <algorithm>

#include "common/logger.hpp"
#include "runtime/host_api.hpp"

namespace kph::host {

PluginInstance::PluginInstance(Engine& engine, PluginConfig config,
                               std::shared_ptr<const PluginLibrary> library)
    : config_(std::move(config)),
      library_(std::move(library)),
      queue_(config_.queue_size.value_or(kDefaultQueueSize)) {
  handle_.engine = &engine;
  handle_.instance = this;
}

PluginInstance::~PluginInstance() {
  stop_workers(std::chrono::milliseconds(0));
  destroy();
}

Status PluginInstance::create() {
  const std::string config_text = config_.config.dump();
  kph_create_input input{};
  input.struct_size = sizeof(kph_create_input);
  input.host = &host_api_table();
  input.owner = &handle_;
  input.instance_name_host = config_.name.c_str();
  input.config_json_host = config_text.data();
  input.config_len = config_text.size();
  kph_result rc = KPH_ERROR;
  handle_.alive = true;
  kph_plugin_state* state = nullptr;
  try {
    state = hooks().create(&input, &rc);
  } catch (...) {
    rc = KPH_ERROR;
  }
  if (rc == KPH_OK && state != nullptr) {
    state_ = state;
    return ok_status();
  }
  const char* reason = hooks().get_last_error ? hooks().get_last_error(state) : nullptr;
  const std::string why = reason != nullptr && *reason != '\0' ? reason : "it gave no reason";
  if (state != nullptr) hooks().destroy(state);
  handle_.alive = false;
  return Error{"plugin " + config_.name + " (" + library_->file().string() +
               ") refused its config: kph_plugin_create failed: " + why +
               "; fix the instance's config (" + config_.config_location.to_string() + ")"};
}

void PluginInstance::start_workers(const std::function<void(PluginInstance&, Job&)>& run) {
  uint32_t count = config_.max_concurrency;
  if (library_->metadata().max_concurrency) {
    count = std::min(count, *library_->metadata().max_concurrency);
  }
  count = std::max<uint32_t>(count, 1);
  {
    std::lock_guard<std::mutex> slots(slots_mutex_);
    slot_limit_ = 2 * static_cast<size_t>(count);
  }
  std::lock_guard<std::mutex> lock(workers_mutex_);
  workers_running_ = count;
  for (uint32_t i = 0; i < count; ++i) {
    workers_.emplace_back([this, run] {
      bool urgent = false;
      while (auto job = queue_.pop([this] { return try_take_slot(); }, urgent)) {
        if (!urgent) job->holds_slot = true;
        run(*this, *job);
        if (job->holds_slot) release_slot();
      }
      std::lock_guard<std::mutex> done(workers_mutex_);
      --workers_running_;
      workers_done_.notify_all();
    });
  }
}

bool PluginInstance::stop_workers(std::chrono::milliseconds grace) {
  queue_.close();
  std::unique_lock<std::mutex> lock(workers_mutex_);
  const bool all_done = workers_done_.wait_for(lock, grace, [&] { return workers_running_ == 0; });
  lock.unlock();
  for (auto& worker : workers_) {
    if (all_done) {
      worker.join();
    } else {
      // A worker stuck inside the plugin cannot be joined; its code stays mapped because
      // libraries are never unloaded, and the process exits around it.
      worker.detach();
    }
  }
  workers_.clear();
  if (!all_done) {
    log_error("plugin is still running a task after shutdown; it is left running and not destroyed",
              {{"plugin", config_.name}});
  }
  return all_done;
}

void PluginInstance::destroy() {
  if (state_ == nullptr) return;
  std::lock_guard<std::mutex> lock(workers_mutex_);
  if (workers_running_ > 0) return;  // see stop_workers: never destroy under a running call
  kph_plugin_state* state = state_;
  state_ = nullptr;
  handle_.alive = false;
  hooks().destroy(state);
}

std::string PluginInstance::last_error(const std::string& fallback) const {
  const char* text = hooks().get_last_error ? hooks().get_last_error(state_) : nullptr;
  if (text == nullptr || *text == '\0') return fallback;
  return text;
}

bool PluginInstance::try_take_slot() {
  std::lock_guard<std::mutex> lock(slots_mutex_);
  if (slots_used_ >= slot_limit_) return false;
  ++slots_used_;
  return true;
}

void PluginInstance::release_slot() {
  {
    std::lock_guard<std::mutex> lock(slots_mutex_);
    if (slots_used_ > 0) --slots_used_;
  }
  queue_.recheck();
}

}  // namespace kph::host
