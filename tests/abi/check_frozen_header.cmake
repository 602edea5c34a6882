# Fails when the frozen 1.0 header differs from the copy taken at release: that file stands
# for every plugin binary built against 1.0, so it is a record, not a header to maintain.
file(SHA256 "${FILE}" actual)
if(NOT actual STREQUAL EXPECTED_SHA256)
  message(FATAL_ERROR
    "${FILE} changed: expected SHA-256 ${EXPECTED_SHA256}, found ${actual}. This frozen copy "
    "of plugin_api.h 1.0.0 must never change; restore it from version control and make the "
    "change in plugin-api/include/kph/plugin_api.h instead.")
endif()
message(STATUS "${FILE}: unchanged (${actual})")
