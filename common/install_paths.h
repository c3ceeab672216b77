/* Where Vindu's shared files are: the installed folders (set by CMake from GNUInstallDirs), or,
 * for a binary run from its own build tree (tests, `make demo`), the source and build folders.
 * A binary copied anywhere else than its build tree always uses the installed folders. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  VINDU_PATH_WEB_ROOT,         /* the web app the hub serves */
  VINDU_PATH_THEMES,           /* the kiosk's .theme files */
  VINDU_PATH_LOCALE,           /* <lang>/LC_MESSAGES/vindu-kiosk.mo */
  VINDU_PATH_PLUGINS,          /* plugin .so files (and their manifests) */
  VINDU_PATH_PLUGIN_RUNNER,    /* the program each plugin runs in */
  VINDU_PATH_PLUGIN_MANIFESTS, /* what the hub reads: <name>.json, or <name>/manifest.json in the
                                  source tree */
} VinduPath;

/* The folder for `which` (transfer none, lives as long as the process). */
const char *vindu_path(VinduPath which);

/* TRUE when this process runs from the build tree it was compiled in. */
gboolean vindu_path_in_build_tree(void);

G_END_DECLS
