# The house's layers (issue 17), checked when CMake configures, the way pos/core's purity always
# was: a rule broken here stops the configure with the file, the line, the rule and the way out,
# before anything is compiled.
#
#   platform   SQLite, crypto, signing, files, errors: no terminal knowledge, links no huinong_*
#   core       values and rules on the C++ standard library: links nothing
#   store      the terminal's repositories: links core and platform only
#   protocol   the wire: links core and platform only; the sandbox never links the store
#   app        use cases; ui and cli reach the store only through them
#
# Two kinds of rule. Link rules walk each target's LINK_LIBRARIES, transitively (a library
# reached through another counts). Include rules read the `#include` lines of the sources in a
# folder (direct includes only; a header is checked where it lives).
#
# Included once from the top-level CMakeLists.txt after every add_subdirectory(), so that
# target_link_libraries() calls made from other folders (hardware/ adding to `huinong`) are in.
# The include rules also run alone, on any tree, with no build (the layering test does that):
#   cmake -D HUINONG_LAYERING_ROOT=<source tree> [-D HUINONG_LAYERING_ENFORCE_ALL=ON] -P tests/layering/Layering.cmake
#
# Configure time only sees the sources as they were at the last configure; the ctest
# "layering: the source tree keeps its include rules" runs the same check at test time.

# Rules that work in flight is making true (issue 17's helpers: the platform split, the store
# off sync/protocol and sync/sandbox, pos/ui and pos/cli through use cases). A pending rule is
# still checked, but a break is a warning, not an error. Whoever merges that work removes the
# rule's name here; the configure says "holds now" for each pending rule that no longer breaks.
# HUINONG_LAYERING_ENFORCE_ALL=ON treats every rule as enforced (the layering test uses it).
# Empty since the issue-17 branches were merged: every rule is enforced.
set(HUINONG_LAYERING_PENDING
)

cmake_policy(PUSH)
cmake_policy(VERSION 3.25)  # IN_LIST, empty list elements: the same in script mode as in the project

# ---- include rules ------------------------------------------------------------------------------
# Each rule: the folders it reads (relative to the source root), what an include may not be
# (a regex over the text between the quotes or the brackets), why, and what to do instead.
# `quoted`/`angled`: which includes the pattern applies to; `both` for either.
set(_house_dirs "(pos/)?(core|store|app|ui|cli|devices|platform)/|(sync/)?(protocol|client|sandbox)/|hardware/")

set(_inc_rules ui-cli-no-store core-pure core-pure-std protocol-sandbox-no-store store-below-app
               platform-knows-no-terminal app-no-sqlite-openssl)

set(_inc_ui-cli-no-store_dirs pos/ui pos/cli)
set(_inc_ui-cli-no-store_kind both)
set(_inc_ui-cli-no-store_bad "^(\\.\\./)*(pos/)?store/")
set(_inc_ui-cli-no-store_why "pos/ui and pos/cli include no store/ header: the shells reach the store only through pos/app's use cases")
set(_inc_ui-cli-no-store_fix "call a use case of pos/app (add one there if none does this) and include its header instead")

set(_inc_core-pure_dirs pos/core)
set(_inc_core-pure_kind quoted)
set(_inc_core-pure_allow "^core/[^/]+$")
set(_inc_core-pure_why "pos/core includes only pos/core headers (\"core/...\") and the C++ standard library (STYLE.md 1)")
set(_inc_core-pure_fix "keep the core on values: move the code that needs this header up into pos/store or pos/app, or have the shell pass the result in as a value")

# A standard header is a bare lower-case name: <vector>, <cstdint>. Anything with a '.' or a
# '/' (<sqlite3.h>, <wx/string.h>, <nlohmann/json.hpp>) is a library's. tests/core's
# core_purity_test.cpp narrows this further to the standard headers without effects.
set(_inc_core-pure-std_dirs pos/core)
set(_inc_core-pure-std_kind angled)
set(_inc_core-pure-std_allow "^[a-z_]+$")
set(_inc_core-pure-std_why "pos/core includes only pos/core headers and the C++ standard library (STYLE.md 1): it never sees SQLite, OpenSSL, wx, curl or JSON")
set(_inc_core-pure-std_fix "move the code that needs this library up into pos/store, pos/platform or pos/app (the core takes and returns plain values)")

