/* Compiled with -std=c99 -Wall -Werror -pedantic: the plugin API must stay plain C99. */
#include <kph/plugin_api.h>

int kph_c99_header_check(void) { return (int)KPH_OK + (int)sizeof(kph_host_api); }
