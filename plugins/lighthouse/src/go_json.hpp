// Decoding JSON into typed values the way Go's encoding/json does: keys match exactly or
// ignoring ASCII case, unknown keys are ignored, null leaves a value unset, and a value of the
// wrong kind is a type error that decoding records (the first one only) and carries on past.
// lighthouse-service reports such errors as "Could not parse event payload: <Go's text>", so
// the texts are Go's.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace kph::plugins::lighthouse {

// Where a value sits, for error texts: the Go struct that holds the field and the dotted path of
// JSON names from the top. Both empty for the top-level value.
struct GoPlace {
  std::string struct_name;
  std::string path;

  GoPlace field(std::string_view holder, std::string_view name) const;
};

class GoJsonDecoder {
 public:
  // "json: cannot unmarshal string into Go struct field SLIResult.get-sli.indicatorValues.value
  // of type float64"; empty while no error was seen.
  const std::string& error() const { return error_; }

  // Records a type error unless one was recorded before.
  void type_error(const nlohmann::json& found, std::string_view go_type, const GoPlace& place);

  // The member Go would decode into the field `name`: an exact key, else a key equal ignoring
  // ASCII case; the last one wins. Nothing when absent.
  static const nlohmann::json* member(const nlohmann::json& object, std::string_view name);

  void read(const nlohmann::json& value, std::string& out, const GoPlace& place);
  void read(const nlohmann::json& value, double& out, const GoPlace& place);
  void read(const nlohmann::json& value, bool& out, const GoPlace& place);
  void read(const nlohmann::json& value, std::map<std::string, std::string>& out,
            const GoPlace& place);
  void read(const nlohmann::json& value, std::vector<std::string>& out, const GoPlace& place);

  // True when value is an object to decode into go_type; null is false without an error.
  bool object(const nlohmann::json& value, std::string_view go_type, const GoPlace& place);
  // True when value is an array to decode into go_type; null is false without an error.
  bool array(const nlohmann::json& value, std::string_view go_type, const GoPlace& place);

 private:
  std::string error_;
};

}  // namespace kph::plugins::lighthouse
