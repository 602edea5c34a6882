// The request targets of Keptn's resource-service API (reference section 6.1):
//   {base}/v1/project/{project}[/stage/{stage}[/service/{service}]]/resource/{resourceURI}
// with the resource URI percent-encoded into ONE path segment ("helm/carts.tgz" becomes
// "helm%2Fcarts.tgz"), and ?gitCommitID=<sha> when the event names a commit.
#pragma once

#include <string>
#include <string_view>

#include "resources/resource_lookup.hpp"

namespace kph::host {

// Every byte but A-Z a-z 0-9 - . _ ~ as %XX (upper-case hex), so '/' becomes %2F.
std::string percent_encode(std::string_view text);

// The path and query for one level of a request; `base_path` is the base URL's path
// ("" or "/api/resource-service"), without a trailing '/'.
std::string resource_service_target(std::string_view base_path, const ResourceRequest& request,
                                    ResourceLevel level);

}  // namespace kph::host
