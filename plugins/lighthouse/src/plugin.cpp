// The lighthouse plugin: Keptn's SLO quality gate. On sh.keptn.event.evaluation.triggered it
// asks the configured SLI provider for values (sh.keptn.event.get-sli.triggered) and keeps the
// task open without blocking a thread; the host hands the get-sli.finished reply (or its
// absence) to on_child_event, which scores the values and finishes the task. The evaluation
// logic lives in lighthouse_core; this file only connects it to the host.
#include <kph/sdk.hpp>

#include <mutex>
#include <stdexcept>
#include <string>
#include <unordered_map>

#include "evaluation_flow.hpp"
#include "lighthouse_config.hpp"

namespace kph::plugins::lighthouse {

using nlohmann::json;

class LighthousePlugin final : public kph::sdk::Plugin {
 public:
  static json metadata() {
    return {{"name", "lighthouse"},
            {"version", "1.0.0"},
            {"vendor", "keptn-host"},
            {"description",
             "Keptn's SLO quality gate (lighthouse-service 1.4.5 semantics): scores the SLIs an "
             "SLI provider returns against slo.yaml and earlier evaluations, and sends "
             "sh.keptn.event.evaluation.finished."},
            {"subscriptions", {"sh.keptn.event.evaluation.triggered"}},
            {"configSchema", config_schema()},
            // A resumed evaluation asks the provider again; the result only depends on the
            // event, slo.yaml, the SLIs and the history.
            {"resumable", true}};
  }

  LighthousePlugin(kph::sdk::Host host, const json& config) : Plugin(host) {
    auto parsed = parse_config(config);
    if (!parsed.config) throw std::invalid_argument(parsed.error);
    config_ = *parsed.config;
  }

  kph_result handle(const kph::sdk::Task& task) override {
    const json& data = event_data(task.event);
    const StartOutcome start = start_evaluation(data, config_, slo_reader(task.id), go_now());
    log_details(task.id, start.details);
    if (start.finished) return finish_with(task, *start.finished);

    remember(task.id, Waiting{start.window, start.sli_provider});
    const auto id = host().emit(task.id, "sh.keptn.event.get-sli.triggered", start.get_sli,
                                config_.sli_timeout);
    if (!id) {
      forget(task.id);
      return finish_with(task,
                         unanswered_evaluation(
                             data, start.window,
                             "could not send sh.keptn.event.get-sli.triggered: " + host().error()));
    }
    host().log(KPH_LOG_INFO,
               "asked SLI provider \"" + start.sli_provider + "\" for SLIs from " +
                   start.window.start + " to " + start.window.end +
                   " (sh.keptn.event.get-sli.triggered " + *id + ")",
               task.id);
    return KPH_PENDING;
  }

  kph_result on_child_event(const kph::sdk::Task& task, kph_result rc, const json& reply) override {
    const Waiting waiting = forget(task.id);
    const json& triggered = event_data(task.event);
    if (rc == KPH_OK) {
      const FinishOutcome outcome =
          finish_evaluation(event_data(reply), slo_reader(task.id), event_reader(task.id));
      log_details(task.id, outcome.details);
      return finish_with(task, outcome.finished);
    }
    const std::string provider = "SLI provider \"" + waiting.provider + "\"";
    const std::string message =
        rc == KPH_TIMEOUT
            ? "no sh.keptn.event.get-sli.finished arrived within " + seconds_text() + " from " +
                  provider + "; check that an SLI provider for \"" + waiting.provider +
                  "\" runs and answers, or raise sliTimeoutSeconds"
            : "the evaluation was cancelled while waiting for sh.keptn.event.get-sli.finished "
              "from " +
                  provider + " (keptn-host is stopping)";
    return finish_with(task, unanswered_evaluation(triggered, waiting.window, message));
  }

  void cancel(const kph::sdk::Task& task) override { forget(task.id); }

 private:
  struct Waiting {
    EvaluationWindow window;
    std::string provider;
  };

  std::string seconds_text() const {
    const auto seconds = config_.sli_timeout.count();
    return std::to_string(seconds) + (seconds == 1 ? " second" : " seconds");
  }

  static const json& event_data(const json& event) {
    static const json kNull = nullptr;
    if (!event.is_object()) return kNull;
    const auto it = event.find("data");
    return it == event.end() ? kNull : *it;
  }

  SloReader slo_reader(kph_task_id task) const {
    const kph_resource_scope scope = config_.slo_inherit ? KPH_SCOPE_INHERIT : KPH_SCOPE_SERVICE;
    return [this, task, scope] {
      const auto fetched = host().resource(task, "slo.yaml", scope);
      ResourceFetch out;
      if (fetched.rc == KPH_OK) {
        out.status = ResourceFetch::Status::found;
        out.content = fetched.content;
      } else if (fetched.rc == KPH_NOT_FOUND) {
        out.status = ResourceFetch::Status::not_found;
      } else {
        out.status = ResourceFetch::Status::failed;
        out.error = fetched.error.empty() ? "the resource provider failed" : fetched.error;
      }
      return out;
    };
  }

  EventReader event_reader(kph_task_id task) const {
    return [this, task](const json& query) {
      EventQuery out;
      const auto fetched = host().events(task, query);
      if (!fetched.ok()) {
        out.error = fetched.error.empty() ? "the event store failed" : fetched.error;
        return out;
      }
      auto events = json::parse(fetched.content, nullptr, false);
      if (!events.is_array()) {
        out.error = "the event store answered with something that is not a JSON array of events";
        return out;
      }
      out.ok = true;
      out.events = std::move(events);
      return out;
    };
  }

  kph_result finish_with(const kph::sdk::Task& task, const json& data) {
    if (finish(task, data) == KPH_OK) return KPH_OK;
    kph::sdk::last_error() = "could not send sh.keptn.event.evaluation.finished: " + host().error();
    return KPH_ERROR;
  }

  void log_details(kph_task_id task, const std::vector<std::string>& details) const {
    for (const auto& line : details) host().log(KPH_LOG_WARNING, line, task);
  }

  void remember(kph_task_id task, Waiting waiting) {
    std::lock_guard<std::mutex> lock(waiting_mutex_);
    waiting_[task] = std::move(waiting);
  }

  Waiting forget(kph_task_id task) {
    std::lock_guard<std::mutex> lock(waiting_mutex_);
    Waiting out;
    if (const auto it = waiting_.find(task); it != waiting_.end()) {
      out = std::move(it->second);
      waiting_.erase(it);
    }
    return out;
  }

  LighthouseConfig config_;
  std::mutex waiting_mutex_;
  std::unordered_map<kph_task_id, Waiting> waiting_;
};

}  // namespace kph::plugins::lighthouse

KPH_PLUGIN(kph::plugins::lighthouse::LighthousePlugin)
