// A plugin that calls finish_task twice for the same task. The host must publish exactly one
// .finished and refuse the second call with KPH_NOT_FOUND; the plugin logs what it got back so
// the test can see the refusal from the plugin's side too.
#include <kph/sdk.hpp>

#include <string>

namespace {

class FinishesTwice : public kph::sdk::Plugin {
 public:
  FinishesTwice(kph::sdk::Host host, const nlohmann::json&) : Plugin(host) {}

  static nlohmann::json metadata() {
    return {{"name", "finishes-twice"},
            {"version", "1.0.0"},
            {"vendor", "keptn-host ABI tests"},
            {"subscriptions", {"sh.keptn.event.test.triggered"}}};
  }

  kph_result handle(const kph::sdk::Task& task) override {
    const kph_result first =
        finish(task, {{"status", "succeeded"}, {"result", "pass"}, {"message", "first"}});
    const kph_result second =
        finish(task, {{"status", "errored"}, {"result", "fail"}, {"message", "second"}});
    host().log(KPH_LOG_INFO, "finishes-twice: first finish_task returned " + std::to_string(first) +
                                 ", second returned " + std::to_string(second));
    return KPH_OK;
  }
};

}  // namespace

KPH_PLUGIN(FinishesTwice)
