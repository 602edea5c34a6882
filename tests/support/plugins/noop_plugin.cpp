// The "noop" test plugin: finishes every task at once. It is what the throughput benchmark
// and the host's black-box tests run, so that only the host's own cost is measured.
#include <kph/sdk.hpp>

namespace {

class NoopPlugin : public kph::sdk::Plugin {
 public:
  NoopPlugin(kph::sdk::Host host, const nlohmann::json&) : Plugin(host) {}

  static nlohmann::json metadata() {
    return {{"name", "noop"},
            {"version", "1.0.0"},
            {"vendor", "keptn-host tests"},
            {"description", "Finishes every task at once with result pass"},
            {"subscriptions", {"sh.keptn.event.noop.triggered"}}};
  }

  kph_result handle(const kph::sdk::Task& task) override {
    finish(task, {{"message", "nothing to do"}});
    return KPH_OK;
  }
};

}  // namespace

KPH_PLUGIN(NoopPlugin)
