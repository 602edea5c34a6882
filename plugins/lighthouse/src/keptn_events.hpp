// The data blocks of the events lighthouse reads and writes, with go-utils v0.20.4's field names,
// decoding rules (see go_json.hpp) and JSON output rules (which fields are left out when empty,
// which are null).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace kph::plugins::lighthouse {

// The fields every Keptn event's data has (go-utils EventData); all are left out when empty.
struct EventData {
  std::string project;
  std::string stage;
  std::string service;
  std::map<std::string, std::string> labels;
  std::string status;
  std::string result;
  std::string message;
};

// One SLI value (go-utils SLIResult).
struct SliValue {
  std::string metric;
  double value = 0;
  double compared_value = 0;
  bool success = false;
  std::string message;  // left out when empty
};

struct GetSliFinished : EventData {
  std::string start;
  std::string end;
  std::vector<SliValue> indicator_values;  // null entries are skipped
};

struct EvaluationTriggered : EventData {
  std::string test_start;
  std::string test_end;
  std::string evaluation_start;
  std::string evaluation_end;
  std::string timeframe;
  std::vector<std::string> deployment_names;
};

struct SliTarget {
  std::string criteria;
  double target_value = 0;
  bool violated = false;
};

// One entry of evaluation.indicatorResults (go-utils SLIEvaluationResult).
struct IndicatorResult {
  double score = 0;
  std::optional<SliValue> value;  // null when absent
  std::string display_name;
  std::optional<std::vector<SliTarget>> pass_targets;  // null versus [] matters
  std::optional<std::vector<SliTarget>> warning_targets;
  bool key_sli = false;
  std::string status;
};

struct EvaluationDetails {
  std::string time_start;
  std::string time_end;
  std::string result;
  double score = 0;
  std::string slo_file_content;
  std::optional<std::vector<IndicatorResult>> indicator_results;  // null when absent
  std::vector<std::string> compared_events;                       // left out when empty
};

struct EvaluationFinished : EventData {
  EvaluationDetails evaluation;
};

template <typename T>
struct Decoded {
  T value;            // as far as it decoded; Go keeps decoding past type errors
  std::string error;  // Go's first type error, empty when none
};

// Each takes the event's data (null or absent decodes to empty values, as in Go).
Decoded<GetSliFinished> decode_get_sli_finished(const nlohmann::json& data);
Decoded<EvaluationTriggered> decode_evaluation_triggered(const nlohmann::json& data);
Decoded<EvaluationFinished> decode_evaluation_finished(const nlohmann::json& data);

// A double as Go's encoding/json writes it would read back: integral values become JSON
// integers so that they print as 100, not 100.0.
nlohmann::json json_number(double value);

nlohmann::json to_json(const EventData& data);
nlohmann::json to_json(const SliValue& value);
nlohmann::json to_json(const SliTarget& target);
nlohmann::json to_json(const IndicatorResult& result);
nlohmann::json to_json(const EvaluationDetails& details);
nlohmann::json to_json(const EvaluationFinished& finished);

}  // namespace kph::plugins::lighthouse
