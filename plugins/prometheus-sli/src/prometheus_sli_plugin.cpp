// The prometheus-sli plugin: answers get-sli.triggered for its SLI provider name with the
// values of the requested indicators, queried from Prometheus.
#include <kph/sdk.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "get_sli_request.hpp"
#include "prometheus_client.hpp"
#include "settings.hpp"
#include "sli_file.hpp"
#include "sli_retrieval.hpp"

namespace kph::plugins::prometheus_sli {
namespace {

constexpr const char* kGetSliTriggered = "sh.keptn.event.get-sli.triggered";
constexpr const char* kSliFile = "prometheus/sli.yaml";

class PrometheusSliPlugin : public kph::sdk::Plugin {
 public:
  static nlohmann::json metadata() {
    return {{"name", "prometheus-sli"},
            {"version", "0.1.0"},
            {"vendor", "keptn-host"},
            {"description",
             "SLI provider: answers get-sli.triggered for sliProvider \"prometheus\" with the "
             "indicators' values, queried from Prometheus with prometheus/sli.yaml queries or "
             "the built-in ones."},
            {"subscriptions", {kGetSliTriggered}},
            {"configSchema", config_schema()}};
  }

  PrometheusSliPlugin(kph::sdk::Host host, const nlohmann::json& config)
      : Plugin(host), settings_(load(config)) {
    if (!settings_.default_connection && settings_.projects.empty()) {
      host.log(KPH_LOG_WARNING,
               "prometheus-sli: no `url` and no `projects` in the config; every get-sli request "
               "will be answered errored until one is set");
    }
    for (const Connection* connection : connections()) {
      if (connection->insecure_skip_verify) {
        host.log(KPH_LOG_WARNING, "prometheus-sli: " + connection->where +
                                      " accepts any TLS certificate (insecureSkipVerify)");
      }
      // A secret that is unreadable now is worth knowing at start, though it is read again
      // for every request (a mounted secret may appear later).
      if (auto credentials = read_credentials(*connection); !credentials.ok()) {
        host.log(KPH_LOG_WARNING, "prometheus-sli: " + credentials.error);
      }
    }
  }

  kph_result accept(const kph::sdk::Task& task, uint32_t& flags) override {
    (void)flags;
    if (task.type() != kGetSliTriggered) return KPH_NOT_SUPPORTED;
    const auto data = task.event.contains("data") ? task.event["data"] : nlohmann::json();
    const auto provider = sli_provider_of(data);
    if (!provider || *provider != settings_.sli_provider) {
      host().log(KPH_LOG_DEBUG,
                 "prometheus-sli: not answering get-sli for sliProvider '" +
                     provider.value_or("<none>") + "' (this instance answers '" +
                     settings_.sli_provider + "')",
                 task.id);
      return KPH_NOT_SUPPORTED;
    }
    return KPH_OK;
  }

