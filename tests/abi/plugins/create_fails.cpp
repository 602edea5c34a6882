// A plugin whose every instance fails to start: its constructor throws, the SDK turns that
// into kph_plugin_create returning NULL with KPH_ERROR, and the host must refuse to run the
// instance, naming the plugin and quoting the reason.
#include <kph/sdk.hpp>
#include <stdexcept>

namespace {

class CreateFails : public kph::sdk::Plugin {
 public:
  CreateFails(kph::sdk::Host host, const nlohmann::json&) : Plugin(host) {
    throw std::runtime_error("create-fails: this plugin never starts, on purpose");
  }

  static nlohmann::json metadata() {
    return {{"name", "create-fails"},
            {"version", "1.0.0"},
            {"vendor", "keptn-host ABI tests"},
            {"subscriptions", {"sh.keptn.event.test.triggered"}}};
  }

  kph_result handle(const kph::sdk::Task&) override { return KPH_ERROR; }
};

}  // namespace

KPH_PLUGIN(CreateFails)
