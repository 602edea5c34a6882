#include "cli/cli.hpp"

#include <CLI/CLI.hpp>

#include <iostream>

namespace kph::host {

int run_cli(int argc, char** argv) {
  CLI::App app{"keptn-host: a Keptn execution plane that runs task-executor plugins"};
  app.set_version_flag("--version", std::string("keptn-host ") + KPH_VERSION);
  app.require_subcommand(1);
  CLI11_PARSE(app, argc, argv);
  return 0;
}

}  // namespace kph::host
