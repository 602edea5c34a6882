// A C++ plugin whose handle() throws. Exceptions must never cross the C ABI: the SDK's
// KPH_PLUGIN exports catch everything and return KPH_ERROR with the exception's text as the
// last error, and the host then sends .finished with status errored quoting that text. A C++
// plugin written without the SDK must do the same catching itself.
#include <kph/sdk.hpp>
#include <stdexcept>

namespace {

class Throws : public kph::sdk::Plugin {
 public:
  Throws(kph::sdk::Host host, const nlohmann::json&) : Plugin(host) {}

  static nlohmann::json metadata() {
    return {{"name", "throws"},
            {"version", "1.0.0"},
            {"vendor", "keptn-host ABI tests"},
            {"subscriptions", {"sh.keptn.event.test.triggered"}}};
  }

  kph_result handle(const kph::sdk::Task&) override {
    throw std::runtime_error("throws: std::runtime_error from handle()");
  }
};

}  // namespace

KPH_PLUGIN(Throws)