set(_inc_protocol-sandbox-no-store_dirs sync/protocol sync/sandbox)
set(_inc_protocol-sandbox-no-store_kind both)
set(_inc_protocol-sandbox-no-store_bad "^(\\.\\./)*(pos/)?store/")
set(_inc_protocol-sandbox-no-store_why "sync/protocol and sync/sandbox include no store/ header: the wire and the province's side never see the terminal's store")
set(_inc_protocol-sandbox-no-store_fix "use pos/platform (Database, crypto, signing) and the records of pos/core (sync/client maps the store's records to the wire)")

set(_inc_store-below-app_dirs pos/store)
set(_inc_store-below-app_kind both)
set(_inc_store-below-app_bad "^(\\.\\./)*((pos/)?(app|ui|cli|devices)/|(sync/)?(protocol|client|sandbox)/|hardware/)")
set(_inc_store-below-app_why "pos/store includes no app/, ui/, cli/, devices/, sync/ or hardware/ header: the store sits under the use cases and knows no shell, device or wire")
set(_inc_store-below-app_fix "move the code that needs it up into pos/app (or sync/client for the wire)")

set(_inc_platform-knows-no-terminal_dirs pos/platform)
set(_inc_platform-knows-no-terminal_kind both)
set(_inc_platform-knows-no-terminal_bad "^(\\.\\./)*(${_house_dirs})")
set(_inc_platform-knows-no-terminal_allow "^(pos/)?(platform/|core/text\\.hpp$)")
set(_inc_platform-knows-no-terminal_why "pos/platform includes only platform/ headers, core/text.hpp (escaping a path for a message) and system libraries: SQLite, crypto, files and errors with no terminal knowledge (no schema, no records, no rules)")
set(_inc_platform-knows-no-terminal_fix "keep the terminal's part in pos/store or pos/core and pass what the platform needs in as plain values")

set(_inc_app-no-sqlite-openssl_dirs pos/app)
set(_inc_app-no-sqlite-openssl_kind angled)
set(_inc_app-no-sqlite-openssl_bad "^(sqlite3\\.h|openssl/)")
set(_inc_app-no-sqlite-openssl_why "pos/app includes neither <sqlite3.h> nor OpenSSL: one SQLite wrapper and one SHA-256, in pos/platform")
set(_inc_app-no-sqlite-openssl_fix "use pos/platform's Database and crypto (or a repository of pos/store)")

# Sets <out> to TRUE when <rule> is pending (a warning) in this run.
function(_huinong_layering_pending rule out)
  set(_p FALSE)
  if(NOT HUINONG_LAYERING_ENFORCE_ALL AND rule IN_LIST HUINONG_LAYERING_PENDING)
    set(_p TRUE)
  endif()
  set(${out} ${_p} PARENT_SCOPE)
endfunction()

# The line number (1-based) of the <nth> line of <file> that is exactly <text>.
function(_huinong_line_of file text nth out)
  file(READ "${file}" _body)
  set(_from 0)
  set(_line 0)
  foreach(_i RANGE 1 ${nth})
    string(SUBSTRING "${_body}" ${_from} -1 _rest)
    string(FIND "${_rest}" "${text}" _at)
    if(_at LESS 0)
      break()
    endif()
    math(EXPR _at "${_from} + ${_at}")
    math(EXPR _from "${_at} + 1")
  endforeach()
  string(SUBSTRING "${_body}" 0 ${_at} _before)
  string(REGEX MATCHALL "\n" _nls "${_before}")
  list(LENGTH _nls _n)
  math(EXPR _line "${_n} + 1")
  set(${out} ${_line} PARENT_SCOPE)
endfunction()

