/* Tar archives (POSIX ustar), the format of backups and exports: readable with `tar` anywhere.
 * The writer writes to PATH.partial and renames it to PATH only when finished, so a half-written
 * archive never has the name of a good one. The reader hands over each regular file whole. */
#pragma once

#include <glib.h>
#include <stdio.h>

G_BEGIN_DECLS

typedef struct _HubTarWriter HubTarWriter;

HubTarWriter *hub_tar_writer_new(const char *path, GError **error);
/* Add a regular file `name` (relative, no "..") with these bytes, mode 0644 or 0600. */
gboolean hub_tar_add(HubTarWriter *w, const char *name, const void *data, gsize len, guint mode,
                     GError **error);
/* Add the file at `src` under `name`. */
gboolean hub_tar_add_file(HubTarWriter *w, const char *name, const char *src, GError **error);
/* Write the end of the archive, flush it to disk and give it its name. */
gboolean hub_tar_finish(HubTarWriter *w, GError **error);
/* Drop an unfinished archive (removes the partial file). NULL is fine. */
void hub_tar_writer_free(HubTarWriter *w);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HubTarWriter, hub_tar_writer_free)

/* Called for each regular file with the archive positioned at its `size` bytes of data (read
 * them with hub_tar_copy_out, or not at all); FALSE (with error set) stops the reading. */
typedef gboolean (*HubTarEntryFunc)(const char *name, guint64 size, FILE *data, gpointer user_data,
                                    GError **error);
/* Read every regular file of the archive at `path`, streaming (a database of gigabytes is never
 * held in memory); directories are skipped, anything else (links, devices, names with "..",
 * absolute names) is an error. */
gboolean hub_tar_read(const char *path, HubTarEntryFunc func, gpointer user_data, GError **error);
/* Copy `size` bytes from `in` to a new file `dest` (mode 0600, flushed to disk), feeding
 * `checksum` when not NULL. */
gboolean hub_tar_copy_out(FILE *in, guint64 size, const char *dest, GChecksum *checksum,
                          GError **error);

G_END_DECLS
