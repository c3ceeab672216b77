#define G_LOG_DOMAIN "vindu-hub"
#include "db.h"
#include "migrations.h"

#include <errno.h>
#include <stdarg.h>

#include <glib/gstdio.h>
#include <openssl/rand.h>
#include <string.h>
#include <sys/statvfs.h>

struct _HubDb {
  sqlite3 *sql;
  GHashTable *stmts; /* const char *sql (static) -> sqlite3_stmt * */
  guint8 pairing_key[32];
};

static void
stmt_finalize(gpointer st)
{
  sqlite3_finalize(st);
}

/* A full disk is told apart so the hub can answer `storage_full` instead of `internal`: SQLite says
 * SQLITE_FULL, or an I/O error whose system errno is ENOSPC / EDQUOT (a failed WAL write). */
static HubDbError
sql_error_kind(sqlite3 *sql, int rc)
{
  int sys = sqlite3_system_errno(sql);
  if ((rc & 0xff) == SQLITE_FULL ||
      ((rc & 0xff) == SQLITE_IOERR && (sys == ENOSPC || sys == EDQUOT)))
    return HUB_DB_ERROR_FULL;
  return HUB_DB_ERROR_SQL;
}

gboolean
hub_db_fail(HubDb *db, GError **error, const char *what)
{
  g_set_error(error, HUB_DB_ERROR, sql_error_kind(db->sql, sqlite3_extended_errcode(db->sql)),
              "%s: %s", what, sqlite3_errmsg(db->sql));
  return FALSE;
}

/* Databases made by older versions were 0644: owner only, with the WAL and shared memory. */
static void
restrict_mode(const char *path)
{
  static const char *const suffixes[] = {"", "-wal", "-shm"};
  for (guint i = 0; i < G_N_ELEMENTS(suffixes); i++) {
    g_autofree char *p = g_strconcat(path, suffixes[i], NULL);
    g_chmod(p, 0600);
  }
}

/* The key of the pairing codes' hashes (hub_db_pairing_hash), kept beside the database and not in
 * it: 8-digit codes hashed without a key are found from a copy of hub.db in seconds. Made on
 * first use; the server and `vindu-hub admin` share it. */
static gboolean
load_pairing_key(const char *data_dir, guint8 key[32], GError **error)
{
  g_autofree char *path = g_build_filename(data_dir, "pairing.key", NULL);
  g_autofree char *text = NULL;
  gsize len = 0;
  if (g_file_get_contents(path, &text, &len, NULL) && len == 32) {
    memcpy(key, text, 32);
    return TRUE;
  }
  if (RAND_bytes(key, 32) != 1 ||
      !g_file_set_contents_full(path, (const char *)key, 32, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                error))
    return FALSE;
  return TRUE;
}

char *
hub_db_pairing_hash(HubDb *db, const char *code)
{
  return g_compute_hmac_for_string(G_CHECKSUM_SHA256, db->pairing_key, sizeof db->pairing_key, code,
                                   -1);
}

/* Below this many free bytes at start, the database keeps its WAL index in memory (exclusive
 * locking) instead of in the `-shm` file SQLite maps: that file is grown sparse, and on a full file
 * system touching a page of it that has no block behind it is a SIGBUS, not an error. */
#define SHORT_OF_SPACE_BYTES (4u * 1024u * 1024u)

static gboolean
short_of_space(const char *dir)
{
  struct statvfs st;
  return statvfs(dir, &st) == 0 && (guint64)st.f_bavail * st.f_frsize < SHORT_OF_SPACE_BYTES;
}

/* Journal and locking settings; on a nearly full disk, no shared memory (admin commands then wait
 * until the server stops). */
