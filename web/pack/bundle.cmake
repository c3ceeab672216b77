# cmake -DSRC=web -DOUT=dir -DESBUILD=esbuild -DUNBUNDLED=sw.js,… -P pack/bundle.cmake
cmake_minimum_required(VERSION 3.16) # IN_LIST, continue()
# Makes from web/ the directory vindu-web-pack packs: the page's modules bundled by esbuild into
# app.js (and one file per module loaded with import(), plus the chunks those share), every
# other file copied as it is. UNBUNDLED scripts are copied too and stay apart: the service
# worker, early.js (index.html loads it on its own) and the vendored QR encoder (kept unchanged,
# with its licence notice). The source tree stays plain modules; only the build bundles.
string(REPLACE "," ";" UNBUNDLED "${UNBUNDLED}")
file(REMOVE_RECURSE ${OUT})
file(GLOB_RECURSE files RELATIVE ${SRC} ${SRC}/*)
foreach(rel IN LISTS files)
  if(rel MATCHES "^pack/|^CMakeLists.txt$|\\.md$")
    continue() # the build's own files, not part of the site
  endif()
  if(rel MATCHES "\\.m?js$" AND NOT rel IN_LIST UNBUNDLED)
    continue() # in the bundle
  endif()
  get_filename_component(dir ${rel} DIRECTORY)
  file(COPY ${SRC}/${rel} DESTINATION ${OUT}/${dir})
endforeach()

# Entry points: app.js, and each module some module loads with import('./name.js'), so that it
# stays a file of its own, under its own name, fetched only when needed.
set(entries ${SRC}/app.js)
file(GLOB modules ${SRC}/*.js)
foreach(module IN LISTS modules)
  file(STRINGS ${module} lines REGEX "import\\('\\./[A-Za-z0-9_]+\\.js'\\)")
  foreach(line IN LISTS lines)
    string(REGEX MATCHALL "import\\('\\./[A-Za-z0-9_]+\\.js'\\)" calls "${line}")
    foreach(call IN LISTS calls)
      string(REGEX REPLACE "import\\('\\./(.*)'\\)" "${SRC}/\\1" entry "${call}")
      list(APPEND entries ${entry})
    endforeach()
  endforeach()
endforeach()
list(REMOVE_DUPLICATES entries)

set(externals)
foreach(rel IN LISTS UNBUNDLED)
  list(APPEND externals --external:./${rel})
endforeach()
execute_process(
  COMMAND ${ESBUILD} ${entries} --bundle --format=esm --splitting --minify --charset=utf8
          --outdir=${OUT} --entry-names=[name] --chunk-names=chunk-[hash] ${externals}
          --log-level=warning
  RESULT_VARIABLE failed)
if(failed)
  message(FATAL_ERROR "esbuild failed to bundle ${SRC}/app.js")
endif()
