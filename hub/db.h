/* The hub's SQLite database: one file `hub.db` in the data directory, WAL mode, a busy timeout
 * so the admin command and the server can write at the same time. Every function reports
 * failure as a GError in HUB_DB_ERROR. */
#pragma once

#include <glib.h>
#include <sqlite3.h>

#include "db_error.h"

G_BEGIN_DECLS

typedef struct _HubDb HubDb;

/* Open (creating the directory and file when needed) and apply pending migrations. */
HubDb *hub_db_open(const char *data_dir, GError **error);
/* The same for the running server: on a nearly full disk it keeps the WAL index in its own
 * memory (exclusive locking) rather than in the `-shm` file, whose pages could then SIGBUS. */
HubDb *hub_db_open_server(const char *data_dir, GError **error);
void hub_db_close(HubDb *db);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HubDb, hub_db_close)
sqlite3 *hub_db_handle(HubDb *db);

/* A cached prepared statement for `sql` (transfer none; reset and bindings cleared). */
sqlite3_stmt *hub_db_prepare(HubDb *db, const char *sql, GError **error);
/* Run SQL with no results. */
gboolean hub_db_exec(HubDb *db, const char *sql, GError **error);
gboolean hub_db_begin(HubDb *db, GError **error); /* BEGIN IMMEDIATE */
gboolean hub_db_commit(HubDb *db, GError **error);
/* A pairing code's hash: HMAC-SHA256 under DATA_DIR/pairing.key (transfer full). */
char *hub_db_pairing_hash(HubDb *db, const char *code);
void hub_db_rollback(HubDb *db);
/* The one way a write transaction ends: after hub_db_begin and a chain of steps joined with &&,
 *   return hub_db_end(db, ok, error);
 * commits when `ok` (and returns whether the commit worked) or rolls back and returns FALSE,
 * leaving the first step's error in `error`. */
gboolean hub_db_end(HubDb *db, gboolean ok, GError **error);
/* Prepare `sql`, bind its parameters as `binds` says, one letter each ('t' a const char * or NULL,
 * 'i' a gint64 — pass gint64, not int), and run it to the end. FALSE with error otherwise. */
gboolean hub_db_run(HubDb *db, GError **error, const char *sql, const char *binds, ...);
/* The first column of the first row of `sql` (binds as for hub_db_run), or NULL when there is no
 * row (or on error, then set). (transfer full) */
char *hub_db_query_text(HubDb *db, GError **error, const char *sql, const char *binds, ...);
/* The next value of a sequence column: `sql` is "UPDATE … SET x=x+1 WHERE id=? RETURNING x" for
 * the row `id`. -1 with error when the row is missing or the update did not finish. */
gint64 hub_db_bump_seq(HubDb *db, const char *sql, const char *id, const char *what,
                       GError **error);
/* Run a prepared statement to completion and reset it; FALSE with error if it did not finish. */
gboolean hub_db_step_done(HubDb *db, sqlite3_stmt *st, GError **error);
/* Rows the last write changed. */
int hub_db_changes(HubDb *db);
/* Set HUB_DB_ERROR_NOT_FOUND with `what`. Always returns FALSE. */
gboolean hub_db_not_found(GError **error, const char *what);
/* Set a GError from the connection's last error. Always returns FALSE. */
gboolean hub_db_fail(HubDb *db, GError **error, const char *what);
/* Checkpoint the WAL into the main file (at shutdown). */
void hub_db_checkpoint(HubDb *db);
/* The value of PRAGMA data_version: changes when another connection commits. */
gint64 hub_db_data_version(HubDb *db);
/* Record an event for the running server (see docs/hub.md "admin while running"). */
gboolean hub_db_add_event(HubDb *db, const char *kind, const char *household, const char *subject,
                          GError **error);

/* Binding helpers: bind text or NULL. */
void hub_db_bind_text(sqlite3_stmt *st, int idx, const char *value);
/* Column as (transfer none) string or NULL. */
const char *hub_db_col_text(sqlite3_stmt *st, int idx);

G_END_DECLS
