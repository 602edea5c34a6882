// `keptn-host resource get`: prints one resource the way a plugin would receive it, for
// operators checking that a resources config reaches the right files.
#pragma once

namespace CLI {
class App;
}

namespace kph::host {

// Adds `resource get` to `app`; its exit status is stored in `status`: 0 printed, 1 not found,
// 2 the config or the provider failed.
void add_resource_commands(CLI::App& app, int& status);

}  // namespace kph::host
