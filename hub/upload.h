/* One upload in flight, streamed to a temporary file and hashed as it arrives: the hub never
 * holds a whole upload in memory. The file lives in DATA_DIR/files/incoming (mode 0600) until it
 * is kept under its final name or dropped. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _HubUpload HubUpload;

/* Open a new temporary file in `dir` (created if missing). */
HubUpload *hub_upload_new(const char *dir, GError **error);
/* Append bytes; bytes past `limit` are counted but not written (see hub_upload_over). */
gboolean hub_upload_write(HubUpload *u, const void *data, gsize len, gsize limit, GError **error);
gboolean hub_upload_over(const HubUpload *u);
guint64 hub_upload_size(const HubUpload *u);
/* A read-only descriptor of the temporary file (transfer none). */
int hub_upload_fd(const HubUpload *u);
/* Lower-case hex SHA-256 of everything written (transfer none; ends hashing). */
const char *hub_upload_sha256(HubUpload *u);
/* fsync and rename to `path`; when `path` already exists the copy is dropped instead. */
gboolean hub_upload_keep(HubUpload *u, const char *path, GError **error);
/* Closes and removes the temporary file unless it was kept. */
void hub_upload_free(HubUpload *u);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HubUpload, hub_upload_free)
/* Remove temporary files left behind by a previous run (a crash mid-upload). */
void hub_upload_clean_dir(const char *dir);

G_END_DECLS
