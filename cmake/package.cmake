# cmake/package.cmake - generated data files, their installation and the
# Debian package (CPack DEB; `make package`). Included from CMakeLists.txt
# after the vmctr-cli target is defined.
#
# Installed (component "cli" unless noted; prefix /usr in the package):
#   bin/vmctr
#   share/man/man1/vmctr.1.gz
#   share/bash-completion/completions/vmctr       `vmctr completion bash`
#   share/zsh/vendor-completions/_vmctr            `vmctr completion zsh`
#   share/fish/vendor_completions.d/vmctr.fish     `vmctr completion fish`
#   share/vmctr/schema/profile-v1.json             `vmctr schema`
#   share/vmctr/schema/report-v1.json              `vmctr schema --report`
#   share/vmctr/schema/waivers-v1.json             `vmctr schema --waivers`
#   share/vmctr/schema/{check,diff,...}-v1.json    schemas/*.json (the other JSON outputs)
#   share/doc/vmctr/copyright, changelog.gz        packaging/
# and, component "dev" (make install only, not in the .deb): the static
# library, the headers and vmctr.pc.
#
# The completions and schemas are written by the vmctr just built, so they
# are exactly what the program says; when cross-compiling it cannot run
# here and they are left out (as curl does with its completions).

# Debian and the version in common.h must agree with project(VERSION).
file(STRINGS ${PROJECT_SOURCE_DIR}/include/vmctr/common.h _vm_ver REGEX "^#define VMCTR_VERSION ")
string(REGEX REPLACE ".*\"(.*)\".*" "\\1" _vm_ver "${_vm_ver}")
if(NOT _vm_ver STREQUAL PROJECT_VERSION)
  message(FATAL_ERROR "VMCTR_VERSION in include/vmctr/common.h (${_vm_ver}) differs from project(VERSION ${PROJECT_VERSION})")
endif()
file(STRINGS ${PROJECT_SOURCE_DIR}/packaging/changelog _vm_chl LIMIT_COUNT 1)
if(NOT _vm_chl MATCHES "^vmctr \\(${PROJECT_VERSION}\\) ")
  message(FATAL_ERROR "packaging/changelog must start with an entry for ${PROJECT_VERSION}: ${_vm_chl}")
endif()

set(VMCTR_DATA ${PROJECT_BINARY_DIR}/data)
file(MAKE_DIRECTORY ${VMCTR_DATA})
find_program(VMCTR_GZIP gzip)

set(_vm_data_files)
if(VMCTR_GZIP)
  # -n: no name or time stamp, so the same input gives the same bytes
  foreach(f man/vmctr.1 packaging/changelog)
    get_filename_component(n ${f} NAME)
    add_custom_command(OUTPUT ${VMCTR_DATA}/${n}.gz
      COMMAND ${CMAKE_COMMAND} -DOUT=${VMCTR_DATA}/${n}.gz "-DCMD=${VMCTR_GZIP};-9nc;${PROJECT_SOURCE_DIR}/${f}"
              -P ${PROJECT_SOURCE_DIR}/cmake/capture.cmake
      DEPENDS ${PROJECT_SOURCE_DIR}/${f} ${PROJECT_SOURCE_DIR}/cmake/capture.cmake VERBATIM)
  endforeach()
  list(APPEND _vm_data_files ${VMCTR_DATA}/vmctr.1.gz ${VMCTR_DATA}/changelog.gz)
  install(FILES ${VMCTR_DATA}/vmctr.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT cli)
  install(FILES ${VMCTR_DATA}/changelog.gz DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT cli)
else()
  install(FILES man/vmctr.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT cli)
  install(FILES packaging/changelog DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT cli)
endif()
install(FILES packaging/copyright DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT cli)

