/*
 * A plain-C plugin that fails the load-time handshake in one way chosen at build time, so
 * that each refusal of the loader has a real .so behind its test:
 *   KPH_TEST_REPORTED_VERSION  the string kph_plugin_get_required_api_version returns
 *                              (api_major_mismatch "2.0.0", api_minor_newer "1.99.0",
 *                              api_malformed "one.zero").
 *   KPH_TEST_OMIT_HANDLE_TASK  leave out the required kph_plugin_handle_task
 *                              (missing_required_symbol).
 *   KPH_TEST_METADATA          the metadata JSON (bad_metadata).
 * Apart from that it is a correct plugin that finishes every task.
 */
#include <kph/plugin_api.h>
#include <stdlib.h>
#include <string.h>

#ifndef KPH_TEST_REPORTED_VERSION
#define KPH_TEST_REPORTED_VERSION KPH_PLUGIN_API_VERSION_STR
#endif

#ifndef KPH_TEST_METADATA
#define KPH_TEST_METADATA                                                              \
  "{\"name\":\"handshake\",\"version\":\"1.0.0\",\"vendor\":\"keptn-host ABI tests\"," \
  "\"subscriptions\":[\"sh.keptn.event.test.triggered\"]}"
#endif

struct kph_plugin_state {
  const kph_host_api* host;
  kph_host_handle* owner;
};

KPH_PLUGIN_EXPORT const char* kph_plugin_get_required_api_version(void) {
  return KPH_TEST_REPORTED_VERSION;
}

KPH_PLUGIN_EXPORT const char* kph_plugin_get_metadata(void) { return KPH_TEST_METADATA; }

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

#ifndef KPH_TEST_OMIT_HANDLE_TASK
KPH_PLUGIN_EXPORT kph_result kph_plugin_handle_task(kph_plugin_state* state, kph_task_id task,
                                                    const char* event_json_host, size_t len) {
  static const char data[] = "{\"status\":\"succeeded\",\"result\":\"pass\"}";
  (void)event_json_host;
  (void)len;
  return state->host->finish_task(state->owner, task, data, strlen(data));
}
#endif
