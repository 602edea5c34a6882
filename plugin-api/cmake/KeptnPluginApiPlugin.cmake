# kph_add_plugin(<target> SOURCES <files>... [OUTPUT_NAME <name>])
#
# Builds a keptn-host plugin the way the host expects to load it: a MODULE library named
# <name>.so, compiled with hidden visibility, linked with --no-undefined so that a missing
# symbol fails the build instead of the load, and with a version script that exports only the
# kph_plugin_* hooks. Link the C++ SDK (KeptnPluginApi::sdk) or only the C header
# (KeptnPluginApi::plugin_api) with target_link_libraries afterwards.
function(kph_add_plugin target)
  cmake_parse_arguments(ARG "" "OUTPUT_NAME" "SOURCES" ${ARGN})
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "kph_add_plugin(${target}): give the plugin's SOURCES")
  endif()
  if(NOT ARG_OUTPUT_NAME)
    set(ARG_OUTPUT_NAME ${target})
  endif()
  add_library(${target} MODULE ${ARG_SOURCES})
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    OUTPUT_NAME ${ARG_OUTPUT_NAME}
    C_VISIBILITY_PRESET hidden
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  # The export map sits beside this file, in the source tree and in an install alike.
  set(map "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/kph_plugin.map")
  target_link_options(${target} PRIVATE "LINKER:--no-undefined" "LINKER:--version-script=${map}")
  set_property(TARGET ${target} APPEND PROPERTY LINK_DEPENDS "${map}")
endfunction()
