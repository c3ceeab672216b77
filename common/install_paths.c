#include "install_paths.h"

#include <string.h>

/* The VINDU_INSTALL_* folders come from CMake; so do VINDU_BUILD_DIR and VINDU_SOURCE_DIR,
 * unless the build is for installation only (VINDU_RUN_FROM_BUILD_TREE=OFF, as in packages). */

#ifdef VINDU_BUILD_DIR
static gboolean
under(const char *path, const char *dir)
{
  size_t n = strlen(dir);
  return strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0');
}
#define TREE_OR_INSTALLED(tree_path, installed) (vindu_path_in_build_tree() ? tree_path : installed)
#else
#define TREE_OR_INSTALLED(tree_path, installed) (installed)
#endif

gboolean
vindu_path_in_build_tree(void)
{
#ifdef VINDU_BUILD_DIR
  static gsize once = 0;
  static gboolean in_tree = FALSE;
  if (g_once_init_enter(&once)) {
    g_autofree char *exe = g_file_read_link("/proc/self/exe", NULL);
    in_tree = exe && under(exe, VINDU_BUILD_DIR);
    g_once_init_leave(&once, 1);
  }
  return in_tree;
#else
  return FALSE;
#endif
}

const char *
vindu_path(VinduPath which)
{
  switch (which) {
  case VINDU_PATH_WEB_ROOT:
    /* built by vindu-web-pack (hashed names, .gz/.br); the plain sources if web is not built */
    return TREE_OR_INSTALLED(g_file_test(VINDU_BUILD_DIR "/web-root/index.html", G_FILE_TEST_EXISTS)
                                 ? VINDU_BUILD_DIR "/web-root"
                                 : VINDU_SOURCE_DIR "/web",
                             VINDU_INSTALL_WEB_ROOT);
  case VINDU_PATH_THEMES:
    return TREE_OR_INSTALLED(VINDU_SOURCE_DIR "/themes", VINDU_INSTALL_THEMES);
  case VINDU_PATH_LOCALE:
    return TREE_OR_INSTALLED(VINDU_BUILD_DIR "/locale", VINDU_INSTALL_LOCALE);
  case VINDU_PATH_PLUGINS:
    return TREE_OR_INSTALLED(VINDU_BUILD_DIR "/plugins", VINDU_INSTALL_PLUGINS);
  case VINDU_PATH_PLUGIN_RUNNER:
    return TREE_OR_INSTALLED(VINDU_BUILD_DIR "/plugins/runner/vindu-plugin-runner",
                             VINDU_INSTALL_PLUGIN_RUNNER);
  case VINDU_PATH_PLUGIN_MANIFESTS:
    return TREE_OR_INSTALLED(VINDU_SOURCE_DIR "/plugins", VINDU_INSTALL_PLUGINS);
  }
  g_return_val_if_reached(NULL);
}