# Reports what broke: FATAL_ERROR for enforced rules (all of them at once), WARNING for pending.
function(_huinong_layering_report errors warnings holding)
  foreach(_r IN LISTS holding)
    message(STATUS "layering: pending rule ${_r} holds now: take it off HUINONG_LAYERING_PENDING in tests/layering/Layering.cmake")
  endforeach()
  if(warnings)
    string(REPLACE ";" "\n\n" _w "${warnings}")
    message(WARNING "layering: pending rules still broken (HUINONG_LAYERING_PENDING in tests/layering/Layering.cmake):\n${_w}")
  endif()
  if(errors)
    string(REPLACE ";" "\n\n" _e "${errors}")
    message(FATAL_ERROR "layering: the house's layers are broken (tests/layering/Layering.cmake):\n${_e}")
  endif()
endfunction()

# Files one rule's breaks (<where>: "\n  file:line: what" lines; empty when it holds) as an
# error or, for a pending rule, a warning; a pending rule that holds is noted. A macro: it
# appends to the calling check's _errors, _warnings and _holding.
macro(_huinong_layering_block rule why where fix)
  _huinong_layering_pending(${rule} _pending)
  if(NOT "${where}" STREQUAL "")
    set(_block "rule ${rule}: ${why}.${where}\n  What to do: ${fix}.")
    string(REPLACE ";" "," _block "${_block}")  # one list element per rule
    if(_pending)
      list(APPEND _warnings "${_block}\n  (pending: the work in flight makes this rule true)")
    else()
      list(APPEND _errors "${_block}")
    endif()
  elseif(_pending)
    list(APPEND _holding ${rule})
  endif()
endmacro()

# Reads the sources under <root> against the include rules. Sets <err>, <warn> (lists of
# messages) and <holding> (pending rules that broke nowhere) in the caller.
function(huinong_check_include_layering root err warn holding)
  set(_errors "")
  set(_warnings "")
  set(_holding "")
  foreach(_rule IN LISTS _inc_rules)
    set(_where "")
    set(_read FALSE)
    set(_kind ${_inc_${_rule}_kind})
    foreach(_dir IN LISTS _inc_${_rule}_dirs)
      if(NOT IS_DIRECTORY "${root}/${_dir}")
        message(STATUS "layering: ${_dir}/ does not exist (yet): rule ${_rule} skipped there")
        continue()
      endif()
      set(_read TRUE)
      file(GLOB_RECURSE _files RELATIVE "${root}" "${root}/${_dir}/*.cpp" "${root}/${_dir}/*.hpp"
           "${root}/${_dir}/*.h" "${root}/${_dir}/*.cc")
      list(SORT _files)
      foreach(_f IN LISTS _files)
        file(STRINGS "${root}/${_f}" _incs REGEX "^[ \t]*#[ \t]*include[ \t]*[<\"]")
        set(_seen "")
        foreach(_inc IN LISTS _incs)
          string(REGEX MATCH "^[ \t]*#[ \t]*include[ \t]*([<\"])([^>\"]*)[>\"]" _m "${_inc}")
          if(NOT _m)
            continue()
          endif()
          set(_bracket "${CMAKE_MATCH_1}")
          set(_name "${CMAKE_MATCH_2}")
          if((_kind STREQUAL "quoted" AND NOT _bracket STREQUAL "\"") OR
             (_kind STREQUAL "angled" AND NOT _bracket STREQUAL "<"))
            continue()
          endif()
          # Broken: matches what the rule forbids (when it says) and not what it allows (when
          # it says); a rule with only an allow pattern forbids everything else.
          if(DEFINED _inc_${_rule}_bad AND NOT _name MATCHES "${_inc_${_rule}_bad}")
            continue()
          endif()
          if(DEFINED _inc_${_rule}_allow AND _name MATCHES "${_inc_${_rule}_allow}")
            continue()
          endif()
          # The same line may stand twice in a file: number each occurrence.
          set(_nth 1)
          foreach(_s IN LISTS _seen)
            if(_s STREQUAL _inc)
              math(EXPR _nth "${_nth} + 1")
            endif()
          endforeach()
          list(APPEND _seen "${_inc}")
          _huinong_line_of("${root}/${_f}" "${_inc}" ${_nth} _line)
          if(_bracket STREQUAL "<")
            set(_shown "<${_name}>")
          else()
            set(_shown "\"${_name}\"")
          endif()
          string(APPEND _where "\n  ${_f}:${_line}: #include ${_shown}")
        endforeach()
      endforeach()
    endforeach()
    if(_read)
      _huinong_layering_block(${_rule} "${_inc_${_rule}_why}" "${_where}" "${_inc_${_rule}_fix}")
    endif()
  endforeach()
  set(${err} "${_errors}" PARENT_SCOPE)
  set(${warn} "${_warnings}" PARENT_SCOPE)
  set(${holding} "${_holding}" PARENT_SCOPE)
