/*
 * keptn-host plugin API.
 *
 * This header is the whole contract between keptn-host and a task-executor plugin. A plugin is
 * a shared library that exports the kph_plugin_* functions declared below; the host loads it,
 * checks the API version, resolves each symbol into its own table and calls it. The plugin
 * reaches the host only through the kph_host_api vtable it is handed at create time.
 *
 * Compatibility policy (what a vendor may rely on for every 1.x release):
 *   1. The host accepts a plugin when the majors are equal and the host's minor is at least the
 *      plugin's. A plugin built against 1.0 keeps loading in every 1.x host.
 *   2. Every hook added after 1.0 is optional. A host never requires a symbol that 1.0 did not.
 *   3. Structs that cross the boundary begin with uint32_t struct_size and only ever grow at the
 *      end. Read a field only when struct_size says it is there (KPH_HAS_FIELD).
 *   4. Existing constants keep their values; new ones get new values.
 *
 * Ownership, once for the whole header:
 *   - Whoever allocates frees. Nothing is freed across the boundary.
 *   - Buffers the host hands the plugin (parameters named *_host) are valid only for the duration
 *     of the call that received them. Copy what you keep.
 *   - Buffers the plugin hands the host (parameters named *_plugin) are copied by the host before
 *     the call returns. The plugin may free or reuse them afterwards.
 *   - Strings returned by the plugin (metadata, last error) stay owned by the plugin and must
 *     stay valid as the hook's Ownership line says.
 *   - All text is UTF-8. Every buffer comes with its length; JSON buffers are not required to
 *     be NUL-terminated, other strings are.
 *
 * Threads, in the fixed phrases every hook uses:
 *   - "control thread only": the host calls it from one thread at a time, never concurrently
 *     with any other hook of the same plugin instance.
 *   - "concurrent with distinct task arguments": several host threads may call it at once, but
 *     never twice at once for the same task id.
 *   - "any thread, thread-safe": may be called from any thread at any time.
 *
 * Errors: every hook and host function that can fail returns kph_result. Details come from
 * kph_plugin_get_last_error (plugin side) or kph_host_api.get_last_error (host side). Nothing
 * may throw across this boundary.
 *
 * Each comment block has the same fields in the same order:
 *   Summary, Required, Thread, Ownership, Returns, Since.
 */
#ifndef KPH_PLUGIN_API_H
#define KPH_PLUGIN_API_H

/* This C header keeps C pointer style ("char *p") for its C readers. */
/* clang-format off */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Summary: The API version this header describes. A plugin reports the version it was built
 *          against through kph_plugin_get_required_api_version, normally by returning
 *          KPH_PLUGIN_API_VERSION_STR.
 * Since:   1.0.0
 */
#define KPH_PLUGIN_API_VERSION_MAJOR 1
#define KPH_PLUGIN_API_VERSION_MINOR 0
#define KPH_PLUGIN_API_VERSION_PATCH 0
#define KPH_PLUGIN_API_VERSION_STR "1.0.0"

/*
 * Summary: Marks a symbol as exported from the plugin. Plugins build with -fvisibility=hidden,
 *          so only what carries this attribute is visible to the host.
 * Since:   1.0.0
 */
#if defined(_WIN32)
#define KPH_PLUGIN_EXPORT __declspec(dllexport)
#else
#define KPH_PLUGIN_EXPORT __attribute__((visibility("default")))
#endif

/*
 * Summary: True when a struct received from the other side is large enough to contain FIELD.
 *          Use it before reading any field that was appended after 1.0.
 * Since:   1.0.0
 */
#define KPH_HAS_FIELD(ptr, type, field) \
  ((ptr)->struct_size >= offsetof(type, field) + sizeof(((type *)0)->field))

