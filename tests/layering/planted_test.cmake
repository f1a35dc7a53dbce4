# The configure-time layering check (tests/layering/Layering.cmake) fails on a planted break and passes
# on a clean tree, with every rule enforced (HUINONG_LAYERING_ENFORCE_ALL: the outcome does not
# depend on which rules are still pending). Run by ctest as
#   cmake -D SOURCE_ROOT=<repo> -D WORK=<scratch dir> -D MODE=includes|links -P planted_test.cmake
# includes: copies of real source files in a scratch tree, each with one planted #include;
# links:    a small CMake project whose huinong_* targets link as the rules allow, then planted.
cmake_minimum_required(VERSION 3.25)
foreach(_v SOURCE_ROOT WORK MODE)
  if(NOT ${_v})
    message(FATAL_ERROR "planted_test.cmake: -D ${_v}=... is missing")
  endif()
endforeach()
set(LAYERING "${SOURCE_ROOT}/tests/layering/Layering.cmake")

# Runs the include check on <tree>; sets <rc> and <out> (stdout and stderr together).
function(check_tree tree rc out)
  execute_process(
    COMMAND ${CMAKE_COMMAND} -D HUINONG_LAYERING_ROOT=${tree} -D HUINONG_LAYERING_ENFORCE_ALL=ON
            -P ${LAYERING}
    RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _out)
  set(${rc} ${_rc} PARENT_SCOPE)
  set(${out} "${_out}" PARENT_SCOPE)
endfunction()

# Fails the test unless <text> holds each of the following arguments.
function(expect_in what text)
  foreach(_needle IN LISTS ARGN)
    string(FIND "${text}" "${_needle}" _at)
    if(_at LESS 0)
      message(FATAL_ERROR "${what}: the output lacks \"${_needle}\":\n${text}")
    endif()
  endforeach()
endfunction()

# A scratch tree holding a copy of <rel> (a path under the source root, or "" for none) and
# nothing else.
function(fresh_tree tree rel)
  file(REMOVE_RECURSE "${tree}")
  file(MAKE_DIRECTORY "${tree}")
  if(rel)
    get_filename_component(_d "${rel}" DIRECTORY)
    file(MAKE_DIRECTORY "${tree}/${_d}")
    file(COPY_FILE "${SOURCE_ROOT}/${rel}" "${tree}/${rel}")
  endif()
endfunction()

# Plants <line> at the end of <tree>/<rel> (creating it when missing) and expects the check to
# fail naming the file, the planted line's number, <rule> and what to do.
function(expect_planted_fails tree rel line rule)
  set(_n 0)
  if(EXISTS "${tree}/${rel}")
    file(STRINGS "${tree}/${rel}" _lines)
    list(LENGTH _lines _n)
    file(READ "${tree}/${rel}" _body)
    if(NOT _body MATCHES "\n$" AND NOT _body STREQUAL "")
      file(APPEND "${tree}/${rel}" "\n")
    endif()
  else()
    get_filename_component(_d "${rel}" DIRECTORY)
    file(MAKE_DIRECTORY "${tree}/${_d}")
  endif()
  math(EXPR _n "${_n} + 1")
  file(APPEND "${tree}/${rel}" "${line}\n")
  check_tree("${tree}" _rc _out)
  if(_rc EQUAL 0)
    message(FATAL_ERROR "${rel}: the planted `${line}` passed the layering check:\n${_out}")
  endif()
  expect_in("${rel}" "${_out}" "rule ${rule}:" "${rel}:${_n}: ${line}" "What to do:")
  message(STATUS "refused as it must be: ${rel}:${_n}: ${line} (rule ${rule})")
endfunction()

if(MODE STREQUAL "includes")
  set(tree "${WORK}/tree")

  # A pos/ui file that keeps every rule today (the first in name order), then the same file
  # with a store/ header planted: the shells reach the store only through pos/app.
  file(GLOB _ui RELATIVE "${SOURCE_ROOT}" "${SOURCE_ROOT}/pos/ui/*.cpp")
  list(SORT _ui)
  set(_clean "")
  foreach(_f IN LISTS _ui)
    fresh_tree("${tree}" "${_f}")
    check_tree("${tree}" _rc _out)
    if(_rc EQUAL 0)
      set(_clean "${_f}")
      break()
    endif()
  endforeach()
  if(NOT _clean)
    message(FATAL_ERROR "no pos/ui/*.cpp passes the layering check alone, so none can take a planted include")
  endif()
  message(STATUS "clean copy passes: ${_clean}")
  expect_planted_fails("${tree}" "${_clean}" "#include \"store/store.hpp\"" ui-cli-no-store)

  # The core: a real core file passes, then a library header planted in it, then a header of
  # another part of pos/.
  fresh_tree("${tree}" pos/core/money.cpp)
  check_tree("${tree}" _rc _out)
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "pos/core/money.cpp alone breaks the layering check:\n${_out}")
  endif()
  expect_planted_fails("${tree}" pos/core/money.cpp "#include <sqlite3.h>" core-pure-std)
  fresh_tree("${tree}" pos/core/money.cpp)
  expect_planted_fails("${tree}" pos/core/money.cpp "#include \"app/terminal.hpp\"" core-pure)

  # The other folders' rules, each on a file of its own.
  fresh_tree("${tree}" "")
  expect_planted_fails("${tree}" sync/sandbox/planted.cpp "#include \"store/db.hpp\"" protocol-sandbox-no-store)
  fresh_tree("${tree}" "")
  expect_planted_fails("${tree}" sync/protocol/planted.hpp "#include \"pos/store/store.hpp\"" protocol-sandbox-no-store)
  fresh_tree("${tree}" "")
  expect_planted_fails("${tree}" pos/cli/planted.cpp "#include \"store/soundness.hpp\"" ui-cli-no-store)
  fresh_tree("${tree}" "")
  expect_planted_fails("${tree}" pos/store/planted.cpp "#include \"app/terminal.hpp\"" store-below-app)
  fresh_tree("${tree}" "")
  expect_planted_fails("${tree}" pos/platform/planted.cpp "#include \"core/money.hpp\"" platform-knows-no-terminal)
  fresh_tree("${tree}" "")
  expect_planted_fails("${tree}" pos/app/planted.cpp "#include <openssl/evp.h>" app-no-sqlite-openssl)

  # The include a rule allows stays allowed.
  fresh_tree("${tree}" "")
  file(MAKE_DIRECTORY "${tree}/pos/platform")
  file(WRITE "${tree}/pos/platform/planted.cpp" "#include \"platform/db.hpp\"\n#include <sqlite3.h>\n")
  check_tree("${tree}" _rc _out)
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "pos/platform including its own header and SQLite was refused:\n${_out}")
  endif()

