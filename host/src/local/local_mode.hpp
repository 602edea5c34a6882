// `keptn-host run`: local mode. CloudEvents come in as JSON lines from a file or standard
// input and are processed as they arrive; every emitted event goes to standard output.
#pragma once

#include <filesystem>
#include <optional>

#include "local/host_setup.hpp"

namespace kph::host {

struct LocalRunOptions {
  SetupOptions setup;
  std::optional<std::filesystem::path> events;  // standard input when absent
};

// Exit status: 0 once the input ended and no task runs (tasks left open are listed on
// standard error); 2 for a bad config or plugin.
int run_local(const LocalRunOptions& options);

}  // namespace kph::host