/*
 * Summary: The one result type of every call that can fail.
 *   KPH_OK             success.
 *   KPH_ERROR          failure; the last-error text says why.
 *   KPH_RETRY          a transient failure: the host owns redelivery and backoff. A task that
 *                      returns it is handed to the plugin again later, without a second .started.
 *   KPH_TIMEOUT        a deadline passed.
 *   KPH_NOT_SUPPORTED  the callee does not do this. From kph_plugin_accept_task: "not my event",
 *                      and the host sends nothing for it.
 *   KPH_NOT_FOUND      the thing asked for does not exist (a resource, a task id).
 *   KPH_CANCELLED      the task or the host is shutting down.
 *   KPH_PENDING        from kph_plugin_handle_task: the plugin keeps the task and will finish it
 *                      later, from any thread, with kph_host_api.finish_task.
 *   KPH_LEFT_OPEN      from kph_plugin_handle_task: the task stays open on purpose and another
 *                      party closes it (a user's approval.finished). The host sends no .finished,
 *                      applies no task timeout, and forgets the task id.
 * Since: 1.0.0
 */
typedef int32_t kph_result;
#define KPH_OK ((kph_result)0)
#define KPH_ERROR ((kph_result)1)
#define KPH_RETRY ((kph_result)2)
#define KPH_TIMEOUT ((kph_result)3)
#define KPH_NOT_SUPPORTED ((kph_result)4)
#define KPH_NOT_FOUND ((kph_result)5)
#define KPH_CANCELLED ((kph_result)6)
#define KPH_PENDING ((kph_result)7)
#define KPH_LEFT_OPEN ((kph_result)8)

/*
 * Summary: Identifies one task (one .triggered event handled by one plugin instance). Task ids
 *          are never reused in a process, and a stale id is refused with KPH_NOT_FOUND, so a
 *          plugin can never reach a finished task's state by mistake. 0 means "no task".
 * Since:   1.0.0
 */
typedef uint64_t kph_task_id;
#define KPH_NO_TASK ((kph_task_id)0)

/*
 * Summary: Log levels for kph_host_api.log.
 * Since:   1.0.0
 */
typedef int32_t kph_log_level;
#define KPH_LOG_DEBUG ((kph_log_level)0)
#define KPH_LOG_INFO ((kph_log_level)1)
#define KPH_LOG_WARNING ((kph_log_level)2)
#define KPH_LOG_ERROR ((kph_log_level)3)

/*
 * Summary: Where kph_host_api.get_resource looks for a resource of the task's project.
 *   KPH_SCOPE_INHERIT  the service, then the stage, then the project: the first that has it.
 *   KPH_SCOPE_SERVICE  the task's service only.
 *   KPH_SCOPE_STAGE    the task's stage only.
 *   KPH_SCOPE_PROJECT  the project only.
 * Since: 1.0.0
 */
typedef int32_t kph_resource_scope;
#define KPH_SCOPE_INHERIT ((kph_resource_scope)0)
#define KPH_SCOPE_SERVICE ((kph_resource_scope)1)
#define KPH_SCOPE_STAGE ((kph_resource_scope)2)
#define KPH_SCOPE_PROJECT ((kph_resource_scope)3)

/*
 * Summary: Flags kph_plugin_accept_task may set for one task.
 *   KPH_TASK_NO_STARTED  the host sends no .started for this task; the plugin does not send one
 *                        either (use it for informational tasks that must not block a sequence).
 * Since: 1.0.0
 */
#define KPH_TASK_NO_STARTED ((uint32_t)1u << 0)

/*
 * Summary: The largest event id, with its NUL, that kph_host_api.emit_event writes.
 * Since:   1.0.0
 */
#define KPH_EVENT_ID_MAX 64

/*
 * Summary: The plugin's per-instance state. The plugin defines it; the host only passes the
 *          pointer back.
 * Since:   1.0.0
 */
typedef struct kph_plugin_state kph_plugin_state;

/*
 * Summary: The host's per-instance handle. Opaque to the plugin; valid for the plugin
 *          instance's whole life, from kph_plugin_create until kph_plugin_destroy is called.
 *          Calls made with it after that are refused with KPH_ERROR and logged, never crash.
 * Since:   1.0.0
 */
