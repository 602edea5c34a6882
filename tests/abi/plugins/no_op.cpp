// The smallest useful C++ plugin: finishes every task it is given, successfully, at once.
// It proves a plugin built with the SDK and kph_add_plugin loads and runs.
#include <kph/sdk.hpp>

namespace {

class NoOp : public kph::sdk::Plugin {
 public:
  NoOp(kph::sdk::Host host, const nlohmann::json&) : Plugin(host) {}

  static nlohmann::json metadata() {
    return {{"name", "no-op"},
            {"version", "1.0.0"},
            {"vendor", "keptn-host ABI tests"},
            {"description", "Finishes every task at once."},
            {"subscriptions", {"sh.keptn.event.test.triggered"}},
            {"configSchema",
             {{"type", "object"},
              {"additionalProperties", false},
              {"properties", {{"message", {{"type", "string"}, {"default", "nothing done"}}}}}}}};
  }

  kph_result handle(const kph::sdk::Task& task) override {
    finish(task, {{"status", "succeeded"}, {"result", "pass"}, {"message", "nothing done"}});
    return KPH_OK;
  }
};

}  // namespace

KPH_PLUGIN(NoOp)
