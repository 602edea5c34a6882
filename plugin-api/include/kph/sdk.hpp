// keptn-host C++ plugin SDK (header-only).
//
// Derive from kph::sdk::Plugin, give the class a static metadata() and a constructor taking
// (kph::sdk::Host, const nlohmann::json& config), then write KPH_PLUGIN(YourClass) once in one
// .cpp file. The macro generates every kph_plugin_* export of plugin_api.h; the SDK turns every
// exception into KPH_ERROR plus a last-error text, so nothing throws across the C ABI.
#pragma once

#include <kph/plugin_api.h>

#include <chrono>
#include <cstring>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <utility>

namespace kph::sdk {

// The per-thread last-error text behind kph_plugin_get_last_error.
inline std::string& last_error() {
  thread_local std::string text;
  return text;
}

// A task as the plugin sees it: its id and the .triggered CloudEvent that started it.
struct Task {
  kph_task_id id = KPH_NO_TASK;
  nlohmann::json event;

  const nlohmann::json& data() const { return event.at("data"); }
  std::string type() const { return event.value("type", ""); }
  std::string data_string(const char* key) const {
    const auto& d = event.contains("data") ? event["data"] : nlohmann::json::object();
    auto it = d.find(key);
    return it != d.end() && it->is_string() ? it->get<std::string>() : std::string();
  }
  std::string project() const { return data_string("project"); }
  std::string stage() const { return data_string("stage"); }
  std::string service() const { return data_string("service"); }
};

// The outcome of a host call that returns content.
struct Fetched {
  kph_result rc = KPH_ERROR;
  std::string content;  // the resource bytes, or the JSON array of events
  std::string error;    // the host's reason when rc is not KPH_OK
  bool ok() const { return rc == KPH_OK; }
};

// The host, as seen from one plugin instance. Cheap to copy; valid while the instance lives.
class Host {
 public:
  Host(const kph_host_api* api, kph_host_handle* owner) : api_(api), owner_(owner) {}

  void log(kph_log_level level, const std::string& message, kph_task_id task = KPH_NO_TASK) const {
    api_->log(owner_, task, level, message.c_str());
  }

  kph_result finish(kph_task_id task, const nlohmann::json& data) const {
    const std::string text = data.dump();
    return api_->finish_task(owner_, task, text.data(), text.size());
  }

  kph_result status_changed(kph_task_id task, const nlohmann::json& data) const {
    const std::string text = data.dump();
    return api_->send_status_changed(owner_, task, text.data(), text.size());
  }

  // Sends an event in the task's context. With a reply timeout the correlated .finished comes
  // back through Plugin::on_child_event. Returns the new event's id, or nothing on failure
  // (the reason is in error()).
  std::optional<std::string> emit(
      kph_task_id task, const std::string& type, const nlohmann::json& data,
      std::chrono::milliseconds reply_timeout = std::chrono::milliseconds(0)) const {
    const std::string text = data.dump();
    char id[KPH_EVENT_ID_MAX] = {0};
    const auto timeout_ms = static_cast<uint32_t>(reply_timeout.count());
    if (api_->emit_event(owner_, task, type.c_str(), text.data(), text.size(), timeout_ms, id,
                         sizeof id) != KPH_OK) {
      return std::nullopt;
    }
    return std::string(id);
  }

  Fetched resource(kph_task_id task, const std::string& uri,
                   kph_resource_scope scope = KPH_SCOPE_INHERIT) const {
    Fetched out;
    out.rc = api_->get_resource(owner_, task, uri.c_str(), scope, &Host::collect, &out.content);
    if (out.rc != KPH_OK) out.error = error();
    return out;
  }

  // Past events matching the query (see kph_host_api.query_events), newest first.
  Fetched events(kph_task_id task, const nlohmann::json& query) const {
    Fetched out;
    const std::string text = query.dump();
    out.rc =
        api_->query_events(owner_, task, text.data(), text.size(), &Host::collect, &out.content);
    if (out.rc != KPH_OK) out.error = error();
    return out;
  }

  bool is_cancelled(kph_task_id task) const { return api_->is_cancelled(owner_, task); }

  std::string error() const { return api_->get_last_error(owner_); }

 private:
  static void collect(void* ctx, const char* data, size_t len) {
    static_cast<std::string*>(ctx)->assign(data, len);
  }