if(NOT CMAKE_CROSSCOMPILING)
  # FILE:ARGUMENTS... of `vmctr` whose output is the file
  set(_vm_gen
    "completions/vmctr.bash:completion:bash"
    "completions/_vmctr:completion:zsh"
    "completions/vmctr.fish:completion:fish"
    "schema/profile-v1.json:schema"
    "schema/report-v1.json:schema:--report"
    "schema/waivers-v1.json:schema:--waivers")
  foreach(g ${_vm_gen})
    string(REPLACE ":" ";" g "${g}")
    list(GET g 0 out)
    list(SUBLIST g 1 -1 args)
    get_filename_component(dir ${VMCTR_DATA}/${out} DIRECTORY)
    file(MAKE_DIRECTORY ${dir})
    add_custom_command(OUTPUT ${VMCTR_DATA}/${out}
      COMMAND ${CMAKE_COMMAND} -E env ASAN_OPTIONS=detect_leaks=1
              ${CMAKE_COMMAND} -DOUT=${VMCTR_DATA}/${out} "-DCMD=$<TARGET_FILE:vmctr-cli>;${args}"
              -P ${PROJECT_SOURCE_DIR}/cmake/capture.cmake
      DEPENDS vmctr-cli ${PROJECT_SOURCE_DIR}/cmake/capture.cmake
      COMMENT "Writing ${out}" VERBATIM)
    list(APPEND _vm_data_files ${VMCTR_DATA}/${out})
  endforeach()
  install(FILES ${VMCTR_DATA}/completions/vmctr.bash RENAME vmctr
          DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/bash-completion/completions COMPONENT cli)
  install(FILES ${VMCTR_DATA}/completions/_vmctr
          DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/zsh/vendor-completions COMPONENT cli)
  install(FILES ${VMCTR_DATA}/completions/vmctr.fish
          DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/fish/vendor_completions.d COMPONENT cli)
  install(DIRECTORY ${VMCTR_DATA}/schema/ DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/vmctr/schema COMPONENT cli
          FILES_MATCHING PATTERN "*.json")
endif()
# the schemas of the other JSON outputs (check, diff, portfolio, validate,
# rules list, rules test, version) are source files
install(DIRECTORY ${PROJECT_SOURCE_DIR}/schemas/ DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/vmctr/schema COMPONENT cli
        FILES_MATCHING PATTERN "*.json")
add_custom_target(vmctr-data ALL DEPENDS ${_vm_data_files})