endfunction()

# ---- link rules ---------------------------------------------------------------------------------
# Each rule: the target, the huinong_* targets it may reach (transitively; huinong_warnings, the
# warning flags, is allowed everywhere) or the one it must never reach, and for the store the
# system libraries it may link directly. PLATFORM stands for every target pos/platform's
# CMakeLists.txt defines (huinong_platform and what it is split into, e.g. huinong_files).
set(_link_rules core-links-nothing platform-links-no-house store-links-core-platform
                protocol-links-core-platform sandbox-links-no-store)

set(_link_core-links-nothing_target huinong_core)
set(_link_core-links-nothing_may "")
set(_link_core-links-nothing_libs "")
set(_link_core-links-nothing_why "huinong_core links nothing but the C++ standard library (STYLE.md 1, KiCad's warning)")
set(_link_core-links-nothing_fix "take the link out: code that needs the library belongs in pos/store, pos/platform or pos/app")

set(_link_platform-links-no-house_target PLATFORM)
set(_link_platform-links-no-house_may PLATFORM huinong_core)
set(_link_platform-links-no-house_why "pos/platform's libraries link no huinong_* library but each other and the pure huinong_core (its text escaping): the platform sits under the store, with no terminal knowledge")
set(_link_platform-links-no-house_fix "pass what the platform needs in as plain values, and move the terminal's part up into pos/store")

set(_link_store-links-core-platform_target huinong_store)
set(_link_store-links-core-platform_may huinong_core PLATFORM)
set(_link_store-links-core-platform_libs SQLite::SQLite3 OpenSSL::Crypto nlohmann_json::nlohmann_json)
set(_link_store-links-core-platform_why "huinong_store links only huinong_core and huinong_platform (and SQLite, OpenSSL's libcrypto, nlohmann-json)")
set(_link_store-links-core-platform_fix "the store sits under the use cases: move the code that needs it up into pos/app, or what it needs down into pos/platform")

set(_link_protocol-links-core-platform_target huinong_protocol)
set(_link_protocol-links-core-platform_may huinong_core PLATFORM)
set(_link_protocol-links-core-platform_why "huinong_protocol links huinong_core and huinong_platform only: the wire format is shared by the terminal and the province and owns its types")
set(_link_protocol-links-core-platform_fix "use the records of pos/core and pos/platform's signing (sync/client maps the store's records to the wire)")

set(_link_sandbox-links-no-store_target huinong_sandbox)
set(_link_sandbox-links-no-store_never huinong_store)
set(_link_sandbox-links-no-store_why "huinong_sandbox never links huinong_store: the province keeps its own schema on pos/platform's Database, not the terminal's migrations")
set(_link_sandbox-links-no-store_fix "use pos/platform (Database, signing) and sync/protocol's wire types")

