#include "install_paths.h"

#include <string.h>

/* VINDU_BUILD_DIR, VINDU_SOURCE_DIR and the VINDU_INSTALL_* folders come from CMake. */

static gboolean
under(const char *path, const char *dir)
{
  size_t n = strlen(dir);
  return strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

gboolean
vindu_path_in_build_tree(void)
{
  static gsize once = 0;
  static gboolean in_tree = FALSE;
  if (g_once_init_enter(&once)) {
    g_autofree char *exe = g_file_read_link("/proc/self/exe", NULL);
    in_tree = exe && under(exe, VINDU_BUILD_DIR);
    g_once_init_leave(&once, 1);
  }
  return in_tree;
}

const char *
vindu_path(VinduPath which)
{
  gboolean tree = vindu_path_in_build_tree();
  switch (which) {
  case VINDU_PATH_WEB_ROOT:
    return tree ? VINDU_SOURCE_DIR "/web" : VINDU_INSTALL_WEB_ROOT;
  case VINDU_PATH_THEMES:
    return tree ? VINDU_SOURCE_DIR "/themes" : VINDU_INSTALL_THEMES;
  case VINDU_PATH_LOCALE:
    return tree ? VINDU_BUILD_DIR "/locale" : VINDU_INSTALL_LOCALE;
  case VINDU_PATH_PLUGINS:
    return tree ? VINDU_BUILD_DIR "/plugins" : VINDU_INSTALL_PLUGINS;
  }
  g_return_val_if_reached(NULL);
}
