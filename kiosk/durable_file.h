/* Received files kept so that a power cut never leaves a half-written one shown for ever.
 *
 * Files in the cache's files/ directory are named by the SHA-256 of their content. Each is
 * written to a temporary file beside it, flushed to disk (fsync), renamed into place and the
 * directory flushed too, so after a power cut the name holds the whole file or nothing. At
 * start the directory is swept: temporary files left by a cut, and files whose content does
 * not match their name (empty, truncated), are removed, and the cache forgets them so they are
 * fetched again. */
#pragma once

#include <glib.h>

#include "kiosk/cache.h"
#include "kiosk/model.h"

G_BEGIN_DECLS

/* Writes `data` to `path` durably (temp, fsync, rename, fsync dir). */
gboolean vk_durable_write(const char *path, const void *data, gsize len, GError **error);

/* TRUE if the file at `path` holds content whose SHA-256 (hex) is `hash`. */
gboolean vk_durable_file_matches(const char *path, const char *hash);

/* Removes temporary files and every file whose content does not match its name from `dir`.
 * Returns the paths of the removed named files (the cache must forget them). (transfer full) */
GPtrArray *vk_durable_sweep(const char *dir);

/* At start: sweeps the cache's files/ directory; the messages and photo frame entries of the
 * removed files lose their file, so the next sign-in fetches them again. */
void vk_durable_sweep_cache(VkCache *cache, VkModel *model);

G_END_DECLS
