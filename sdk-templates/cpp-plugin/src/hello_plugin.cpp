// hello: a small task executor for keptn-host.
//
// It takes sh.keptn.event.hello.triggered, greets the event's service (or the name given in
// data.hello.name) and finishes the task with the greeting. Rename it, change metadata() and
// handle(), and you have your own integration.
#include <kph/sdk.hpp>

#include <string>

namespace example::hello {

class HelloPlugin : public kph::sdk::Plugin {
 public:
  // The config has already been validated against configSchema below.
  HelloPlugin(kph::sdk::Host host, const nlohmann::json& config)
      : Plugin(host), greeting_(config.value("greeting", "Hello")) {}

  // What the host reads from the binary: `keptn-host plugin inspect hello.so` prints it.
  static nlohmann::json metadata() {
    return {{"name", "hello"},  // lower-case letters, digits, '-': the source of every event sent
            {"version", "0.1.0"},
            {"vendor", "Example Vendor"},
            {"description", "Greets the service of a hello task and finishes it."},
            {"subscriptions", {"sh.keptn.event.hello.triggered"}},
            {"configSchema",
             {{"type", "object"},
              {"additionalProperties", false},
              {"properties",
               {{"greeting",
                 {{"type", "string"},
                  {"minLength", 1},
                  {"default", "Hello"},
                  {"description", "The word the greeting starts with."}}}}}}}};
  }

  // Called on a host worker thread, possibly for several tasks at once: keep per-task state
  // local. The host has already sent .started.
  kph_result handle(const kph::sdk::Task& task) override {
    std::string who = task.service();
    const auto& data = task.data();
    if (auto hello = data.find("hello"); hello != data.end() && hello->is_object()) {
      who = hello->value("name", who);
    }
    const std::string text =
        greeting_ + ", " + who + " in " + task.project() + "/" + task.stage() + "!";
    host().log(KPH_LOG_INFO, "greeting " + who, task.id);

    // Exactly one .finished per task. Task results go under the task's name, as in Keptn.
    finish(task, {{"status", "succeeded"},
                  {"result", "pass"},
                  {"message", text},
                  {"hello", {{"greeting", text}}}});
    return KPH_OK;
  }

 private:
  const std::string greeting_;
};

}  // namespace example::hello

// Generates the kph_plugin_* exports; exceptions thrown by the class become KPH_ERROR plus
// the exception's text, which the host puts into an errored .finished.
KPH_PLUGIN(example::hello::HelloPlugin)
