// A plugin that never finishes on its own: handle() blocks until the host gives up on the
// task, which it learns either from kph_plugin_cancel_task (cancel() below) or from
// is_cancelled. The host must send .finished errored when the taskTimeout passes, and the
// plugin's late return must change nothing.
#include <kph/sdk.hpp>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>

namespace {

class HangsPastTimeout : public kph::sdk::Plugin {
 public:
  HangsPastTimeout(kph::sdk::Host host, const nlohmann::json&) : Plugin(host) {}

  static nlohmann::json metadata() {
    return {{"name", "hangs-past-timeout"},
            {"version", "1.0.0"},
            {"vendor", "keptn-host ABI tests"},
            {"subscriptions", {"sh.keptn.event.test.triggered"}}};
  }

  kph_result handle(const kph::sdk::Task& task) override {
    std::unique_lock<std::mutex> lock(mutex_);
    // The wait wakes on cancel(); the periodic re-check of is_cancelled covers a host that
    // only flags the task.
    while (cancelled_.count(task.id) == 0 && !host().is_cancelled(task.id)) {
      woken_.wait_for(lock, std::chrono::milliseconds(20));
    }
    cancelled_.erase(task.id);
    host().log(KPH_LOG_INFO, "hangs-past-timeout: stopped after the host gave up", task.id);
    return KPH_CANCELLED;
  }

  void cancel(const kph::sdk::Task& task) override {
    std::lock_guard<std::mutex> lock(mutex_);
    cancelled_.insert(task.id);
    woken_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable woken_;
  std::set<kph_task_id> cancelled_;
};

}  // namespace

KPH_PLUGIN(HangsPastTimeout)
