/* Numbered schema migrations of the hub's database (migrations.c), applied when it is opened. */
#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

/* Apply the pending migrations, each in its own transaction; FALSE with a HUB_DB_ERROR. */
gboolean hub_migrations_apply(sqlite3 *sql, GError **error);
/* The schema version the last migration brings the database to. */
int hub_migrations_latest(void);

G_END_DECLS
