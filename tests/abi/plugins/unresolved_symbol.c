/*
 * A plugin that links only because it is built WITHOUT -Wl,--no-undefined (not with
 * kph_add_plugin): it calls a function no library defines. Loading it with RTLD_NOW must fail
 * inside dlopen, and the loader must turn that into a refusal, not a crash mid-task.
 */
#include <kph/plugin_api.h>

extern int kph_test_function_nobody_defines(void);

KPH_PLUGIN_EXPORT const char* kph_plugin_get_required_api_version(void) {
  return kph_test_function_nobody_defines() ? KPH_PLUGIN_API_VERSION_STR : "0.0.0";
}
