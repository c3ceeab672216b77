/* Deleting a household so that nothing of it is left: its rows in every table, its people who
 * belong to no other household, the files only it used (from the disk too), with SQLite's
 * secure_delete so the freed pages are overwritten, and a checkpoint so the old pages leave the
 * write-ahead log. A running hub closes the connections of its kiosks and people. */
#pragma once

#include "db.h"

G_BEGIN_DECLS

/* *removed_files: the stored files deleted from the disk. */
gboolean hub_household_delete(HubDb *db, const char *data_dir, const char *household,
                              guint *removed_files, GError **error);

G_END_DECLS
