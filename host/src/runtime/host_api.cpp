#include "runtime/host_api.hpp"

#include <string_view>

#include "common/logger.hpp"
#include "runtime/engine.hpp"
#include "runtime/host_call_error.hpp"

namespace kph::host {
namespace {

thread_local std::string t_host_error;

// The owner handle's instance, or null when the plugin calls after destroy (or with garbage
// that at least is not null): such calls are refused and logged, never followed.
PluginInstance* live_instance(kph_host_handle* owner, const char* call) {
  if (owner == nullptr) {
    set_host_error(std::string(call) + ": the owner handle is NULL");
    return nullptr;
  }
  if (!owner->alive.load()) {
    set_host_error(std::string(call) +
                   ": the plugin instance was destroyed; no host call is "
                   "allowed after kph_plugin_destroy");
    log_error(std::string("a plugin called ") + call + " after it was destroyed; refused",
              {{"plugin", owner->instance != nullptr ? owner->instance->name() : ""}});
    return nullptr;
  }
  clear_host_error();
  return owner->instance;
}

std::string_view view(const char* data, size_t len) {
  return data == nullptr ? std::string_view() : std::string_view(data, len);
}

void call_log(kph_host_handle* owner, kph_task_id task, kph_log_level level, const char* message) {
  if (auto* instance = live_instance(owner, "log")) {
    owner->engine->host_log(*instance, task, level, message);
  }
}

kph_result call_status_changed(kph_host_handle* owner, kph_task_id task, const char* data,
                               size_t len) {
  auto* instance = live_instance(owner, "send_status_changed");
  return instance ? owner->engine->host_status_changed(*instance, task, view(data, len))
                  : KPH_ERROR;
}

kph_result call_finish(kph_host_handle* owner, kph_task_id task, const char* data, size_t len) {
  auto* instance = live_instance(owner, "finish_task");
  return instance ? owner->engine->host_finish(*instance, task, view(data, len)) : KPH_ERROR;
}

kph_result call_emit(kph_host_handle* owner, kph_task_id task, const char* type, const char* data,
                     size_t len, uint32_t reply_timeout_ms, char* id_out, size_t id_out_size) {
  auto* instance = live_instance(owner, "emit_event");
  return instance ? owner->engine->host_emit(*instance, task, type, view(data, len),
                                             reply_timeout_ms, id_out, id_out_size)
                  : KPH_ERROR;
}

kph_result call_get_resource(kph_host_handle* owner, kph_task_id task, const char* uri,
                             kph_resource_scope scope, kph_sink_fn sink, void* sink_ctx) {
  auto* instance = live_instance(owner, "get_resource");
  return instance ? owner->engine->host_get_resource(*instance, task, uri, scope, sink, sink_ctx)
                  : KPH_ERROR;
}

kph_result call_query_events(kph_host_handle* owner, kph_task_id task, const char* query,
                             size_t len, kph_sink_fn sink, void* sink_ctx) {
  auto* instance = live_instance(owner, "query_events");
  return instance
             ? owner->engine->host_query_events(*instance, task, view(query, len), sink, sink_ctx)
             : KPH_ERROR;
}

bool call_is_cancelled(kph_host_handle* owner, kph_task_id task) {
  auto* instance = live_instance(owner, "is_cancelled");
  return instance ? owner->engine->host_is_cancelled(*instance, task) : true;
}

const char* call_get_last_error(kph_host_handle*) { return t_host_error.c_str(); }

// Every entry point is noexcept towards the plugin: an exception inside the host becomes
// KPH_ERROR with its text.
template <auto Fn, typename R, typename... Args>
R guarded(Args... args) noexcept {
  try {
    return Fn(args...);
  } catch (const std::exception& e) {
    set_host_error(std::string("keptn-host internal error: ") + e.what());
  } catch (...) {
    set_host_error("keptn-host internal error");
  }
  if constexpr (std::is_same_v<R, kph_result>) return KPH_ERROR;
  if constexpr (std::is_same_v<R, bool>) return true;
}

}  // namespace

void set_host_error(std::string message) { t_host_error = std::move(message); }
const std::string& host_error() { return t_host_error; }
void clear_host_error() { t_host_error.clear(); }

const kph_host_api& host_api_table() {
  static const kph_host_api table = [] {
    kph_host_api api{};
    api.struct_size = sizeof(kph_host_api);
    api.log = &guarded<call_log, void, kph_host_handle*, kph_task_id, kph_log_level, const char*>;
    api.send_status_changed = &guarded<call_status_changed, kph_result, kph_host_handle*,
                                       kph_task_id, const char*, size_t>;
    api.finish_task =
        &guarded<call_finish, kph_result, kph_host_handle*, kph_task_id, const char*, size_t>;
    api.emit_event = &guarded<call_emit, kph_result, kph_host_handle*, kph_task_id, const char*,
                              const char*, size_t, uint32_t, char*, size_t>;
    api.get_resource = &guarded<call_get_resource, kph_result, kph_host_handle*, kph_task_id,
                                const char*, kph_resource_scope, kph_sink_fn, void*>;
    api.query_events = &guarded<call_query_events, kph_result, kph_host_handle*, kph_task_id,
                                const char*, size_t, kph_sink_fn, void*>;
    api.is_cancelled = &guarded<call_is_cancelled, bool, kph_host_handle*, kph_task_id>;
    api.get_last_error = &call_get_last_error;
    return api;
  }();
  return table;
}

}  // namespace kph::host