typedef struct kph_host_handle kph_host_handle;

/*
 * Summary: Receives a host-owned buffer. The host calls it at most once per request, before the
 *          request returns, on the thread that made the request.
 * Ownership: data_host is valid only during this call; copy what you keep.
 * Since:   1.0.0
 */
typedef void (*kph_sink_fn)(void *ctx, const char *data_host, size_t len);

/*
 * The host vtable. Every function is "any thread, thread-safe" unless it says otherwise, and
 * takes the owner handle from kph_create_input first. Functions that take a task id refuse ids
 * that do not belong to the calling instance, or that are already finished, with KPH_NOT_FOUND.
 * The struct begins with struct_size and only grows at the end (compatibility rule 3).
 */
typedef struct kph_host_api {
  /*
   * Summary:   sizeof(kph_host_api) as the host was built. Check it with KPH_HAS_FIELD before
   *            using a field added after 1.0.
   * Since:     1.0.0
   */
  uint32_t struct_size;

  /*
   * Summary:   Writes a log line in the host's structured log. With a task id the line carries
   *            the task's shkeptncontext and triggeredid. Never put secrets in a message.
   * Thread:    any thread, thread-safe.
   * Ownership: message_plugin is copied.
   * Returns:   nothing.
   * Since:     1.0.0
   */
  void (*log)(kph_host_handle *owner, kph_task_id task, kph_log_level level,
              const char *message_plugin);

  /*
   * Summary:   Sends <task>.status.changed for the task, with data_json_plugin as its data. The
   *            host adds project, stage, service and labels from the .triggered event when the
   *            data lacks them.
   * Thread:    any thread, thread-safe.
   * Ownership: data_json_plugin is copied.
   * Returns:   KPH_OK; KPH_NOT_FOUND for an unknown or finished task; KPH_ERROR for data that is
   *            not a JSON object.
   * Since:     1.0.0
   */
  kph_result (*send_status_changed)(kph_host_handle *owner, kph_task_id task,
                                    const char *data_json_plugin, size_t len);

  /*
   * Summary:   Sends the task's one .finished, with data_json_plugin as its data. The host adds
   *            project, stage, service and labels from the .triggered event when they are
   *            missing, and status "succeeded" / result "pass" when those are missing. After it
   *            returns KPH_OK the task id is dead.
   * Thread:    any thread, thread-safe; a second call for the same task is refused.
   * Ownership: data_json_plugin is copied.
   * Returns:   KPH_OK; KPH_NOT_FOUND when the task is unknown or already finished (a second
   *            .finished is refused and logged); KPH_ERROR for data that is not a JSON object.
   * Since:     1.0.0
   */
  kph_result (*finish_task)(kph_host_handle *owner, kph_task_id task,
                            const char *data_json_plugin, size_t len);

  /*
   * Summary:   Sends a further event in the task's Keptn context: shkeptncontext and
   *            gitcommitid are copied from the task, source is the plugin's name, and
   *            project/stage/service/labels are added to the data when missing. When
   *            reply_timeout_ms > 0 the event must be a .triggered: the host then routes its
   *            correlated .finished (the one whose triggeredid is the new event's id) to
   *            kph_plugin_on_child_event, or reports KPH_TIMEOUT there when none arrives in time.
   * Thread:    any thread, thread-safe.
   * Ownership: event_type_plugin and data_json_plugin are copied. id_out_plugin, when not NULL,
   *            is a plugin buffer of id_out_size bytes (KPH_EVENT_ID_MAX is enough) that receives
   *            the new event's id, NUL-terminated.
   * Returns:   KPH_OK; KPH_NOT_FOUND for an unknown or finished task; KPH_ERROR for a type that
   *            is not a Keptn event type, data that is not a JSON object, or a reply asked for on
   *            an event that is not a .triggered.
   * Since:     1.0.0
   */
  kph_result (*emit_event)(kph_host_handle *owner, kph_task_id task,
                           const char *event_type_plugin, const char *data_json_plugin,
                           size_t len, uint32_t reply_timeout_ms, char *id_out_plugin,
                           size_t id_out_size);

  /*
   * Summary:   Reads a resource (slo.yaml, prometheus/sli.yaml, a chart) of the task's project
   *            at the task's gitcommitid, from whichever provider the host is configured with.
   *            The URI is relative; one that would leave the resource root is refused.
   * Thread:    any thread, thread-safe.
   * Ownership: uri_plugin is copied; the content reaches sink as a host buffer.
   * Returns:   KPH_OK after calling sink once with the content; KPH_NOT_FOUND when no scope
   *            searched has it (sink is not called: a missing file is never an empty one);
   *            KPH_ERROR for a refused URI or a provider failure.
   * Since:     1.0.0
   */
  kph_result (*get_resource)(kph_host_handle *owner, kph_task_id task, const char *uri_plugin,
                             kph_resource_scope scope, kph_sink_fn sink, void *sink_ctx);

  /*
   * Summary:   Reads past events from the host's event store, for comparisons with earlier
   *            results. query_json_plugin is a JSON object with optional keys "type" (exact
   *            event type), "project", "stage", "service", "shkeptncontext", "triggeredid"
   *            (exact matches) and "limit" (a positive number; default 100). Events are matched
   *            against their data.project/stage/service.
   * Thread:    any thread, thread-safe.
   * Ownership: query_json_plugin is copied; the result reaches sink as a host buffer holding a
   *            JSON array of CloudEvents, newest first.
   * Returns:   KPH_OK after calling sink once (with "[]" when nothing matches); KPH_ERROR for a
   *            malformed query.
   * Since:     1.0.0
   */
  kph_result (*query_events)(kph_host_handle *owner, kph_task_id task,
                             const char *query_json_plugin, size_t len, kph_sink_fn sink,
                             void *sink_ctx);

  /*
   * Summary:   Tells whether the host has given up on the task: its timeout passed, or the host
   *            is shutting down. A long loop inside kph_plugin_handle_task should check it.
   * Thread:    any thread, thread-safe.
   * Ownership: nothing crosses.
   * Returns:   true when cancelled, or when the task is unknown or finished.
   * Since:     1.0.0
   */
  bool (*is_cancelled)(kph_host_handle *owner, kph_task_id task);

  /*
   * Summary:   Why the last host function that failed on the calling thread failed.
   * Thread:    any thread, thread-safe; the text is per thread.
   * Ownership: the host owns the string; it stays valid until the next host function is called
   *            on the same thread.
   * Returns:   a NUL-terminated string, "" when nothing failed.
   * Since:     1.0.0
   */
  const char *(*get_last_error)(kph_host_handle *owner);
} kph_host_api;

