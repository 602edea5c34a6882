#include "cli/cli.hpp"

#include <CLI/CLI.hpp>

#include <iostream>

#include "config/host_config.hpp"
#include "loader/plugin_library.hpp"
#include "local/local_mode.hpp"
#include "resources/resource_cli.hpp"
#include "serve/serve_cli.hpp"

namespace kph::host {
namespace {

int inspect_plugin(const std::string& name_or_file, bool markdown) {
  auto file = resolve_plugin(name_or_file);
  if (!file) {
    std::cerr << "keptn-host plugin inspect: " << file.error().message << "\n";
    return 2;
  }
  auto library = PluginLibrary::load(*file);
  if (!library) {
    std::cerr << "keptn-host plugin inspect: " << library.error().message << "\n";
    return 2;
  }
  if (markdown) {
    std::cout << describe_plugin_markdown(**library);
  } else {
    std::cout << describe_plugin(**library).dump(2) << "\n";
  }
  return 0;
}

// Checks the file itself, then that every plugin it names loads and accepts its config.
int check_config(const std::string& file) {
  auto config = load_host_config(file);
  if (!config) {
    std::cerr << config.error().message << "\n";
    return 1;
  }
  int problems = 0;
  for (const auto& plugin : config->plugins) {
    auto resolved = resolve_plugin(plugin.library);
    if (!resolved) {
      std::cerr << plugin.location.to_string() << ": " << resolved.error().message << "\n";
      ++problems;
      continue;
    }
    auto library = PluginLibrary::load(*resolved);
    if (!library) {
      std::cerr << plugin.location.to_string() << ": " << library.error().message << "\n";
      ++problems;
      continue;
    }
    const std::string name = plugin.name.empty() ? (*library)->metadata().name : plugin.name;
    const std::string where = plugin.config_location.to_string() + ": plugins[" + name + "].config";
    if (auto valid = (*library)->validate_config(plugin.config, where); !valid) {
      std::cerr << valid.error().message << "\n";
      ++problems;
    }
  }
  if (problems > 0) return 1;
  std::cout << file << ": ok (" << config->plugins.size() << " plugins, " << config->routes.size()
            << " routes)\n";
  return 0;
}

}  // namespace

int run_cli(int argc, char** argv) {
  CLI::App app{"keptn-host: a Keptn execution plane that runs task-executor plugins"};
  app.set_version_flag("--version", std::string("keptn-host ") + KPH_VERSION +
                                        " (plugin API " KPH_PLUGIN_API_VERSION_STR ")");
  app.require_subcommand(1);
  int status = 0;

  LocalRunOptions run_options;
  std::string config_file, resources_dir, events_file;
  auto* run = app.add_subcommand(
      "run",
      "Local mode: read CloudEvents as JSON lines from --events or stdin, run the "
      "plugins' tasks, write every emitted event as a JSON line to stdout");
  run->add_option("--config", config_file, "Host config file (YAML)")->check(CLI::ExistingFile);
  run->add_option("--plugin", run_options.setup.plugins,
                  "Plugin to load: a NAME on the plugin search path, or a FILE.so; repeatable");
  run->add_option("--resources", resources_dir,
                  "Folder of Keptn resources, laid out <project>/<stage>/<service>/<uri>")
      ->check(CLI::ExistingDirectory);
  run->add_option("--events", events_file, "File of CloudEvents, one JSON object per line")
      ->check(CLI::ExistingFile);
  run->callback([&] {
    if (!config_file.empty()) run_options.setup.config_file = config_file;
    if (!resources_dir.empty()) run_options.setup.resources = resources_dir;
    if (!events_file.empty()) run_options.events = events_file;
    status = run_local(run_options);
  });

  auto* plugin = app.add_subcommand("plugin", "Work with plugin files");
  plugin->require_subcommand(1);
  std::string inspect_target;
  bool markdown = false;
  auto* inspect = plugin->add_subcommand(
      "inspect",
      "Load a plugin and print its metadata as JSON; exits non-zero with the "
      "reason when the plugin is refused");
  inspect->add_option("plugin", inspect_target, "NAME on the plugin search path, or FILE.so")
      ->required();
  inspect->add_flag("--markdown", markdown, "Print the README section instead of JSON");
  inspect->callback([&] { status = inspect_plugin(inspect_target, markdown); });

  auto* config = app.add_subcommand("config", "Work with host config files");
  config->require_subcommand(1);
  std::string check_target;
  auto* check = config->add_subcommand(
      "check",
      "Check a host config file and the plugins it names; prints every error with "
      "its file:line:column");
  check->add_option("file", check_target, "Host config file (YAML)")->required();
  check->callback([&] { status = check_config(check_target); });

  add_serve_commands(app, status);
  add_resource_commands(app, status);

  CLI11_PARSE(app, argc, argv);
  return status;
}

}  // namespace kph::host
