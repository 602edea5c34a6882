// A plugin that returns KPH_OK from handle() without ever calling finish_task. The host must
// not leave the task open: it sends .finished errored saying the plugin returned without
// finishing.
#include <kph/sdk.hpp>

namespace {

class NeverFinishes : public kph::sdk::Plugin {
 public:
  NeverFinishes(kph::sdk::Host host, const nlohmann::json&) : Plugin(host) {}

  static nlohmann::json metadata() {
    return {{"name", "never-finishes"},
            {"version", "1.0.0"},
            {"vendor", "keptn-host ABI tests"},
            {"subscriptions", {"sh.keptn.event.test.triggered"}}};
  }

  kph_result handle(const kph::sdk::Task&) override { return KPH_OK; }
};

}  // namespace

KPH_PLUGIN(NeverFinishes)
