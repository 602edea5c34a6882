#include "serve/serve_cli.hpp"

#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>

#include "config/host_config.hpp"
#include "serve/send_command.hpp"
#include "serve/serve_mode.hpp"

namespace kph::host {
namespace {

struct ServeFlags {
  ServeOptions options;
  std::string config_file;
  std::string resources_dir;
  std::string shutdown_grace;
  std::string log_format = "text";
  std::string log_level = "info";
};

struct SendFlags {
  SendOptions options;
  std::string config_file;
};

LogLevel level_of(const std::string& name) {
  if (name == "debug") return LogLevel::kDebug;
  if (name == "warning") return LogLevel::kWarning;
  if (name == "error") return LogLevel::kError;
  return LogLevel::kInfo;
}

}  // namespace

void add_serve_commands(CLI::App& app, int& status) {
  auto serve_flags = std::make_shared<ServeFlags>();
  auto* serve = app.add_subcommand(
      "serve",
      "The in-cluster daemon: take .triggered events from NATS (a durable JetStream "
      "consumer, or core NATS queue groups), run the plugins' tasks, publish "
      ".started/.finished; SIGTERM drains, SIGHUP reloads plugins and routes");
  serve
      ->add_option("--config", serve_flags->config_file,
                   "Host config file (YAML) with controlPlane.mode: nats")
      ->check(CLI::ExistingFile);
  serve->add_option("--nats", serve_flags->options.nats_url,
                    "NATS URL (default: the config's, else $NATS_URL, $EVENTBROKER, "
                    "nats://keptn-nats:4222)");
  serve->add_option("--plugin", serve_flags->options.setup.plugins,
                    "Plugin to load: a NAME on the plugin search path, or a FILE.so; repeatable");
  serve
      ->add_option("--resources", serve_flags->resources_dir,
                   "Folder of Keptn resources, laid out <project>/<stage>/<service>/<uri>")
      ->check(CLI::ExistingDirectory);
  serve->add_option("--consumer", serve_flags->options.consumer,
                    "Durable consumer name (default: keptn-host-<plugin names>)");
  serve->add_option("--stream", serve_flags->options.stream, "JetStream stream (default: keptn)");
  serve
      ->add_option("--metrics-port", serve_flags->options.metrics_port,
                   "Port of /healthz, /readyz and /metrics (default 8080; 0: off)")
      ->check(CLI::Range(0, 65535));
  serve->add_option("--metrics-address", serve_flags->options.metrics_address,
                    "Address the endpoints listen on (default 0.0.0.0)");
  serve->add_option("--shutdown-grace", serve_flags->shutdown_grace,
                    "How long running tasks may finish after SIGTERM, e.g. 25s");
  serve->add_option("--log-format", serve_flags->log_format, "text or json (JSON lines)")
      ->check(CLI::IsMember({"text", "json"}));
  serve->add_option("--log-level", serve_flags->log_level, "debug, info, warning or error")
      ->check(CLI::IsMember({"debug", "info", "warning", "error"}));
  serve->callback([serve_flags, &status] {
    ServeFlags& f = *serve_flags;
    if (!f.config_file.empty()) f.options.setup.config_file = f.config_file;
    if (!f.resources_dir.empty()) f.options.setup.resources = f.resources_dir;
    if (!f.shutdown_grace.empty()) {
      auto grace = parse_duration(f.shutdown_grace);
      if (!grace) {
        std::cerr << "keptn-host serve: --shutdown-grace: " << grace.error().message << "\n";
        status = 2;
        return;
      }
      f.options.shutdown_grace = *grace;
    }
    f.options.log_format = f.log_format == "json" ? LogFormat::kJson : LogFormat::kText;
    f.options.log_level = level_of(f.log_level);
    status = run_serve(f.options);
  });

  auto send_flags = std::make_shared<SendFlags>();
  auto* send = app.add_subcommand(
      "send",
      "Publish CloudEvents onto the control plane's NATS (JetStream: waits for the "
      "server's acknowledgement and prints it)");
  send->add_option("--config", send_flags->config_file, "Host config file (YAML)")
      ->check(CLI::ExistingFile);
  send->add_option("--nats", send_flags->options.nats_url, "NATS URL (overrides the config's)");
  send->add_option("--stream", send_flags->options.stream, "JetStream stream (default: keptn)");
  send->add_option("--event", send_flags->options.events,
                   "File with one CloudEvent (JSON) or JSON lines; - for stdin")
      ->required();
  send->callback([send_flags, &status] {
    if (!send_flags->config_file.empty()) {
      send_flags->options.config_file = send_flags->config_file;
    }
    status = run_send(send_flags->options);
  });
}

}  // namespace kph::host