/*
 * The input of kph_plugin_create. It begins with struct_size and only grows at the end.
 */
typedef struct kph_create_input {
  /* Summary: sizeof(kph_create_input) as the host was built. Since: 1.0.0 */
  uint32_t struct_size;
  /* Summary: The host vtable; valid for the instance's whole life. Since: 1.0.0 */
  const kph_host_api *host;
  /* Summary: The handle to pass to every host function; valid for the instance's whole life.
   * Since: 1.0.0 */
  kph_host_handle *owner;
  /* Summary: The instance's name from the host config (the plugin's name when the config gives
   * none). NUL-terminated; valid only during kph_plugin_create. Since: 1.0.0 */
  const char *instance_name_host;
  /* Summary: The instance's config as a JSON object, already validated against the schema from
   * the plugin's metadata. Valid only during kph_plugin_create. Since: 1.0.0 */
  const char *config_json_host;
  /* Summary: Length of config_json_host in bytes. Since: 1.0.0 */
  size_t config_len;
} kph_create_input;

/* ---------------------------------------------------------------------------------------------
 * Hooks the plugin exports. The host resolves each by name; none is reached any other way.
 * ------------------------------------------------------------------------------------------- */

/*
 * Summary:   The API version the plugin was built against, "MAJOR.MINOR.PATCH". The host
 *            refuses the plugin unless the majors are equal and the host's minor is at least
 *            the plugin's.
 * Required:  yes
 * Thread:    control thread only; called first, before anything else.
 * Ownership: the plugin owns the string; it stays valid while the library is loaded.
 * Returns:   a NUL-terminated version string, normally KPH_PLUGIN_API_VERSION_STR.
 * Since:     1.0.0
 */