# ---- the Debian package ------------------------------------------------------------
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME vmctr)
set(CPACK_PACKAGE_VENDOR "The vmctr authors")
set(CPACK_PACKAGE_CONTACT "vmctr maintainers <vmctr@vmctr.dev>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "recommends VMs, containers, micro-VMs or a hybrid for a workload")
set(CPACK_PACKAGE_DESCRIPTION
    "vmctr reads a small YAML profile of a workload, its team and its strategy and
recommends virtual machines, containers, micro-VMs or a hybrid of VMs running
Kubernetes, and on which platform, with its confidence, the rules and
profile lines behind it, blockers, risks and the questions worth answering.
.
'vmctr check' gates CI: it fails when a profile's proposed platform
contradicts the recommendation, and reports in SARIF, JUnit or GitHub
annotations.")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
# only the cli component, as one package (no -dev package yet)
set(CPACK_INSTALL_CMAKE_PROJECTS "${PROJECT_BINARY_DIR};${PROJECT_NAME};cli;/")
set(CPACK_STRIP_FILES ON)
set(CPACK_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
    OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)            # vmctr_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE https://vmctr.dev)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)              # Depends: libc6, libyaml-0-2, libcjson1, ...
# libzip, expat and libcsv are dlopen()ed by `import` (src/lib/dynlib.h),
# so dpkg-shlibdeps does not see them: their packages are named here,
# derived as dpkg-shlibdeps would have. vmctr_dlopen_depends(OUT PATH
# SONAME SOURCE PREFIX): the package owning the library CMake resolved
# (dpkg-query -S, before or after the /usr merge), at the lowest version
# whose symbols file, in its SONAME's section, has every function SOURCE
# looks up (the `X(PREFIX...)` lines of its FUNCS list), else its shlibs
# entry, else the bare package name; OUT is empty if no package owns it.
find_program(VMCTR_DPKG_QUERY dpkg-query)
function(vmctr_dlopen_depends out path soname source prefix)
  set(dep "")
  set(pkg "")
  if(VMCTR_DPKG_QUERY)
    string(REGEX REPLACE "^/usr/" "/" path2 "${path}")
    foreach(f ${path} ${path2})
      execute_process(COMMAND ${VMCTR_DPKG_QUERY} -S ${f} OUTPUT_VARIABLE o ERROR_QUIET RESULT_VARIABLE rc)
      if(rc EQUAL 0 AND o MATCHES "^([^:, \n]+)(:[^: \n]+)?: ")
        set(pkg ${CMAKE_MATCH_1})
        set(pkga ${CMAKE_MATCH_1}${CMAKE_MATCH_2})
        break()
      endif()
    endforeach()
  endif()
  if(pkg)
    execute_process(COMMAND ${VMCTR_DPKG_QUERY} --control-path ${pkga} symbols
                    OUTPUT_VARIABLE symfile OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
    file(STRINGS ${PROJECT_SOURCE_DIR}/${source} funcs REGEX "^ *X\\(${prefix}")
    string(REGEX MATCHALL "${prefix}[A-Za-z0-9_]+" funcs "${funcs}")
    set(min "")
    if(funcs AND symfile AND EXISTS "${symfile}")
      # only the section of this SONAME (libexpat1's also lists libexpatw)
      file(READ ${symfile} syms)
      string(FIND "\n${syms}" "\n${soname} " at)
      set(sect "")
      if(at GREATER -1)
        string(SUBSTRING "${syms}" ${at} -1 sect)
        string(REGEX MATCH "^[^\n]*\n(([ *|#])[^\n]*\n)*" sect "${sect}")
      endif()
      foreach(f ${funcs})
        if(sect MATCHES "\n ${f}@[A-Za-z0-9_.]+ ([^ \n]+)")
          if(NOT min OR CMAKE_MATCH_1 VERSION_GREATER min)
            set(min ${CMAKE_MATCH_1})
          endif()
        else()
          set(min "")
          message(WARNING "${symfile} lists no ${f} for ${soname}: the Depends on ${pkg} falls back to its shlibs entry")
          break()
        endif()
      endforeach()
    endif()
    if(min)
      set(dep "${pkg} (>= ${min})")
    else()
      execute_process(COMMAND ${VMCTR_DPKG_QUERY} --control-path ${pkga} shlibs
                      OUTPUT_VARIABLE shfile OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
      if(shfile AND EXISTS "${shfile}")
        file(STRINGS ${shfile} sh REGEX "^[^ ]+ [^ ]+ ${pkg}")
        if(sh MATCHES "^[^ ]+ [^ ]+ ([^;]+)")
          set(dep "${CMAKE_MATCH_1}")
        endif()
      endif()
      if(NOT dep)
        set(dep ${pkg})
      endif()
    endif()
  endif()
  set(${out} "${dep}" PARENT_SCOPE)
endfunction()
set(_vm_deps "")
foreach(l "LIBZIP;src/lib/zipread.c;zip_;libzip" "EXPAT;src/lib/xlsx.c;XML_;expat" "LIBCSV;src/lib/csvread.c;csv_;libcsv")
  list(GET l 0 v)
  list(GET l 1 src)
  list(GET l 2 prefix)
  list(GET l 3 name)
  vmctr_dlopen_depends(_vm_dep ${VMCTR_${v}_PATH} ${VMCTR_${v}_SONAME} ${src} ${prefix})
  if(_vm_dep)
    list(APPEND _vm_deps "${_vm_dep}")
    message(STATUS "Debian package: Depends on ${_vm_dep} (${name}, loaded at run time)")
  else()
    message(WARNING "no Debian package owns ${VMCTR_${v}_PATH} (dpkg-query): the .deb's Depends "
                    "will not name ${name}, which `vmctr import` loads at run time")
  endif()
endforeach()
# CPack appends dpkg-shlibdeps' list to this one.
string(REPLACE ";" ", " CPACK_DEBIAN_PACKAGE_DEPENDS "${_vm_deps}")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)
include(CPack)