# One entry of LINK_LIBRARIES as the name it links, or "" for what links nothing (the
# directory markers CMake puts around target_link_libraries() calls from other folders,
# generator expressions other than $<LINK_ONLY:> and $<BUILD_INTERFACE:>).
function(_huinong_link_name item out)
  set(_n "${item}")
  if(_n MATCHES "^\\$<(LINK_ONLY|BUILD_INTERFACE):(.*)>$")
    set(_n "${CMAKE_MATCH_2}")
  endif()
  if(_n MATCHES "^::@" OR _n MATCHES "\\$<" OR _n STREQUAL "")
    set(_n "")
  elseif(TARGET "${_n}")
    get_target_property(_aliased "${_n}" ALIASED_TARGET)
    if(_aliased)
      set(_n "${_aliased}")
    endif()
  endif()
  set(${out} "${_n}" PARENT_SCOPE)
endfunction()

# What <target> links directly (LINK_LIBRARIES, and INTERFACE_LINK_LIBRARIES for interface
# libraries).
function(_huinong_direct_links target out)
  set(_all "")
  foreach(_prop LINK_LIBRARIES INTERFACE_LINK_LIBRARIES)
    get_target_property(_v "${target}" ${_prop})
    if(_v)
      foreach(_item IN LISTS _v)
        _huinong_link_name("${_item}" _n)
        if(_n AND NOT _n IN_LIST _all)
          list(APPEND _all "${_n}")
        endif()
      endforeach()
    endif()
  endforeach()
  set(${out} "${_all}" PARENT_SCOPE)
endfunction()

# Every project target <target> reaches, breadth first; for each, <out>_via_<name> holds the
# path from <target> to it ("a -> b -> c"). Imported targets are leaves.
function(_huinong_reach target out)
  set(_queue "${target}")
  set(_reached "")
  set(_via_${target} "${target}")
  while(_queue)
    list(POP_FRONT _queue _t)
    _huinong_direct_links("${_t}" _links)
    foreach(_l IN LISTS _links)
      if(_l IN_LIST _reached OR _l STREQUAL target)
        continue()
      endif()
      list(APPEND _reached "${_l}")
      set(_via_${_l} "${_via_${_t}} -> ${_l}")
      set(${out}_via_${_l} "${_via_${_l}}" PARENT_SCOPE)
      if(TARGET "${_l}")
        get_target_property(_imported "${_l}" IMPORTED)
        if(NOT _imported)
          list(APPEND _queue "${_l}")
        endif()
      endif()
    endforeach()
  endwhile()
  set(${out} "${_reached}" PARENT_SCOPE)
endfunction()

# The line of <target>'s folder's CMakeLists.txt where its target_link_libraries() names <name>
# (the first hop of a path), for the message; the CMakeLists.txt alone when none does (a link
# made from another folder).
function(_huinong_link_site target name out)
  get_target_property(_dir "${target}" SOURCE_DIR)
  file(RELATIVE_PATH _site "${PROJECT_SOURCE_DIR}" "${_dir}/CMakeLists.txt")
  if(EXISTS "${_dir}/CMakeLists.txt")
    file(STRINGS "${_dir}/CMakeLists.txt" _lines)
    set(_n 0)
    set(_in_call FALSE)
    foreach(_line IN LISTS _lines)
      math(EXPR _n "${_n} + 1")
      string(REGEX REPLACE "#.*" "" _code "${_line}")
      if(_code MATCHES "target_link_libraries[ \t]*\\([ \t]*([^ \t)]+)")
        set(_in_call FALSE)
        if(CMAKE_MATCH_1 STREQUAL target)
          set(_in_call TRUE)
        endif()
      endif()
      if(_in_call)
        string(REGEX REPLACE "[ \t()]+" ";" _words "${_code}")
        if(name IN_LIST _words)
          string(APPEND _site ":${_n}")
          break()
        endif()
        if(_code MATCHES "\\)")
          set(_in_call FALSE)
        endif()
      endif()
    endforeach()
  endif()
  set(${out} "${_site}" PARENT_SCOPE)
endfunction()