KPH_PLUGIN_EXPORT const char *kph_plugin_get_required_api_version(void);

/*
 * Summary:   The plugin's metadata, as one JSON object:
 *              "name"           string, required: lower-case letters, digits and '-'; it is the
 *                               source of every event the plugin emits and what --plugin NAME
 *                               finds.
 *              "version"        string, required: the plugin's own version (semver).
 *              "vendor"         string, required.
 *              "description"    string, optional.
 *              "subscriptions"  array of strings, required: the event types handled by default,
 *                               '*' matching any run of characters, dots included
 *                               (sh.keptn.event.*.triggered).
 *              "configSchema"   object, optional: a JSON Schema (draft 7) for the instance
 *                               config. The host validates the config against it before
 *                               kph_plugin_create. Absent means any object.
 *              "maxConcurrency" number, optional: the most tasks the plugin can handle at once;
 *                               the host never exceeds it whatever its config says. Absent: no
 *                               limit beyond the config's.
 *              "resumable"      boolean, optional (default false): after a host restart the host
 *                               may hand a task that already has its .started to
 *                               kph_plugin_handle_task again instead of finishing it errored.
 * Required:  yes
 * Thread:    control thread only; may be called before any instance exists.
 * Ownership: the plugin owns the string; it stays valid while the library is loaded.
 * Returns:   a NUL-terminated JSON object.
 * Since:     1.0.0
 */
KPH_PLUGIN_EXPORT const char *kph_plugin_get_metadata(void);

/*
 * Summary:   Creates one plugin instance. The config has already been validated against the
 *            schema in the metadata.
 * Required:  yes
 * Thread:    control thread only.
 * Ownership: input_host and everything it points to stay owned by the host; the host and owner
 *            pointers inside it stay valid until kph_plugin_destroy is called, everything else
 *            only during this call. The returned state is the plugin's.
 * Returns:   the instance state and *rc = KPH_OK; on failure *rc = KPH_ERROR and either NULL or
 *            a state from which kph_plugin_get_last_error reads the reason. The host then calls
 *            kph_plugin_destroy on any non-NULL state.
 * Since:     1.0.0
 */
KPH_PLUGIN_EXPORT kph_plugin_state *kph_plugin_create(const kph_create_input *input_host,
                                                      kph_result *rc);

/*
 * Summary:   Destroys an instance. Before calling it the host has cancelled every task still
 *            pending (kph_plugin_cancel_task) and stopped calling other hooks. The plugin must
 *            join every thread it started: after this returns, it runs no more code for this
 *            instance. Host calls with its owner handle are refused from the moment destroy
 *            is called (log there is refused too: log before).
 * Required:  yes
 * Thread:    control thread only.
 * Ownership: the plugin frees the state and everything it owns.
 * Returns:   nothing.
 * Since:     1.0.0
 */
KPH_PLUGIN_EXPORT void kph_plugin_destroy(kph_plugin_state *state);

/*
 * Summary:   Why the last failing hook on the calling thread failed.
 * Required:  yes
 * Thread:    any thread, thread-safe; the host calls it on the thread where the hook failed,
 *            right after it returned.
 * Ownership: the plugin owns the string; it stays valid until the next hook call on the same
 *            thread. state may be NULL after a failed create that returned NULL. A C plugin
 *            keeps the text in thread-local storage (__thread, or C11 _Thread_local).
 * Returns:   a NUL-terminated string, "" when nothing failed.
 * Since:     1.0.0
 */
KPH_PLUGIN_EXPORT const char *kph_plugin_get_last_error(kph_plugin_state *state);