  const kph_host_api* api_;
  kph_host_handle* owner_;
};

// The base class of a C++ plugin. The SDK keeps the Task of every task the plugin left
// pending, so on_child_event and cancel see the original event without the plugin storing it.
class Plugin {
 public:
  explicit Plugin(Host host) : host_(host) {}
  virtual ~Plugin() = default;
  Plugin(const Plugin&) = delete;
  Plugin& operator=(const Plugin&) = delete;

  // Handles a routed .triggered event; see kph_plugin_handle_task for the meaning of returns.
  virtual kph_result handle(const Task& task) = 0;

  // Accepts or declines an event before .started (kph_plugin_accept_task). Default: accept.
  virtual kph_result accept(const Task& task, uint32_t& flags) {
    (void)task;
    (void)flags;
    return KPH_OK;
  }

  // A reply to an event sent with Host::emit and a reply timeout (kph_plugin_on_child_event).
  virtual kph_result on_child_event(const Task& task, kph_result rc, const nlohmann::json& reply) {
    (void)task;
    (void)rc;
    (void)reply;
    last_error() = "this plugin does not handle replies to the events it sends";
    return KPH_ERROR;
  }

  // The host gave up on a pending task (kph_plugin_cancel_task). Default: nothing to stop.
  virtual void cancel(const Task& task) { (void)task; }

  const Host& host() const { return host_; }

  // Sends the task's .finished. Use it rather than Host::finish, so that a task the plugin
  // left pending is also released here.
  kph_result finish(const Task& task, const nlohmann::json& data) {
    forget_pending(task.id);
    return host_.finish(task.id, data);
  }

  // Used by the generated exports only.
  void keep_pending(std::shared_ptr<Task> task) {
    std::lock_guard<std::mutex> lock(pending_mutex_);
    pending_[task->id] = std::move(task);
  }
  std::shared_ptr<Task> find_pending(kph_task_id id) {
    std::lock_guard<std::mutex> lock(pending_mutex_);
    auto it = pending_.find(id);
    return it == pending_.end() ? nullptr : it->second;
  }
  void forget_pending(kph_task_id id) {
    std::lock_guard<std::mutex> lock(pending_mutex_);
    pending_.erase(id);
  }

 private:
  Host host_;
  std::mutex pending_mutex_;
  std::unordered_map<kph_task_id, std::shared_ptr<Task>> pending_;
};

namespace detail {

template <typename F>
kph_result guarded(F&& body) noexcept {
  try {
    return body();
  } catch (const std::exception& e) {
    last_error() = e.what();
  } catch (...) {
    last_error() = "unknown C++ exception";
  }
  return KPH_ERROR;
}

// Tracks the pending-task map from a hook's result.
inline kph_result settle(Plugin& plugin, const std::shared_ptr<Task>& task, kph_result rc) {
  if (rc == KPH_PENDING) {
    plugin.keep_pending(task);
  } else {
    plugin.forget_pending(task->id);
  }
  return rc;
}

inline std::shared_ptr<Task> parse_task(kph_task_id id, const char* json, size_t len) {
  auto task = std::make_shared<Task>();
  task->id = id;
  task->event = nlohmann::json::parse(json, json + len);
  return task;
}

}  // namespace detail

}  // namespace kph::sdk

