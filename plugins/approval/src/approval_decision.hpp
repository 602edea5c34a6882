// What approval does with one approval.triggered: Keptn's decision table, from the previous
// task's result and the shipyard's approval.pass / approval.warning strategies.
//
//   result   strategy used                     action
//   pass     approval.pass == "automatic"      finish, result pass
//   pass     anything else (manual, empty, ..) wait for a user's approval.finished
//   warning  approval.warning == "automatic"   finish, result pass (not warning)
//   warning  anything else                     wait
//   fail     ignored                           finish, result fail
//   other    (empty, "failed", "PASS", ...)    wait
//
// Comparisons are exact and case-sensitive, as in Keptn: an unknown strategy means manual, the
// safe side for a gate. The decision reports such values so that they can be logged.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace kph::plugins::approval {

enum class ApprovalAction { kFinishPass, kFinishFail, kWaitForUser };

struct ApprovalDecision {
  std::string result;    // the effective result the table was read with
  std::string strategy;  // "automatic", "manual" or the configured text, as Keptn reports it
  ApprovalAction action = ApprovalAction::kWaitForUser;
  std::vector<std::string> warnings;  // strategies that are neither automatic nor manual

  // Keptn's text: "Approval strategy for result 'pass': automatic".
  std::string message() const;
};

// The table alone.
ApprovalDecision decide(const std::string& result, const std::string& pass_strategy,
                        const std::string& warning_strategy);

// The effective result of the event's data: data.result when it is a non-empty string, else
// data.evaluation.result (approval first in a sequence chained after an evaluation), else "".
std::string effective_result(const nlohmann::json& data);

// Reads the event's data and decides. A malformed event gives nothing and `error` names the
// field, what was expected and what was found.
std::optional<ApprovalDecision> decide_for_event(const nlohmann::json& data, std::string& error);

}  // namespace kph::plugins::approval
