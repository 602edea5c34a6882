// What every resource provider shares: the checks on a request's names and URI, and the order
// in which the service, stage and project levels are searched. Keeping this in one place is
// what makes the providers answer alike.
#pragma once

#include <kph/host/resource_provider.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace kph::host {

enum class ResourceLevel { kService, kStage, kProject };

// "service", "stage" or "project".
std::string_view level_name(ResourceLevel level);

// The levels to search, most specific first. A request without a service skips the service
// level, one without a stage also the stage level; KPH_SCOPE_* narrows the search to one level.
// An Error (saying which name and why) for a refused URI, a project/stage/service name that
// could leave its root, or an unknown scope. No I/O.
Result<std::vector<ResourceLevel>> lookup_levels(const ResourceRequest& request);

// "slo.yaml for project sockshop, stage dev, service carts": the request in messages.
std::string describe_request(const ResourceRequest& request);

// The largest resource any provider returns. Helm charts are the big ones, and a few MiB.
inline constexpr size_t kMaxResourceBytes = 64u * 1024u * 1024u;

}  // namespace kph::host