// Generates the kph_plugin_* exports for the plugin class T. Use it once, in one .cpp file.
#define KPH_PLUGIN(T)                                                                             \
  static_assert(std::is_base_of<::kph::sdk::Plugin, T>::value,                                    \
                "KPH_PLUGIN(" #T "): " #T " must derive from kph::sdk::Plugin");                  \
  static_assert(std::is_constructible<T, ::kph::sdk::Host, const ::nlohmann::json&>::value,       \
                "KPH_PLUGIN(" #T "): " #T " needs a constructor " #T                              \
                "(kph::sdk::Host, const nlohmann::json& config)");                                \
  static_assert(std::is_convertible<decltype(T::metadata()), ::nlohmann::json>::value,            \
                "KPH_PLUGIN(" #T "): " #T " needs `static nlohmann::json metadata()`");           \
  extern "C" {                                                                                    \
  KPH_PLUGIN_EXPORT const char* kph_plugin_get_required_api_version(void) {                       \
    return KPH_PLUGIN_API_VERSION_STR;                                                            \
  }                                                                                               \
  KPH_PLUGIN_EXPORT const char* kph_plugin_get_metadata(void) {                                   \
    static const std::string text = ::nlohmann::json(T::metadata()).dump();                       \
    return text.c_str();                                                                          \
  }                                                                                               \
  KPH_PLUGIN_EXPORT kph_plugin_state* kph_plugin_create(const kph_create_input* in,               \
                                                        kph_result* rc) {                         \
    T* made = nullptr;                                                                            \
    *rc = ::kph::sdk::detail::guarded([&] {                                                       \
      const auto config =                                                                         \
          ::nlohmann::json::parse(in->config_json_host, in->config_json_host + in->config_len);   \
      made = new T(::kph::sdk::Host(in->host, in->owner), config);                                \
      return KPH_OK;                                                                              \
    });                                                                                           \
    return reinterpret_cast<kph_plugin_state*>(static_cast<::kph::sdk::Plugin*>(made));           \
  }                                                                                               \
  KPH_PLUGIN_EXPORT void kph_plugin_destroy(kph_plugin_state* state) {                            \
    delete reinterpret_cast<::kph::sdk::Plugin*>(state);                                          \
  }                                                                                               \
  KPH_PLUGIN_EXPORT const char* kph_plugin_get_last_error(kph_plugin_state*) {                    \
    return ::kph::sdk::last_error().c_str();                                                      \
  }                                                                                               \
  KPH_PLUGIN_EXPORT kph_result kph_plugin_handle_task(kph_plugin_state* state, kph_task_id id,    \
                                                      const char* json, size_t len) {             \
    auto& plugin = *reinterpret_cast<::kph::sdk::Plugin*>(state);                                 \
    return ::kph::sdk::detail::guarded([&] {                                                      \
      auto task = ::kph::sdk::detail::parse_task(id, json, len);                                  \
      /* Registered first: a reply may arrive before handle() returns. */                         \
      plugin.keep_pending(task);                                                                  \
      return ::kph::sdk::detail::settle(plugin, task, plugin.handle(*task));                      \
    });                                                                                           \
  }                                                                                               \
  KPH_PLUGIN_EXPORT kph_result kph_plugin_accept_task(kph_plugin_state* state, kph_task_id id,    \
                                                      const char* json, size_t len,               \
                                                      uint32_t* flags) {                          \
    auto& plugin = *reinterpret_cast<::kph::sdk::Plugin*>(state);                                 \
    return ::kph::sdk::detail::guarded([&] {                                                      \
      auto task = ::kph::sdk::detail::parse_task(id, json, len);                                  \
      return plugin.accept(*task, *flags);                                                        \
    });                                                                                           \
  }                                                                                               \
  KPH_PLUGIN_EXPORT kph_result kph_plugin_on_child_event(kph_plugin_state* state, kph_task_id id, \
                                                         kph_result rc, const char* json,         \
                                                         size_t len) {                            \
    auto& plugin = *reinterpret_cast<::kph::sdk::Plugin*>(state);                                 \
    return ::kph::sdk::detail::guarded([&] {                                                      \
      auto task = plugin.find_pending(id);                                                        \
      if (!task) {                                                                                \
        ::kph::sdk::last_error() = "reply for a task this plugin does not hold";                  \
        return KPH_NOT_FOUND;                                                                     \
      }                                                                                           \
      const auto reply =                                                                          \
          len > 0 ? ::nlohmann::json::parse(json, json + len) : ::nlohmann::json::object();       \
      return ::kph::sdk::detail::settle(plugin, task, plugin.on_child_event(*task, rc, reply));   \
    });                                                                                           \
  }                                                                                               \
  KPH_PLUGIN_EXPORT void kph_plugin_cancel_task(kph_plugin_state* state, kph_task_id id) {        \
    auto& plugin = *reinterpret_cast<::kph::sdk::Plugin*>(state);                                 \
    ::kph::sdk::detail::guarded([&] {                                                             \
      if (auto task = plugin.find_pending(id)) {                                                  \
        plugin.cancel(*task);                                                                     \
        plugin.forget_pending(id);                                                                \
      }                                                                                           \
      return KPH_OK;                                                                              \
    });                                                                                           \
  }                                                                                               \
  }