/*
 * Summary:   Handles one .triggered event routed to this instance. By the time it is called the
 *            host has sent the task's .started (unless the task opted out), so the plugin goes
 *            straight to work. Before returning KPH_OK it must have called finish_task.
 * Required:  yes
 * Thread:    concurrent with distinct task arguments, on a host worker thread. The host never
 *            runs more calls at once than the instance's maxConcurrency.
 * Ownership: event_json_host is the whole CloudEvent, in the CloudEvents structured JSON shape,
 *            valid only during the call. The task id stays usable until the task is finished.
 * Returns:   KPH_OK when the task is finished (a return without finish_task gets a .finished with
 *            status errored); KPH_PENDING when the plugin keeps the task and finishes it later;
 *            KPH_LEFT_OPEN when another party closes it; KPH_RETRY to be called again later;
 *            KPH_ERROR when it failed: the host sends .finished with status errored, result
 *            fail and the last-error text as message.
 * Since:     1.0.0
 */
KPH_PLUGIN_EXPORT kph_result kph_plugin_handle_task(kph_plugin_state *state, kph_task_id task,
                                                    const char *event_json_host, size_t len);

/*
 * Summary:   Decides, before any .started is sent, whether this instance takes an event that its
 *            route delivered, and how. A plugin that answers only some events of a type (an SLI
 *            provider answers only get-sli.triggered for its own sliProvider) declines the rest.
 *            Without this hook every routed event is accepted with no flags.
 * Required:  no
 * Thread:    concurrent with distinct task arguments.
 * Ownership: event_json_host is valid only during the call; flags_out_host is a host variable,
 *            0 on entry, that receives KPH_TASK_* flags.
 * Returns:   KPH_OK to accept; KPH_NOT_SUPPORTED to decline (the host sends nothing and drops
 *            the task); KPH_ERROR is treated like a failing kph_plugin_handle_task.
 * Since:     1.0.0
 */
KPH_PLUGIN_EXPORT kph_result kph_plugin_accept_task(kph_plugin_state *state, kph_task_id task,
                                                    const char *event_json_host, size_t len,
                                                    uint32_t *flags_out_host);

/*
 * Summary:   Delivers the reply to an event the task sent with emit_event and a reply timeout:
 *            the correlated .finished (rc KPH_OK), or no reply in time (rc KPH_TIMEOUT), or the
 *            host shutting down (rc KPH_CANCELLED). Called once per such event. Plugins that
 *            never ask for replies do not export it; asking for one without it is refused.
 * Required:  no
 * Thread:    concurrent with distinct task arguments, on a host worker thread; never at the same
 *            time as kph_plugin_handle_task for the same task.
 * Ownership: event_json_host is the whole .finished CloudEvent (NULL with len 0 unless rc is
 *            KPH_OK), valid only during the call.
 * Returns:   like kph_plugin_handle_task: KPH_OK after finish_task, KPH_PENDING to keep waiting
 *            (for further replies), KPH_LEFT_OPEN, or KPH_ERROR.
 * Since:     1.0.0
 */
KPH_PLUGIN_EXPORT kph_result kph_plugin_on_child_event(kph_plugin_state *state, kph_task_id task,
                                                       kph_result rc, const char *event_json_host,
                                                       size_t len);

/*
 * Summary:   Tells the plugin that the host gave up on a task it still holds: the task timeout
 *            passed, or the host is stopping. The host has already sent (or is sending) the
 *            task's .finished with status errored; the plugin should stop the work and drop the
 *            task id, whose host calls now return KPH_NOT_FOUND.
 * Required:  no
 * Thread:    any thread, thread-safe; it may run while kph_plugin_handle_task is still running
 *            for the same task, which is the point: it asks that call to stop.
 * Ownership: nothing crosses.
 * Returns:   nothing.
 * Since:     1.0.0
 */
KPH_PLUGIN_EXPORT void kph_plugin_cancel_task(kph_plugin_state *state, kph_task_id task);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* KPH_PLUGIN_API_H */
