#include "history.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <set>

namespace kph::plugins::lighthouse {
namespace {

using nlohmann::json;

// A string member of a JSON object; nothing when it is absent or not a string.
std::optional<std::string> string_member(const json& object, const char* key) {
  if (!object.is_object()) return std::nullopt;
  const auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

std::string lower(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

}  // namespace

int64_t comparison_count(const Comparison& comparison) {
  if (comparison.compare_with == "single_result") return 1;
  if (comparison.compare_with == "several_results") {
    return comparison.number_of_comparison_results;
  }
  return 3;
}

bool comparison_count_supported(int64_t count) { return count >= 1 && count <= 100; }

std::vector<PreviousEvaluation> select_previous_evaluations(const json& finished_events,
                                                            const json& invalidated_events,
                                                            const HistoryScope& scope,
                                                            const Comparison& comparison) {
  // The datastore joins on triggeredid; an event without one matches an invalidation without
  // one, as MongoDB's $lookup does for missing fields.
  std::set<std::optional<std::string>> invalidated;
  if (invalidated_events.is_array()) {
    for (const auto& event : invalidated_events) {
      if (event.is_object()) invalidated.insert(string_member(event, "triggeredid"));
    }
  }

  const std::string include = lower(comparison.include_result_with_score);
  std::vector<const json*> candidates;
  if (finished_events.is_array()) {
    for (const auto& event : finished_events) {
      if (!event.is_object()) continue;
      const auto data_it = event.find("data");
      if (data_it == event.end() || !data_it->is_object()) continue;
      const json& data = *data_it;
      if (string_member(data, "project") != scope.project ||
          string_member(data, "stage") != scope.stage ||
          string_member(data, "service") != scope.service) {
        continue;
      }
      const auto result = string_member(data, "result");
      if (include == "pass" && result != "pass") continue;
      if (include == "pass_or_warn" && result != "pass" && result != "warning") continue;
      if (invalidated.count(string_member(event, "triggeredid")) > 0) continue;
      candidates.push_back(&event);
    }
  }
  // Newest first by the CloudEvent time, compared as text like the datastore's sort; events
  // without a time sort last; ties keep the store's order.
  std::stable_sort(candidates.begin(), candidates.end(), [](const json* a, const json* b) {
    return string_member(*a, "time").value_or("") > string_member(*b, "time").value_or("");
  });

  const int64_t count = comparison_count(comparison);
  std::vector<PreviousEvaluation> out;
  for (int64_t i = 0; i < count && i < static_cast<int64_t>(candidates.size()); ++i) {
    const json& event = *candidates[static_cast<size_t>(i)];
    auto decoded = decode_evaluation_finished(event.at("data"));
    if (!decoded.error.empty()) continue;
    out.push_back(
        PreviousEvaluation{string_member(event, "id").value_or(""), std::move(decoded.value)});
  }
  return out;
}

}  // namespace kph::plugins::lighthouse
