#include "approval_decision.hpp"

namespace kph::plugins::approval {
namespace {

using nlohmann::json;

constexpr const char* kAutomatic = "automatic";
constexpr const char* kManual = "manual";

std::string found(const json& value) {
  std::string text = value.dump();
  if (text.size() > 60) text = text.substr(0, 57) + "...";
  return std::string(value.type_name()) + " " + text;
}

// An optional string field: absent and null read as "".
bool read_string(const json& object, const char* key, const std::string& field, std::string& out,
                 std::string& error) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return true;
  if (!it->is_string()) {
    error = "field '" + field + "': expected a string, found " + found(*it);
    return false;
  }
  out = it->get<std::string>();
  return true;
}

}  // namespace

std::string ApprovalDecision::message() const {
  return "Approval strategy for result '" + result + "': " + strategy;
}

ApprovalDecision decide(const std::string& result, const std::string& pass_strategy,
                        const std::string& warning_strategy) {
  ApprovalDecision decision;
  decision.result = result;
  decision.action = ApprovalAction::kWaitForUser;
  decision.strategy = kManual;

  const std::string* configured = nullptr;
  const char* field = nullptr;
  if (result == "pass") {
    configured = &pass_strategy;
    field = "approval.pass";
  } else if (result == "warning") {
    configured = &warning_strategy;
    field = "approval.warning";
  } else if (result == "fail") {
    decision.strategy = kAutomatic;
    decision.action = ApprovalAction::kFinishFail;
    return decision;
  }
  if (configured == nullptr) return decision;  // no or unknown result: a human decides

  if (!configured->empty()) decision.strategy = *configured;
  if (*configured == kAutomatic) {
    // A warning approved automatically passes the gate, as in Keptn.
    decision.action = ApprovalAction::kFinishPass;
  } else if (!configured->empty() && *configured != kManual) {
    decision.warnings.push_back(std::string(field) + " is '" + *configured +
                                "', which is neither 'automatic' nor 'manual' (exact, lower "
                                "case): treated as manual");
  }
  return decision;
}

std::string effective_result(const json& data) {
  if (!data.is_object()) return "";
  if (auto it = data.find("result");
      it != data.end() && it->is_string() && !it->get<std::string>().empty()) {
    return it->get<std::string>();
  }
  if (auto evaluation = data.find("evaluation");
      evaluation != data.end() && evaluation->is_object()) {
    if (auto it = evaluation->find("result"); it != evaluation->end() && it->is_string()) {
      return it->get<std::string>();
    }
  }
  return "";
}

std::optional<ApprovalDecision> decide_for_event(const json& data, std::string& error) {
  if (!data.is_object()) {
    error = "field 'data': expected an object, found " + found(data);
    return std::nullopt;
  }
  std::string ignored;
  if (!read_string(data, "result", "result", ignored, error)) return std::nullopt;
  std::string pass_strategy;
  std::string warning_strategy;
  if (auto approval = data.find("approval"); approval != data.end() && !approval->is_null()) {
    if (!approval->is_object()) {
      error = "field 'approval': expected an object {pass, warning}, found " + found(*approval);
      return std::nullopt;
    }
    if (!read_string(*approval, "pass", "approval.pass", pass_strategy, error) ||
        !read_string(*approval, "warning", "approval.warning", warning_strategy, error)) {
      return std::nullopt;
    }
  }
  return decide(effective_result(data), pass_strategy, warning_strategy);
}

}  // namespace kph::plugins::approval
