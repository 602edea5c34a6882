/*
 * A plugin compiled against the FROZEN copy of plugin_api.h 1.0.0 (tests/abi/frozen/1.0.0),
 * never against the current header. It stands for every vendor binary built once against 1.0:
 * whatever the API grows into, every 1.x host must keep loading and running it.
 */
#include <kph/plugin_api.h>
#include <stdlib.h>
#include <string.h>

#if KPH_PLUGIN_API_VERSION_MAJOR != 1 || KPH_PLUGIN_API_VERSION_MINOR != 0
#error "frozen_1_0.c must be compiled against the frozen 1.0 header"
#endif

struct kph_plugin_state {
  const kph_host_api* host;
  kph_host_handle* owner;
};

KPH_PLUGIN_EXPORT const char* kph_plugin_get_required_api_version(void) {
  return KPH_PLUGIN_API_VERSION_STR;
}

KPH_PLUGIN_EXPORT const char* kph_plugin_get_metadata(void) {
  return "{\"name\":\"frozen-1-0\",\"version\":\"1.0.0\",\"vendor\":\"keptn-host ABI tests\","
         "\"subscriptions\":[\"sh.keptn.event.test.triggered\"],"
         "\"configSchema\":{\"type\":\"object\"},\"maxConcurrency\":1,\"resumable\":false}";
}

KPH_PLUGIN_EXPORT kph_plugin_state* kph_plugin_create(const kph_create_input* input_host,
                                                      kph_result* rc) {
  kph_plugin_state* state = (kph_plugin_state*)calloc(1, sizeof *state);
  if (state == NULL) {
    *rc = KPH_ERROR;
    return NULL;
  }
  state->host = input_host->host;
  state->owner = input_host->owner;
  *rc = KPH_OK;
  return state;
}

KPH_PLUGIN_EXPORT void kph_plugin_destroy(kph_plugin_state* state) { free(state); }

KPH_PLUGIN_EXPORT const char* kph_plugin_get_last_error(kph_plugin_state* state) {
  (void)state;
  return "";
}

KPH_PLUGIN_EXPORT kph_result kph_plugin_accept_task(kph_plugin_state* state, kph_task_id task,
                                                    const char* event_json_host, size_t len,
                                                    uint32_t* flags_out_host) {
  (void)state;
  (void)task;
  (void)event_json_host;
  (void)len;
  (void)flags_out_host;
  return KPH_OK;
}

KPH_PLUGIN_EXPORT kph_result kph_plugin_handle_task(kph_plugin_state* state, kph_task_id task,
                                                    const char* event_json_host, size_t len) {
  static const char data[] =
      "{\"status\":\"succeeded\",\"result\":\"pass\",\"message\":\"built against 1.0.0\"}";
  (void)event_json_host;
  (void)len;
  return state->host->finish_task(state->owner, task, data, strlen(data));
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