# Walks each link rule's target. Sets <err>, <warn> and <holding> like the include check.
function(huinong_check_link_layering err warn holding)
  set(_errors "")
  set(_warnings "")
  set(_holding "")
  # PLATFORM: the targets defined in huinong_platform's folder.
  set(_platform "")
  if(TARGET huinong_platform)
    get_target_property(_pdir huinong_platform SOURCE_DIR)
    get_property(_platform DIRECTORY "${_pdir}" PROPERTY BUILDSYSTEM_TARGETS)
  endif()
  foreach(_rule IN LISTS _link_rules)
    set(_targets ${_link_${_rule}_target})
    list(TRANSFORM _targets REPLACE "^PLATFORM$" "${_platform}")
    set(_may ${_link_${_rule}_may})
    list(TRANSFORM _may REPLACE "^PLATFORM$" "${_platform}")
    set(_present "")
    foreach(_t IN LISTS _targets)
      if(TARGET "${_t}")
        list(APPEND _present "${_t}")
      endif()
    endforeach()
    set(_targets "${_present}")
    if(NOT _targets)
      string(REPLACE "PLATFORM" "huinong_platform" _named "${_link_${_rule}_target}")
      message(STATUS "layering: target ${_named} does not exist (yet): rule ${_rule} skipped")
      continue()
    endif()
    set(_where "")
    foreach(_target IN LISTS _targets)
      _huinong_reach(${_target} _reach)
      _huinong_direct_links(${_target} _direct)
      set(_bad "")
      foreach(_l IN LISTS _reach)
        if(_l STREQUAL "huinong_warnings")
          continue()
        endif()
        if(DEFINED _link_${_rule}_never)
          if(_l IN_LIST _link_${_rule}_never)
            list(APPEND _bad "${_l}")
          endif()
        elseif(_l MATCHES "^huinong_")
          if(NOT _l IN_LIST _may)
            list(APPEND _bad "${_l}")
          endif()
        elseif(DEFINED _link_${_rule}_libs AND _l IN_LIST _direct AND NOT _l IN_LIST _link_${_rule}_libs)
          # A system library the rule does not name, linked by the target itself (what an allowed
          # huinong_* target links is that target's business).
          list(APPEND _bad "${_l}")
        endif()
      endforeach()
      foreach(_l IN LISTS _bad)
        string(REPLACE " -> " ";" _hops "${_reach_via_${_l}}")
        list(GET _hops 1 _first)
        _huinong_link_site(${_target} "${_first}" _site)
        string(APPEND _where "\n  ${_site}: ${_target} links ${_l} (${_reach_via_${_l}})")
      endforeach()
    endforeach()
    _huinong_layering_block(${_rule} "${_link_${_rule}_why}" "${_where}" "${_link_${_rule}_fix}")
  endforeach()
  set(${err} "${_errors}" PARENT_SCOPE)
  set(${warn} "${_warnings}" PARENT_SCOPE)
  set(${holding} "${_holding}" PARENT_SCOPE)
endfunction()

# ---- run ----------------------------------------------------------------------------------------
if(CMAKE_SCRIPT_MODE_FILE STREQUAL CMAKE_CURRENT_LIST_FILE)
  if(NOT HUINONG_LAYERING_ROOT)
    message(FATAL_ERROR "usage: cmake -D HUINONG_LAYERING_ROOT=<source tree> [-D HUINONG_LAYERING_ENFORCE_ALL=ON] -P ${CMAKE_CURRENT_LIST_FILE}")
  endif()
  huinong_check_include_layering("${HUINONG_LAYERING_ROOT}" _e _w _h)
  _huinong_layering_report("${_e}" "${_w}" "${_h}")
  message(STATUS "layering: no enforced include rule is broken in ${HUINONG_LAYERING_ROOT}")
else()
  huinong_check_include_layering("${PROJECT_SOURCE_DIR}" _e1 _w1 _h1)
  huinong_check_link_layering(_e2 _w2 _h2)
  set(_e ${_e1} ${_e2})
  set(_w ${_w1} ${_w2})
  set(_h ${_h1} ${_h2})
  _huinong_layering_report("${_e}" "${_w}" "${_h}")
endif()
cmake_policy(POP)