static gboolean
set_journal(HubDb *db, const char *data_dir, gboolean server, GError **error)
{
  if (server && short_of_space(data_dir)) {
    g_warning("the data directory has less than %u MB free: the database is opened for this "
              "process alone until the hub restarts with room",
              SHORT_OF_SPACE_BYTES / (1024u * 1024u));
    if (!hub_db_exec(db, "PRAGMA locking_mode=EXCLUSIVE", error))
      return FALSE;
  }
  return hub_db_exec(db, "PRAGMA journal_mode=WAL", error) &&
         hub_db_exec(db, "PRAGMA synchronous=FULL", error);
}

static HubDb *
db_open(const char *data_dir, gboolean server, GError **error)
{
  if (g_mkdir_with_parents(data_dir, 0700) != 0) {
    g_set_error(error, HUB_DB_ERROR, HUB_DB_ERROR_SQL, "cannot create data directory %s", data_dir);
    return NULL;
  }
  g_autofree char *path = g_build_filename(data_dir, "hub.db", NULL);
  HubDb *db = g_new0(HubDb, 1);
  db->stmts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, stmt_finalize);
  int rc = sqlite3_open_v2(path, &db->sql,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK) {
    g_set_error(error, HUB_DB_ERROR, HUB_DB_ERROR_SQL, "cannot open %s: %s", path,
                db->sql ? sqlite3_errmsg(db->sql) : "out of memory");
    hub_db_close(db);
    return NULL;
  }
  sqlite3_busy_timeout(db->sql, 5000);
  restrict_mode(path);
  if (!load_pairing_key(data_dir, db->pairing_key, error)) {
    hub_db_close(db);
    return NULL;
  }
  if (!set_journal(db, data_dir, server, error) ||
      !hub_db_exec(db, "PRAGMA foreign_keys=ON", error) || !hub_migrations_apply(db->sql, error)) {
    hub_db_close(db);
    return NULL;
  }
  return db;
}

HubDb *
hub_db_open(const char *data_dir, GError **error)
{
  return db_open(data_dir, FALSE, error);
}

HubDb *
hub_db_open_server(const char *data_dir, GError **error)
{
  return db_open(data_dir, TRUE, error);
}

void
hub_db_close(HubDb *db)
{
  if (!db)
    return;
  g_hash_table_destroy(db->stmts);
  sqlite3_close(db->sql);
  g_free(db);
}

sqlite3 *
hub_db_handle(HubDb *db)
{
  return db->sql;
}

sqlite3_stmt *
hub_db_prepare(HubDb *db, const char *sql, GError **error)
{
  sqlite3_stmt *st = g_hash_table_lookup(db->stmts, sql);
  if (st) {
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return st;
  }
  if (sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL) != SQLITE_OK) {
    hub_db_fail(db, error, "prepare");
    return NULL;
  }
  g_hash_table_insert(db->stmts, g_strdup(sql), st);
  return st;
}

gboolean
hub_db_exec(HubDb *db, const char *sql, GError **error)
{
  char *msg = NULL;
  int rc = sqlite3_exec(db->sql, sql, NULL, NULL, &msg);
  if (rc != SQLITE_OK) {
    g_set_error(error, HUB_DB_ERROR, sql_error_kind(db->sql, sqlite3_extended_errcode(db->sql)),
                "%s", msg ? msg : "sqlite error");
    sqlite3_free(msg);
    return FALSE;
  }
  return TRUE;
}

gboolean
hub_db_begin(HubDb *db, GError **error)
{
  return hub_db_exec(db, "BEGIN IMMEDIATE", error);
}

gboolean
hub_db_commit(HubDb *db, GError **error)
{
  return hub_db_exec(db, "COMMIT", error);
}

void
hub_db_rollback(HubDb *db)
{
  if (!sqlite3_get_autocommit(db->sql))
    sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
}

gboolean
hub_db_end(HubDb *db, gboolean ok, GError **error)
{
  if (ok && hub_db_commit(db, error))
    return TRUE;
  hub_db_rollback(db);
  return FALSE;
}

