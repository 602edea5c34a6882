// The approval plugin: closes an approval task at once when the shipyard's strategy for the
// previous result is automatic (or the result is fail), and otherwise leaves it open for a
// user's approval.finished, holding nothing while it waits.
#include <kph/sdk.hpp>

#include <string>

#include "approval_decision.hpp"

namespace kph::plugins::approval {
namespace {

constexpr const char* kApprovalTriggered = "sh.keptn.event.approval.triggered";

class ApprovalPlugin : public kph::sdk::Plugin {
 public:
  static nlohmann::json metadata() {
    return {{"name", "approval"},
            {"version", "0.1.0"},
            {"vendor", "keptn-host"},
            {"description",
             "Approval gate: finishes approval.triggered automatically when the shipyard's "
             "strategy for the previous result is automatic, or on fail; otherwise leaves it "
             "open for a user's approval.finished."},
            {"subscriptions", {kApprovalTriggered}},
            {"configSchema",
             {{"$schema", "http://json-schema.org/draft-07/schema#"},
              {"type", "object"},
              {"additionalProperties", false},
              {"properties", nlohmann::json::object()}}}};
  }

  ApprovalPlugin(kph::sdk::Host host, const nlohmann::json& config) : Plugin(host) { (void)config; }

  kph_result accept(const kph::sdk::Task& task, uint32_t& flags) override {
    (void)flags;
    return task.type() == kApprovalTriggered ? KPH_OK : KPH_NOT_SUPPORTED;
  }

  kph_result handle(const kph::sdk::Task& task) override {
    const std::string event_id = task.event.value("id", std::string("<no id>"));
    const auto data = task.event.contains("data") ? task.event["data"] : nlohmann::json();
    std::string error;
    const auto decision = decide_for_event(data, error);
    if (!decision) {
      kph::sdk::last_error() = "approval.triggered " + event_id + ": " + error +
                               ". Fix the approval task's properties in the shipyard.";
      return KPH_ERROR;
    }
    for (const auto& warning : decision->warnings) {
      host().log(KPH_LOG_WARNING, "approval: " + warning, task.id);
    }
    switch (decision->action) {
      case ApprovalAction::kFinishPass:
      case ApprovalAction::kFinishFail: {
        const char* result = decision->action == ApprovalAction::kFinishPass ? "pass" : "fail";
        const nlohmann::json finished = {
            {"status", "succeeded"}, {"result", result}, {"message", decision->message()}};
        if (finish(task, finished) != KPH_OK) {
          kph::sdk::last_error() = "sending approval.finished failed: " + host().error();
          return KPH_ERROR;
        }
        return KPH_OK;
      }
      case ApprovalAction::kWaitForUser:
        host().log(KPH_LOG_INFO,
                   "approval: " + decision->message() +
                       "; waiting for a user's approval.finished (triggeredid " + event_id + ")",
                   task.id);
        return KPH_LEFT_OPEN;
    }
    return KPH_ERROR;
  }
};

}  // namespace
}  // namespace kph::plugins::approval

KPH_PLUGIN(kph::plugins::approval::ApprovalPlugin)
