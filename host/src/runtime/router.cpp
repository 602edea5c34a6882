#include "runtime/router.hpp"

#include <algorithm>

#include "common/cloud_event.hpp"
#include "common/event_type.hpp"

namespace kph::host {
namespace {

bool listed(const std::vector<std::string>& allowed, const std::string& value) {
  return allowed.empty() || std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

}  // namespace

std::vector<std::string> Router::route(const nlohmann::json& event) const {
  std::vector<std::string> targets;
  const std::string type = event_string(event, "type");
  const std::string project = event_data_string(event, "project");
  const std::string stage = event_data_string(event, "stage");
  const std::string service = event_data_string(event, "service");
  for (const auto& route : routes_) {
    if (!matches_pattern(route.event_pattern, type)) continue;
    if (!listed(route.projects, project) || !listed(route.stages, stage) ||
        !listed(route.services, service)) {
      continue;
    }
    if (std::find(targets.begin(), targets.end(), route.instance) == targets.end()) {
      targets.push_back(route.instance);
    }
  }
  return targets;
}

}  // namespace kph::host
