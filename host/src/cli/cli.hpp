// The keptn-host command line: `run`, `plugin inspect`, `config check`.
#pragma once

namespace kph::host {

// Parses argv, runs the chosen command and returns the process exit status.
int run_cli(int argc, char** argv);

}  // namespace kph::host
