// The parts of a get-sli.triggered event the provider works with, checked.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "parsed.hpp"
#include "query_builder.hpp"

namespace kph::plugins::prometheus_sli {

struct GetSliRequest {
  std::string project;
  std::string stage;
  std::string service;
  std::vector<std::pair<std::string, std::string>> labels;
  std::string deployment;  // resolved: labels.deployment, else data.deployment, else "primary"
  std::string start;       // verbatim, echoed in the reply
  std::string end;
  std::vector<std::string> indicators;  // in order; duplicates are queried again
  std::vector<CustomFilter> filters;
};

// data.get-sli.sliProvider when it is a string; nothing otherwise (the event is not for any
// provider this plugin could be).
std::optional<std::string> sli_provider_of(const nlohmann::json& data);

// Reads and checks the event's data. An error names the field, what was expected and what was
// found, e.g. "field 'get-sli.indicators[1]': expected an indicator name (string), found 42".
Parsed<GetSliRequest> parse_get_sli_request(const nlohmann::json& data);

}  // namespace kph::plugins::prometheus_sli
