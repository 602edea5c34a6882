// The command-line side of serve mode: the `serve` and `send` subcommands, registered on the
// host's CLI app.
#pragma once

namespace CLI {
class App;
}

namespace kph::host {

// Adds `serve` and `send` to `app`; the chosen one's exit status is stored in `status`.
// The options stay alive in storage owned by the app's callbacks.
void add_serve_commands(CLI::App& app, int& status);

}  // namespace kph::host
