// keptn-host: entry point. Only argument parsing lives here; everything else is in
// kph_host_core so tests run the same code.
#include "cli/cli.hpp"

int main(int argc, char** argv) { return kph::host::run_cli(argc, argv); }
