/* Backups of a whole hub: one tar archive with a consistent copy of the database (SQLite's
 * online backup, taken while the hub runs and writes) and the stored files it refers to. */
#pragma once

#include "db.h"

G_BEGIN_DECLS

/* Write the backup of the hub whose database is `db` and data directory `data_dir` to `path`.
 * Sets *files to the number of stored files copied. */
gboolean hub_backup_write(HubDb *db, const char *data_dir, const char *path, guint *files,
                          GError **error);

/* Restore a backup into `data_dir`, which must not exist or be empty (the hub stopped). The
 * files are checked against their names (SHA-256) and the database is checked and migrated to
 * this hub's schema before the folder takes its name; on any error nothing is left behind. */
gboolean hub_backup_restore(const char *path, const char *data_dir, GError **error);

G_END_DECLS
