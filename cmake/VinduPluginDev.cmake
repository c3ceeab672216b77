# The plugin developer's files: include/vindu/plugin.h and vindu-plugin.pc (package
# vindu-plugin-dev). The one place that makes the .pc: the ABI number is read from the header.
file(STRINGS ${VINDU_SOURCE_DIR}/include/vindu/plugin.h _abi_line
     REGEX "^#define VINDU_PLUGIN_ABI [0-9]+")
string(REGEX REPLACE ".* ([0-9]+)$" "\\1" VINDU_PLUGIN_ABI "${_abi_line}")
configure_file(${VINDU_SOURCE_DIR}/cmake/vindu-plugin.pc.in
               ${CMAKE_BINARY_DIR}/pkgconfig/vindu-plugin.pc @ONLY)
install(DIRECTORY ${VINDU_SOURCE_DIR}/include/vindu DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        FILES_MATCHING PATTERN "*.h")
install(FILES ${CMAKE_BINARY_DIR}/pkgconfig/vindu-plugin.pc
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
