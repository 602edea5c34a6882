// Builds the resource provider the `resources:` config block describes.
#pragma once

#include <kph/host/resource_provider.hpp>

#include <memory>

#include "config/resources_settings.hpp"

namespace kph::host {

// Null when nothing is configured (provider local without a directory, and no project
// blocks). An Error names the setting that cannot be used and why. Clones and sends nothing.
Result<std::unique_ptr<ResourceProvider>> make_resource_provider(const ResourcesConfig& config);

}  // namespace kph::host
