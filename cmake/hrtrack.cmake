# Shared build settings for every hrtrack target.
add_library(hrtrack_warnings INTERFACE)
target_compile_options(hrtrack_warnings INTERFACE -Wall -Wextra -Wpedantic)
if(HRTRACK_WERROR)
  target_compile_options(hrtrack_warnings INTERFACE -Werror)
endif()
if(HRTRACK_FUZZ)
  # Every library is built with coverage for libFuzzer (and sanitised, below).
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()
if(HRTRACK_SANITIZE OR HRTRACK_FUZZ)
  # ASan + UBSan; an undefined behaviour report stops the test or the fuzzer.
  # ASan's instrumentation makes GCC's flow analysis report uninitialised reads that are
  # not there (in Boost.Graph and libstdc++ headers); the sanitizers check that for real.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    target_compile_options(hrtrack_warnings INTERFACE -Wno-maybe-uninitialized)
  endif()
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

# Code that only drives the libraries (the tests and the CLI's commands) may be built with
# its own flags: the CI tree builds it at -O0, which halves its compile time under the
# sanitizers and coverage instrumentation, while the libraries it drives stay optimised.
set(HRTRACK_DRIVER_FLAGS "" CACHE STRING "Extra compile flags for the test and CLI sources (CI: -O0)")
separate_arguments(hrtrack_driver_flags UNIX_COMMAND "${HRTRACK_DRIVER_FLAGS}")
function(hrtrack_driver target)
  target_compile_options(${target} PRIVATE ${hrtrack_driver_flags})
endfunction()

# hrtrack_module(NAME DEPS...): one library per top-level folder, public headers in
# include/hrtrack/<name>/, private sources in src/. New sources are picked up by glob.
function(hrtrack_module name)
  cmake_parse_arguments(M "" "" "PUBLIC_DEPS;PRIVATE_DEPS" ${ARGN})
  file(GLOB_RECURSE sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/src/*.cpp)
  if(NOT sources)
    # A module still being written: an empty library keeps the rest of the build going.
    set(empty ${CMAKE_CURRENT_BINARY_DIR}/${name}_empty.cpp)
    file(WRITE ${empty} "// ${name}: no sources yet\n")
    set(sources ${empty})
  endif()
  add_library(hrtrack_${name} STATIC ${sources})
  add_library(hrtrack::${name} ALIAS hrtrack_${name})
  target_include_directories(hrtrack_${name}
    PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/include
    PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/src)
  target_link_libraries(hrtrack_${name} PUBLIC ${M_PUBLIC_DEPS} PRIVATE hrtrack_warnings ${M_PRIVATE_DEPS})
endfunction()

# hrtrack_test(MODULE [SLOW TAGS] LIBS...): one Catch2 executable per module, from
# tests/<module>/*.cpp. The test cases of SLOW's Catch2 tags ("[crash]") run as a ctest test
# of their own, <module>-slow, labelled `slow`: `ctest -LE slow` leaves them out, and ctest -j
# runs them beside the rest of the module.
function(hrtrack_test module)
  cmake_parse_arguments(T "" "SLOW" "" ${ARGN})
  set(ARGN ${T_UNPARSED_ARGUMENTS})
  file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/${module}/*.cpp)
  if(NOT sources)
    message(WARNING "tests/${module} has no tests yet")
    set(sources ${CMAKE_CURRENT_SOURCE_DIR}/support/no_tests.cpp)
  endif()
  add_executable(test_${module} ${sources})
  target_link_libraries(test_${module} PRIVATE hrtrack_test_main hrtrack_warnings ${ARGN})
  hrtrack_driver(test_${module})
  set(environment "HRTRACK_SHARED=${HRTRACK_SHARED_DIR};HRTRACK_BIN=$<TARGET_FILE:hrtrack>")
  if(T_SLOW)
    add_test(NAME ${module} COMMAND test_${module} "~${T_SLOW}")
    add_test(NAME ${module}-slow COMMAND test_${module} "${T_SLOW}")
    set_tests_properties(${module}-slow PROPERTIES LABELS slow ENVIRONMENT "${environment}")
  else()
    add_test(NAME ${module} COMMAND test_${module})
  endif()
  set_tests_properties(${module} PROPERTIES ENVIRONMENT "${environment}")
endfunction()
