/* A household's data, for the household: everything the hub keeps about it in one readable
 * tar archive (JSON texts and the photos and voice messages as files), so a family or a resident
 * can take their data with them. Secrets (hashed tokens, codes) are left out. */
#pragma once

#include "db.h"

G_BEGIN_DECLS

gboolean hub_export_household(HubDb *db, const char *data_dir, const char *household,
                              const char *path, GError **error);

G_END_DECLS
