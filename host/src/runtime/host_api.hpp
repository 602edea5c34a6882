// The kph_host_api vtable handed to every plugin. Each entry checks the owner handle and the
// task id, then calls into the engine; nothing throws back into the plugin.
#pragma once

#include <kph/plugin_api.h>

namespace kph::host {

const kph_host_api& host_api_table();

}  // namespace kph::host
