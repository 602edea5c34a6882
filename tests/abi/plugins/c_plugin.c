/*
 * A plugin written in plain C99 and compiled by the C compiler with -pedantic -Werror: the
 * ABI needs nothing from C++. It implements every hook, required and optional.
 */
#include <kph/plugin_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct kph_plugin_state {
  const kph_host_api* host;
  kph_host_handle* owner;
  char name[64];
};

/* The last error per thread would need C11 threads; this plugin never fails after create, and
 * a failed create reads the text below, so one static buffer written only by create is
 * enough. */
static char create_error[128];

KPH_PLUGIN_EXPORT const char* kph_plugin_get_required_api_version(void) {
  return KPH_PLUGIN_API_VERSION_STR;
}

KPH_PLUGIN_EXPORT const char* kph_plugin_get_metadata(void) {
  return "{\"name\":\"c-plugin\",\"version\":\"1.0.0\",\"vendor\":\"keptn-host ABI tests\","
         "\"description\":\"A plugin in plain C99.\","
         "\"subscriptions\":[\"sh.keptn.event.test.triggered\"],"
         "\"configSchema\":{\"type\":\"object\",\"additionalProperties\":false},"
         "\"maxConcurrency\":2}";
}

KPH_PLUGIN_EXPORT kph_plugin_state* kph_plugin_create(const kph_create_input* input_host,
                                                      kph_result* rc) {
  kph_plugin_state* state;
  if (!KPH_HAS_FIELD(input_host->host, kph_host_api, get_last_error)) {
    snprintf(create_error, sizeof create_error, "the host's vtable is older than 1.0");
    *rc = KPH_ERROR;
    return NULL;
  }
  state = (kph_plugin_state*)calloc(1, sizeof *state);
  if (state == NULL) {
    snprintf(create_error, sizeof create_error, "out of memory");
    *rc = KPH_ERROR;
    return NULL;
  }
  state->host = input_host->host;
  state->owner = input_host->owner;
  snprintf(state->name, sizeof state->name, "%s",
           input_host->instance_name_host != NULL ? input_host->instance_name_host : "");
  *rc = KPH_OK;
  return state;
}

KPH_PLUGIN_EXPORT void kph_plugin_destroy(kph_plugin_state* state) { free(state); }

KPH_PLUGIN_EXPORT const char* kph_plugin_get_last_error(kph_plugin_state* state) {
  return state == NULL ? create_error : "";
}

KPH_PLUGIN_EXPORT kph_result kph_plugin_accept_task(kph_plugin_state* state, kph_task_id task,
                                                    const char* event_json_host, size_t len,
                                                    uint32_t* flags_out_host) {
  (void)state;
  (void)task;
  (void)event_json_host;
  (void)len;
  *flags_out_host = 0;
  return KPH_OK;
}

KPH_PLUGIN_EXPORT kph_result kph_plugin_handle_task(kph_plugin_state* state, kph_task_id task,
                                                    const char* event_json_host, size_t len) {
  char data[256];
  int written;
  (void)event_json_host;
  (void)len;
  state->host->log(state->owner, task, KPH_LOG_INFO, "c-plugin: handling a task");
  written = snprintf(data, sizeof data,
                     "{\"status\":\"succeeded\",\"result\":\"pass\","
                     "\"message\":\"hello from C, instance %s\"}",
                     state->name);
  if (written < 0 || (size_t)written >= sizeof data) return KPH_ERROR;
  return state->host->finish_task(state->owner, task, data, (size_t)written);
}

KPH_PLUGIN_EXPORT kph_result kph_plugin_on_child_event(kph_plugin_state* state, kph_task_id task,
                                                       kph_result rc, const char* event_json_host,
                                                       size_t len) {
  (void)state;
  (void)task;
  (void)rc;
  (void)event_json_host;
  (void)len;
  return KPH_ERROR;
}

KPH_PLUGIN_EXPORT void kph_plugin_cancel_task(kph_plugin_state* state, kph_task_id task) {
  (void)state;
  (void)task;
}
