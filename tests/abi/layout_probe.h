/* One number of the ABI, as a compiler saw it. */
#ifndef KPH_TESTS_ABI_LAYOUT_PROBE_H
#define KPH_TESTS_ABI_LAYOUT_PROBE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct kph_layout_entry {
  const char* name;
  long long value;
  int may_grow; /* struct sizes may grow at the end; everything else must stay equal */
} kph_layout_entry;

const kph_layout_entry* kph_layout_frozen_1_0(size_t* count);
const kph_layout_entry* kph_layout_current(size_t* count);

#ifdef __cplusplus
}
#endif

#endif
