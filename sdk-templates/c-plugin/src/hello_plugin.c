/*
 * hello_c: a small task executor for keptn-host, in plain C99.
 *
 * It takes sh.keptn.event.hello.triggered, greets the event's service and finishes the task
 * with the greeting. Rename it, change the metadata and kph_plugin_handle_task, and you have
 * your own integration. Every hook below is described in <kph/plugin_api.h>.
 */
#include <kph/plugin_api.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* kph_plugin_get_last_error is per thread. C99 has no thread-local storage; C11 compilers
 * have _Thread_local, GCC and Clang have __thread. */
#if defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L
#define HELLO_THREAD_LOCAL _Thread_local
#else
#define HELLO_THREAD_LOCAL __thread
#endif

static HELLO_THREAD_LOCAL char last_error[256];

/* One instance: what the host gave us at create time. The host and owner stay valid until
 * kph_plugin_destroy. Tasks run concurrently, so nothing here changes after create. */
struct kph_plugin_state {
  const kph_host_api* host;
  kph_host_handle* owner;
};

/*
 * Copies the string value of the first "key" in a JSON text into out, or "" when there is
 * none. Only plain names ([A-Za-z0-9._-]) are copied, so the value can go into JSON again
 * without escaping. This scan keeps the template free of dependencies; a real plugin should
 * parse the event with a JSON library (cJSON, jansson) instead.
 */
static void find_name(const char* json, size_t len, const char* key, char* out, size_t size) {
  const size_t key_len = strlen(key);
  size_t i, n = 0;
  out[0] = '\0';
  for (i = 0; i + key_len + 2 < len; ++i) {
    if (json[i] != '"' || strncmp(json + i + 1, key, key_len) != 0 ||
        json[i + 1 + key_len] != '"') {
      continue;
    }
    i += key_len + 2;
    while (i < len && (json[i] == ' ' || json[i] == ':' || json[i] == '\t' || json[i] == '\n')) ++i;
    if (i >= len || json[i] != '"') return;
    for (++i; i < len && n + 1 < size; ++i) {
      const char c = json[i];
      if (!isalnum((unsigned char)c) && c != '.' && c != '_' && c != '-') break;
      out[n++] = c;
    }
    out[n] = '\0';
    return;
  }
}

KPH_PLUGIN_EXPORT const char* kph_plugin_get_required_api_version(void) {
  return KPH_PLUGIN_API_VERSION_STR;
}

KPH_PLUGIN_EXPORT const char* kph_plugin_get_metadata(void) {
  return "{"
         "\"name\":\"hello-c\","
         "\"version\":\"0.1.0\","
         "\"vendor\":\"Example Vendor\","
         "\"description\":\"Greets the service of a hello task and finishes it (C99).\","
         "\"subscriptions\":[\"sh.keptn.event.hello.triggered\"],"
         "\"configSchema\":{\"type\":\"object\",\"additionalProperties\":false}"
         "}";
}

KPH_PLUGIN_EXPORT kph_plugin_state* kph_plugin_create(const kph_create_input* input_host,
                                                      kph_result* rc) {
  kph_plugin_state* state = (kph_plugin_state*)calloc(1, sizeof *state);
  if (state == NULL) {
    snprintf(last_error, sizeof last_error, "hello-c: out of memory");
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
  return last_error;
}

/* Runs on a host worker thread, maybe for several tasks at once. The host has already sent
 * .started; this sends the task's one .finished. */
KPH_PLUGIN_EXPORT kph_result kph_plugin_handle_task(kph_plugin_state* state, kph_task_id task,
                                                    const char* event_json_host, size_t len) {
  char project[64], stage[64], service[64], data[512];
  int written;
  find_name(event_json_host, len, "project", project, sizeof project);
  find_name(event_json_host, len, "stage", stage, sizeof stage);
  find_name(event_json_host, len, "service", service, sizeof service);

  state->host->log(state->owner, task, KPH_LOG_INFO, "hello-c: greeting the service");
  written = snprintf(data, sizeof data,
                     "{\"status\":\"succeeded\",\"result\":\"pass\","
                     "\"message\":\"Hello from C, %s in %s/%s!\"}",
                     service, project, stage);
  if (written < 0 || (size_t)written >= sizeof data) {
    snprintf(last_error, sizeof last_error, "hello-c: the greeting did not fit its buffer");
    return KPH_ERROR;
  }
  if (state->host->finish_task(state->owner, task, data, (size_t)written) != KPH_OK) {
    snprintf(last_error, sizeof last_error, "hello-c: finish_task failed: %s",
             state->host->get_last_error(state->owner));
    return KPH_ERROR;
  }
  return KPH_OK;
}