elseif(MODE STREQUAL "links")
  # A project of empty interface libraries named like the house's, linked as the rules allow;
  # PLANT adds a link that breaks a rule two steps away.
  set(project_dir "${WORK}/project")
  file(REMOVE_RECURSE "${project_dir}")
  file(MAKE_DIRECTORY "${project_dir}")
  file(MAKE_DIRECTORY "${project_dir}/platform")
  file(WRITE "${project_dir}/platform/CMakeLists.txt" "add_library(huinong_platform INTERFACE)
add_library(huinong_files INTERFACE)
target_link_libraries(huinong_platform INTERFACE huinong_files huinong_warnings)
target_link_libraries(huinong_files INTERFACE huinong_core)
if(PLANT STREQUAL \"platform\")
  target_link_libraries(huinong_files INTERFACE huinong_store)
endif()
")
  file(WRITE "${project_dir}/CMakeLists.txt" "cmake_minimum_required(VERSION 3.25)
project(planted LANGUAGES NONE)
foreach(_t huinong_warnings huinong_core huinong_store huinong_files2 huinong_app huinong_protocol huinong_sandbox)
  add_library(\${_t} INTERFACE)
endforeach()
add_subdirectory(platform)
target_link_libraries(huinong_store INTERFACE huinong_core huinong_platform huinong_files huinong_warnings)
target_link_libraries(huinong_protocol INTERFACE huinong_core huinong_platform)
target_link_libraries(huinong_sandbox INTERFACE huinong_protocol)
target_link_libraries(huinong_app INTERFACE huinong_store huinong_protocol)
if(PLANT STREQUAL \"store\")
  target_link_libraries(huinong_store INTERFACE huinong_files2)
  target_link_libraries(huinong_files2 INTERFACE huinong_app)
elseif(PLANT STREQUAL \"sandbox\")
  target_link_libraries(huinong_protocol INTERFACE huinong_app)
endif()
include(\"${LAYERING}\")
")
  # Runs the project's configure with <plant>; sets <rc> and <out>.
  function(configure_planted plant rc out)
    file(REMOVE_RECURSE "${WORK}/project-build")
    execute_process(
      COMMAND ${CMAKE_COMMAND} -S ${project_dir} -B ${WORK}/project-build -D PLANT=${plant}
              -D HUINONG_LAYERING_ENFORCE_ALL=ON
      RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _out)
    set(${rc} ${_rc} PARENT_SCOPE)
    set(${out} "${_out}" PARENT_SCOPE)
  endfunction()

  configure_planted(none _rc _out)
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "the links the rules allow were refused:\n${_out}")
  endif()
  # The message names the path through which the forbidden target is reached, and the line of
  # the first hop's target_link_libraries().
  configure_planted(store _rc _out)
  if(_rc EQUAL 0)
    message(FATAL_ERROR "huinong_store reaching huinong_app passed the layering check:\n${_out}")
  endif()
  expect_in("store" "${_out}" "rule store-links-core-platform:"
            "CMakeLists.txt:12: huinong_store links huinong_app (huinong_store -> huinong_files2 -> huinong_app)"
            "What to do:")
  configure_planted(sandbox _rc _out)
  if(_rc EQUAL 0)
    message(FATAL_ERROR "huinong_sandbox reaching huinong_store passed the layering check:\n${_out}")
  endif()
  expect_in("sandbox" "${_out}" "rule sandbox-links-no-store:"
            "huinong_sandbox links huinong_store (huinong_sandbox -> huinong_protocol -> huinong_app -> huinong_store)"
            "rule protocol-links-core-platform:")
  configure_planted(platform _rc _out)
  if(_rc EQUAL 0)
    message(FATAL_ERROR "huinong_files (a platform library) reaching huinong_store passed the layering check:\n${_out}")
  endif()
  expect_in("platform" "${_out}" "rule platform-links-no-house:"
            "platform/CMakeLists.txt:6: huinong_files links huinong_store (huinong_files -> huinong_store)")
  message(STATUS "the planted links were refused, the allowed ones passed")
else()
  message(FATAL_ERROR "planted_test.cmake: MODE is includes or links, not ${MODE}")
endif()