gboolean
hub_db_step_done(HubDb *db, sqlite3_stmt *st, GError **error)
{
  int rc = sqlite3_step(st);
  sqlite3_reset(st);
  if (rc != SQLITE_DONE)
    return hub_db_fail(db, error, "write");
  return TRUE;
}

static void
bind_args(sqlite3_stmt *st, const char *binds, va_list args)
{
  for (int i = 0; binds[i]; i++) {
    if (binds[i] == 't')
      hub_db_bind_text(st, i + 1, va_arg(args, const char *));
    else
      sqlite3_bind_int64(st, i + 1, va_arg(args, gint64));
  }
}

gboolean
hub_db_run(HubDb *db, GError **error, const char *sql, const char *binds, ...)
{
  sqlite3_stmt *st = hub_db_prepare(db, sql, error);
  if (!st)
    return FALSE;
  va_list args;
  va_start(args, binds);
  bind_args(st, binds, args);
  va_end(args);
  return hub_db_step_done(db, st, error);
}

char *
hub_db_query_text(HubDb *db, GError **error, const char *sql, const char *binds, ...)
{
  sqlite3_stmt *st = hub_db_prepare(db, sql, error);
  if (!st)
    return NULL;
  va_list args;
  va_start(args, binds);
  bind_args(st, binds, args);
  va_end(args);
  char *value = sqlite3_step(st) == SQLITE_ROW ? g_strdup(hub_db_col_text(st, 0)) : NULL;
  sqlite3_reset(st);
  return value;
}

gint64
hub_db_bump_seq(HubDb *db, const char *sql, const char *id, const char *what, GError **error)
{
  sqlite3_stmt *st = hub_db_prepare(db, sql, error);
  if (!st)
    return -1;
  hub_db_bind_text(st, 1, id);
  gint64 seq = -1;
  if (sqlite3_step(st) == SQLITE_ROW)
    seq = sqlite3_column_int64(st, 0);
  int rc = sqlite3_step(st);
  sqlite3_reset(st);
  if (seq < 0 || rc != SQLITE_DONE) {
    hub_db_fail(db, error, what);
    return -1;
  }
  return seq;
}

int
hub_db_changes(HubDb *db)
{
  return sqlite3_changes(db->sql);
}

gboolean
hub_db_not_found(GError **error, const char *what)
{
  g_set_error(error, HUB_DB_ERROR, HUB_DB_ERROR_NOT_FOUND, "%s", what);
  return FALSE;
}

void
hub_db_checkpoint(HubDb *db)
{
  sqlite3_wal_checkpoint_v2(db->sql, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
}

gint64
hub_db_data_version(HubDb *db)
{
  sqlite3_stmt *st = hub_db_prepare(db, "PRAGMA data_version", NULL);
  gint64 v = -1;
  if (st && sqlite3_step(st) == SQLITE_ROW)
    v = sqlite3_column_int64(st, 0);
  if (st)
    sqlite3_reset(st);
  return v;
}

gboolean
hub_db_add_event(HubDb *db, const char *kind, const char *household, const char *subject,
                 GError **error)
{
  sqlite3_stmt *st = hub_db_prepare(
      db, "INSERT INTO events(kind, household_id, subject, at) VALUES(?,?,?,strftime('%s','now'))",
      error);
  if (!st)
    return FALSE;
  hub_db_bind_text(st, 1, kind);
  hub_db_bind_text(st, 2, household);
  hub_db_bind_text(st, 3, subject);
  gboolean ok = sqlite3_step(st) == SQLITE_DONE;
  if (!ok)
    hub_db_fail(db, error, "event");
  sqlite3_reset(st);
  return ok;
}

void
hub_db_bind_text(sqlite3_stmt *st, int idx, const char *value)
{
  if (value)
    sqlite3_bind_text(st, idx, value, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null(st, idx);
}

const char *
hub_db_col_text(sqlite3_stmt *st, int idx)
{
  return (const char *)sqlite3_column_text(st, idx);
}
