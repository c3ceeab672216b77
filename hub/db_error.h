/* The error domain of the hub's database (db.c) and its schema migrations (migrations.c), in a
 * file of its own so the migrations need not include the database they are applied to. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define HUB_DB_ERROR (hub_db_error_quark())
GQuark hub_db_error_quark(void);
typedef enum {
  HUB_DB_ERROR_SQL,
  HUB_DB_ERROR_NOT_FOUND,
  HUB_DB_ERROR_CONFLICT,
  HUB_DB_ERROR_BAD_FORMAT,
  HUB_DB_ERROR_FULL /* the file system (or SQLite's page limit) has no room */
} HubDbError;

G_END_DECLS
