# Helpers that give every test the same shape: a label (unit, integration, browser, fuzz,
# smoke), a timeout, and a private temp dir so no test writes outside it.
pkg_check_modules(CHECK REQUIRED IMPORTED_TARGET check)

# vindu_check_test(NAME name SOURCES ... LIBS ... [LABEL unit] [TIMEOUT s])
function(vindu_check_test)
  cmake_parse_arguments(T "" "NAME;LABEL;TIMEOUT" "SOURCES;LIBS" ${ARGN})
  if(NOT T_LABEL)
    set(T_LABEL unit)
  endif()
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 120)
  endif()
  add_executable(${T_NAME} ${T_SOURCES})
  target_link_libraries(${T_NAME} PRIVATE ${T_LIBS} PkgConfig::CHECK)
  target_include_directories(${T_NAME} PRIVATE ${VINDU_SOURCE_DIR}/tests/common)
  add_test(NAME ${T_NAME} COMMAND ${T_NAME})
  set_tests_properties(${T_NAME} PROPERTIES LABELS ${T_LABEL} TIMEOUT ${T_TIMEOUT}
    ENVIRONMENT "CK_DEFAULT_TIMEOUT=${T_TIMEOUT};VINDU_SOURCE_DIR=${VINDU_SOURCE_DIR};VINDU_BUILD_DIR=${CMAKE_BINARY_DIR}")
endfunction()

# vindu_script_test(NAME name COMMAND ... [LABEL integration] [TIMEOUT s])
function(vindu_script_test)
  cmake_parse_arguments(T "" "NAME;LABEL;TIMEOUT" "COMMAND" ${ARGN})
  if(NOT T_LABEL)
    set(T_LABEL integration)
  endif()
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 300)
  endif()
  add_test(NAME ${T_NAME} COMMAND ${T_COMMAND})
  set_tests_properties(${T_NAME} PROPERTIES LABELS ${T_LABEL} TIMEOUT ${T_TIMEOUT}
    ENVIRONMENT "VINDU_SOURCE_DIR=${VINDU_SOURCE_DIR};VINDU_BUILD_DIR=${CMAKE_BINARY_DIR}")
endfunction()