  kph_result handle(const kph::sdk::Task& task) override {
    const std::string event_id = task.event.value("id", std::string("<no id>"));
    const auto data = task.event.contains("data") ? task.event["data"] : nlohmann::json();
    const auto request = parse_get_sli_request(data);
    if (!request.ok()) {
      return answer(task, errored_data("get-sli.triggered " + event_id + ": " + request.error +
                                       ". The sender (lighthouse) must send a valid get-sli "
                                       "request."));
    }
    const GetSliRequest& req = *request.value;

    const Connection* connection = settings_.connection_for(req.project);
    if (connection == nullptr) {
      return answer(task, errored_data("no Prometheus configured for project '" + req.project +
                                           "': set `url` or `projects." + req.project +
                                           ".url` in the prometheus-sli plugin config",
                                       req.start, req.end));
    }
    auto credentials = read_credentials(*connection);
    if (!credentials.ok()) {
      return answer(task, errored_data("failed to get Prometheus credentials for project '" +
                                           req.project + "': " + credentials.error,
                                       req.start, req.end));
    }

    auto queries = load_queries(task, req);
    if (!queries.ok()) {
      return answer(task, errored_data("unable to retrieve custom queries for project " +
                                           req.project + ": " + queries.error,
                                       req.start, req.end));
    }

    const PrometheusClient client(*connection, std::move(*credentials.value));
    const auto values = retrieve_indicators(
        req, *queries.value,
        [&](const std::string& query, const std::string& time) {
          host().log(KPH_LOG_DEBUG, "prometheus-sli: query at " + time + ": " + query, task.id);
          return client.instant_query(query, time);
        },
        [&] { return host().is_cancelled(task.id); });
    if (host().is_cancelled(task.id)) {
      kph::sdk::last_error() = "the host cancelled the task before all indicators were queried";
      return KPH_CANCELLED;
    }
    size_t failed = 0;
    for (const auto& value : values) {
      if (!value.outcome.success) {
        ++failed;
        host().log(KPH_LOG_INFO, "prometheus-sli: " + value.metric + ": " + value.outcome.message,
                   task.id);
      }
    }
    host().log(KPH_LOG_INFO,
               "prometheus-sli: " + std::to_string(values.size() - failed) + " of " +
                   std::to_string(values.size()) + " indicators retrieved for " + req.project +
                   "/" + req.stage + "/" + req.service,
               task.id);
    return answer(task, finished_data(req, values));
  }

 private:
  static Settings load(const nlohmann::json& config) {
    auto settings = parse_settings(config);
    if (!settings.ok()) throw std::invalid_argument("prometheus-sli config: " + settings.error);
    return std::move(*settings.value);
  }

  std::vector<const Connection*> connections() const {
    std::vector<const Connection*> all;
    if (settings_.default_connection) all.push_back(&*settings_.default_connection);
    for (const auto& [name, connection] : settings_.projects) all.push_back(&connection);
    return all;
  }

  // Reads prometheus/sli.yaml at project, stage and service level; a level whose name is
  // empty in the event is skipped, as is a level without the file.
  Parsed<IndicatorQueries> load_queries(const kph::sdk::Task& task, const GetSliRequest& req) {
    struct Level {
      kph_resource_scope scope;
      std::string name;
      bool present;
    };
    const std::vector<Level> levels = {
        {KPH_SCOPE_PROJECT, "project '" + req.project + "'", !req.project.empty()},
        {KPH_SCOPE_STAGE, "stage '" + req.stage + "'", !req.project.empty() && !req.stage.empty()},
        {KPH_SCOPE_SERVICE, "service '" + req.service + "'",
         !req.project.empty() && !req.stage.empty() && !req.service.empty()},
    };
    std::vector<SliFileSource> sources;
    for (const auto& level : levels) {
      if (!level.present) continue;
      SliFileSource source;
      source.where = std::string(kSliFile) + " of " + level.name;
      const auto fetched = host().resource(task.id, kSliFile, level.scope);
      if (fetched.ok()) {
        source.content = fetched.content;
      } else if (fetched.rc != KPH_NOT_FOUND) {
        return Parsed<IndicatorQueries>::failure("cannot read " + source.where + ": " +
                                                 fetched.error);
      }
      sources.push_back(std::move(source));
    }
    return merge_sli_files(sources);
  }

  kph_result answer(const kph::sdk::Task& task, const nlohmann::json& data) {
    if (data.value("status", "") == "errored") {
      host().log(KPH_LOG_WARNING, "prometheus-sli: " + data.value("message", ""), task.id);
    }
    const kph_result rc = finish(task, data);
    if (rc != KPH_OK) {
      kph::sdk::last_error() = "sending get-sli.finished failed: " + host().error();
      return host().is_cancelled(task.id) ? KPH_CANCELLED : KPH_ERROR;
    }
    return KPH_OK;
  }

  SslLibrary ssl_;
  Settings settings_;
};

}  // namespace
}  // namespace kph::plugins::prometheus_sli

KPH_PLUGIN(kph::plugins::prometheus_sli::PrometheusSliPlugin)
