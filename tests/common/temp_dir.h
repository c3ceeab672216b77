/* Removing a test's temporary directory (made with g_dir_make_tmp) and all under it, without a
 * shell: a path is never a command, and symbolic links are removed, not followed. */
#pragma once

#include <glib.h>
#include <glib/gstdio.h>

static inline gboolean
vindu_temp_dir_remove(const char *dir)
{
  GDir *listing = g_dir_open(dir, 0, NULL);
  if (listing) {
    const char *name;
    while ((name = g_dir_read_name(listing)) != NULL) {
      g_autofree char *path = g_build_filename(dir, name, NULL);
      if (g_file_test(path, G_FILE_TEST_IS_DIR) && !g_file_test(path, G_FILE_TEST_IS_SYMLINK))
        vindu_temp_dir_remove(path);
      else
        g_remove(path);
    }
    g_dir_close(listing);
  }
  return g_rmdir(dir) == 0;
}
