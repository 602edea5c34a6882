/*
 * Records the 1.0 ABI's numbers (constant values, struct field offsets and sizes) as compiled
 * against one copy of plugin_api.h. It is compiled twice, against the frozen 1.0 header and
 * against the current one, under two function names; abi_layout_test.cpp compares the two.
 * Every name listed here is 1.0 API: a header that dropped one no longer compiles this file.
 */
#include <kph/plugin_api.h>

#include "layout_probe.h"

#define VALUE(x) \
  { #x, (long long)(x), 0 }
#define OFFSET(type, field) \
  { #type "." #field, (long long)offsetof(type, field), 0 }
#define SIZE(type) \
  { "sizeof(" #type ")", (long long)sizeof(type), 1 }

static const kph_layout_entry entries[] = {
    VALUE(KPH_PLUGIN_API_VERSION_MAJOR),
    VALUE(KPH_OK),
    VALUE(KPH_ERROR),
    VALUE(KPH_RETRY),
    VALUE(KPH_TIMEOUT),
    VALUE(KPH_NOT_SUPPORTED),
    VALUE(KPH_NOT_FOUND),
    VALUE(KPH_CANCELLED),
    VALUE(KPH_PENDING),
    VALUE(KPH_LEFT_OPEN),
    VALUE(KPH_NO_TASK),
    VALUE(KPH_LOG_DEBUG),
    VALUE(KPH_LOG_INFO),
    VALUE(KPH_LOG_WARNING),
    VALUE(KPH_LOG_ERROR),
    VALUE(KPH_SCOPE_INHERIT),
    VALUE(KPH_SCOPE_SERVICE),
    VALUE(KPH_SCOPE_STAGE),
    VALUE(KPH_SCOPE_PROJECT),
    VALUE(KPH_TASK_NO_STARTED),
    VALUE(KPH_EVENT_ID_MAX),
    VALUE(sizeof(kph_result)),
    VALUE(sizeof(kph_task_id)),
    VALUE(sizeof(kph_log_level)),
    VALUE(sizeof(kph_resource_scope)),
    OFFSET(kph_host_api, struct_size),
    OFFSET(kph_host_api, log),
    OFFSET(kph_host_api, send_status_changed),
    OFFSET(kph_host_api, finish_task),
    OFFSET(kph_host_api, emit_event),
    OFFSET(kph_host_api, get_resource),
    OFFSET(kph_host_api, query_events),
    OFFSET(kph_host_api, is_cancelled),
    OFFSET(kph_host_api, get_last_error),
    SIZE(kph_host_api),
    OFFSET(kph_create_input, struct_size),
    OFFSET(kph_create_input, host),
    OFFSET(kph_create_input, owner),
    OFFSET(kph_create_input, instance_name_host),
    OFFSET(kph_create_input, config_json_host),
    OFFSET(kph_create_input, config_len),
    SIZE(kph_create_input),
};

const kph_layout_entry* KPH_LAYOUT_PROBE(size_t* count) {
  *count = sizeof entries / sizeof entries[0];
  return entries;
}
