// The "slow" test plugin: takes a while per task (config delayMs, default 50; an event's
// data.delayMs overrides it), then finishes with result pass. It keeps tasks in flight long
// enough for the serve-mode tests to kill, stop or restart things while work is running.
#include <kph/sdk.hpp>

#include <chrono>
#include <thread>

namespace {

class SlowPlugin : public kph::sdk::Plugin {
 public:
  SlowPlugin(kph::sdk::Host host, const nlohmann::json& config)
      : Plugin(host), delay_ms_(config.value("delayMs", 50)) {}

  static nlohmann::json metadata() {
    return {{"name", "slow"},
            {"version", "1.0.0"},
            {"vendor", "keptn-host tests"},
            {"description", "Takes delayMs per task, then finishes with result pass"},
            {"subscriptions", {"sh.keptn.event.slow.triggered"}},
            {"configSchema",
             {{"type", "object"},
              {"properties", {{"delayMs", {{"type", "integer"}, {"minimum", 0}}}}},
              {"additionalProperties", false}}}};
  }

  kph_result handle(const kph::sdk::Task& task) override {
    int delay = delay_ms_;
    if (task.event.contains("data") && task.event["data"].contains("delayMs") &&
        task.event["data"]["delayMs"].is_number_integer()) {
      delay = task.event["data"]["delayMs"].get<int>();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(delay));
    finish(task, {{"message", "took " + std::to_string(delay) + " ms"}});
    return KPH_OK;
  }

 private:
  const int delay_ms_;
};

}  // namespace

KPH_PLUGIN(SlowPlugin)
