/* The admin commands about a hub's data as a whole: backup, restore, export and delete of a
 * household (backup.c, export.c, erase.c do the work). */
#pragma once

#include "db.h"

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct {
  const char *command;  /* backup, restore, export, delete */
  const char *argument; /* FILE or HOUSEHOLD */
  const char *output;   /* export: --output FILE */
  gboolean yes;         /* delete: --yes */
} HubAdminDataRequest;

gboolean hub_admin_data_is_command(const char *command);
/* Run one; the answer is an object with "ok": true and what was done (transfer full), or NULL
 * and an error. restore takes no database (db is NULL): it fills an empty data directory. */
JsonObject *hub_admin_data_run(HubDb *db, const char *data_dir, const HubAdminDataRequest *r,
                               GError **error);

G_END_DECLS
