/*
 * A plugin that calls the host with an owner handle whose kph_plugin_destroy has returned.
 *
 * A stale call must happen at a moment the test can rely on, so it is made from code the host
 * itself runs: the host is given TWO instances of this library. Every kph_plugin_destroy first
 * frees its own state, then uses the owner handles of the instances destroyed before it (kept
 * in a static list) for finish_task, emit_event, send_status_changed, log and is_cancelled,
 * and prints what those calls returned to stderr itself. The host destroys instances one at a
 * time on its control thread, so the second destroy always makes the stale calls; the host
 * must refuse each one (KPH_ERROR, is_cancelled true) and not crash.
 */
#include <kph/plugin_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEAD 8

struct kph_plugin_state {
  const kph_host_api* host;
  kph_host_handle* owner;
};

static kph_host_handle* dead_owners[MAX_DEAD];
static size_t dead_count;

KPH_PLUGIN_EXPORT const char* kph_plugin_get_required_api_version(void) {
  return KPH_PLUGIN_API_VERSION_STR;
}

KPH_PLUGIN_EXPORT const char* kph_plugin_get_metadata(void) {
  return "{\"name\":\"emits-after-destroy\",\"version\":\"1.0.0\","
         "\"vendor\":\"keptn-host ABI tests\","
         "\"subscriptions\":[\"sh.keptn.event.test.triggered\"]}";
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

KPH_PLUGIN_EXPORT void kph_plugin_destroy(kph_plugin_state* state) {
  static const char data[] = "{\"status\":\"succeeded\",\"result\":\"pass\"}";
  const kph_host_api* host = state->host;
  kph_host_handle* owner = state->owner;
  size_t i;
  free(state);

  for (i = 0; i < dead_count; ++i) {
    char id[KPH_EVENT_ID_MAX] = {0};
    const kph_task_id some_task = 1;
    const kph_result finish = host->finish_task(dead_owners[i], some_task, data, strlen(data));
    const kph_result emit = host->emit_event(
        dead_owners[i], some_task, "sh.keptn.event.test.triggered", "{}", 2, 0, id, sizeof id);
    const kph_result status = host->send_status_changed(dead_owners[i], some_task, "{}", 2);
    const bool cancelled = host->is_cancelled(dead_owners[i], some_task);
    host->log(dead_owners[i], KPH_NO_TASK, KPH_LOG_ERROR, "emits-after-destroy: stale log");
    /* Straight to stderr: the report must not depend on the host call it is about. */
    fprintf(stderr,
            "emits-after-destroy: stale calls returned finish_task=%d emit_event=%d "
            "send_status_changed=%d is_cancelled=%d\n",
            (int)finish, (int)emit, (int)status, cancelled ? 1 : 0);
    fflush(stderr);
  }
  if (dead_count < MAX_DEAD) dead_owners[dead_count++] = owner;
}

KPH_PLUGIN_EXPORT const char* kph_plugin_get_last_error(kph_plugin_state* state) {
  (void)state;
  return "";
}

KPH_PLUGIN_EXPORT kph_result kph_plugin_handle_task(kph_plugin_state* state, kph_task_id task,
                                                    const char* event_json_host, size_t len) {
  static const char data[] = "{\"status\":\"succeeded\",\"result\":\"pass\"}";
  (void)event_json_host;
  (void)len;
  return state->host->finish_task(state->owner, task, data, strlen(data));
}
