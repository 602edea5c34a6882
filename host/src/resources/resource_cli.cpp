#include "resources/resource_cli.hpp"

#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>

#include "config/host_config.hpp"
#include "resources/resource_lookup.hpp"
#include "resources/resource_provider_factory.hpp"

namespace kph::host {
namespace {

struct GetOptions {
  std::string config_file;
  ResourceRequest request;
  std::string scope = "inherit";
};

kph_resource_scope scope_of(const std::string& name) {
  if (name == "service") return KPH_SCOPE_SERVICE;
  if (name == "stage") return KPH_SCOPE_STAGE;
  if (name == "project") return KPH_SCOPE_PROJECT;
  return KPH_SCOPE_INHERIT;
}

int get_resource(GetOptions& options) {
  auto config = load_host_config(options.config_file);
  if (!config) {
    std::cerr << config.error().message << "\n";
    return 2;
  }
  auto provider = make_resource_provider(config->resources);
  if (!provider) {
    std::cerr << "keptn-host resource get: " << provider.error().message << "\n";
    return 2;
  }
  if (!*provider) {
    std::cerr << "keptn-host resource get: " << options.config_file
              << " configures no resource provider; add e.g. resources: {provider: git, git: "
                 "{url: ...}} or resources: {provider: local, directory: ./resources}\n";
    return 2;
  }
  options.request.scope = scope_of(options.scope);
  auto content = (*provider)->get(options.request);
  if (!content) {
    std::cerr << "keptn-host resource get: " << content.error().message << "\n";
    return 2;
  }
  if (!content->has_value()) {
    std::cerr << "keptn-host resource get: not found: " << describe_request(options.request)
              << " (scope " << options.scope
              << "); check the names, the URI and, for git, the branch or .keptn-stages folder\n";
    return 1;
  }
  // The raw bytes, as `git show <commit>:<path>` prints them: no newline added.
  std::cout.write((*content)->data(), static_cast<std::streamsize>((*content)->size()));
  std::cout.flush();
  return std::cout.good() ? 0 : 2;
}

}  // namespace

void add_resource_commands(CLI::App& app, int& status) {
  auto options = std::make_shared<GetOptions>();
  auto* resource = app.add_subcommand("resource", "Work with Keptn resources");
  resource->require_subcommand(1);
  auto* get = resource->add_subcommand(
      "get",
      "Print a resource as plugins receive it, from the provider the config's resources: block "
      "selects. Exit 0: printed; 1: not found; 2: the config or the provider failed");
  get->add_option("--config", options->config_file, "Host config file (YAML)")
      ->required()
      ->check(CLI::ExistingFile);
  get->add_option("project", options->request.project, "Keptn project")->required();
  get->add_option("stage", options->request.stage, "Stage (\"\" for none)")->required();
  get->add_option("service", options->request.service, "Service (\"\" for none)")->required();
  get->add_option("uri", options->request.uri, "Resource URI, e.g. slo.yaml or helm/carts.tgz")
      ->required();
  get->add_option("--commit", options->request.git_commit_id,
                  "Read at this git commit (an event's gitcommitid); default: the stage's head");
  get->add_option("--scope", options->scope,
                  "Where to look: inherit (service, then stage, then project), service, stage "
                  "or project")
      ->check(CLI::IsMember({"inherit", "service", "stage", "project"}));
  get->callback([options, &status] { status = get_resource(*options); });
}

}  // namespace kph::host
