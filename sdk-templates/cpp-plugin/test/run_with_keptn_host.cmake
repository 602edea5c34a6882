# Runs the built plugin through `keptn-host run` with the events in EVENTS and checks that the
# task got exactly one .started and one .finished, both answering TRIGGERED_ID, and that the
# .finished succeeded (with EXPECTED_MESSAGE in its message when given).
#   cmake -DKEPTN_HOST=... -DPLUGIN=... -DEVENTS=... -DTASK=... -DTRIGGERED_ID=...
#         [-DEXPECTED_MESSAGE=...] -P run_with_keptn_host.cmake
cmake_minimum_required(VERSION 3.20)

foreach(var KEPTN_HOST PLUGIN EVENTS TASK TRIGGERED_ID)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "run_with_keptn_host.cmake: -D${var}=... is missing")
  endif()
endforeach()
if(NOT EXISTS "${KEPTN_HOST}")
  message(FATAL_ERROR "keptn-host not found (KEPTN_HOST_EXECUTABLE is '${KEPTN_HOST}'): put "
                      "keptn-host on PATH, or configure with "
                      "-DKEPTN_HOST_EXECUTABLE=/path/to/keptn-host")
endif()

execute_process(
  COMMAND "${KEPTN_HOST}" run --plugin "${PLUGIN}" --events "${EVENTS}"
  OUTPUT_VARIABLE out
  ERROR_VARIABLE err
  RESULT_VARIABLE rc
  TIMEOUT 120)
message(STATUS "keptn-host stderr:\n${err}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "keptn-host run exited with ${rc}; expected 0. Its output:\n${out}")
endif()

set(started 0)
set(finished 0)
# One JSON event per line. Lines are cut by hand: a CMake list would split them at ';'.
set(rest "${out}")
while(NOT rest STREQUAL "")
  string(FIND "${rest}" "\n" newline)
  if(newline EQUAL -1)
    set(line "${rest}")
    set(rest "")
  else()
    string(SUBSTRING "${rest}" 0 ${newline} line)
    math(EXPR next "${newline} + 1")
    string(SUBSTRING "${rest}" ${next} -1 rest)
  endif()
  if(line STREQUAL "")
    continue()
  endif()
  string(JSON type ERROR_VARIABLE json_error GET "${line}" type)
  if(json_error)
    message(FATAL_ERROR "keptn-host printed a line that is not a CloudEvent: ${line}")
  endif()
  if(type STREQUAL "sh.keptn.event.${TASK}.started" OR
     type STREQUAL "sh.keptn.event.${TASK}.finished")
    string(JSON triggeredid ERROR_VARIABLE json_error GET "${line}" triggeredid)
    if(NOT triggeredid STREQUAL TRIGGERED_ID)
      message(FATAL_ERROR "${type} answers triggeredid '${triggeredid}'; expected "
                          "'${TRIGGERED_ID}': ${line}")
    endif()
  endif()
  if(type STREQUAL "sh.keptn.event.${TASK}.started")
    math(EXPR started "${started} + 1")
  elseif(type STREQUAL "sh.keptn.event.${TASK}.finished")
    math(EXPR finished "${finished} + 1")
    string(JSON status ERROR_VARIABLE json_error GET "${line}" data status)
    string(JSON text ERROR_VARIABLE json_error GET "${line}" data message)
    if(NOT status STREQUAL "succeeded")
      message(FATAL_ERROR "the task finished with status '${status}' (${text}); expected "
                          "succeeded: ${line}")
    endif()
    if(DEFINED EXPECTED_MESSAGE AND NOT EXPECTED_MESSAGE STREQUAL "")
      string(FIND "${text}" "${EXPECTED_MESSAGE}" found)
      if(found EQUAL -1)
        message(FATAL_ERROR "the .finished message is '${text}'; expected it to contain "
                            "'${EXPECTED_MESSAGE}'")
      endif()
    endif()
  endif()
endwhile()

if(NOT started EQUAL 1 OR NOT finished EQUAL 1)
  message(FATAL_ERROR "expected one sh.keptn.event.${TASK}.started and one .finished, found "
                      "${started} and ${finished}. keptn-host printed:\n${out}")
endif()
message(STATUS "one .started and one .finished for ${TRIGGERED_ID}: ok")
