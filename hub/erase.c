#define G_LOG_DOMAIN "vindu-hub"
#include "erase.h"

#include <glib/gstdio.h>

static gboolean
run(HubDb *db, const char *sql, const char *household, GError **error)
{
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(hub_db_handle(db), sql, -1, &st, NULL) != SQLITE_OK)
    return hub_db_fail(db, error, "delete");
  if (household)
    sqlite3_bind_text(st, 1, household, -1, SQLITE_TRANSIENT);
  int rc = sqlite3_step(st);
  sqlite3_finalize(st);
  return rc == SQLITE_DONE || hub_db_fail(db, error, "delete");
}

/* One column of the rows of `sql` (one "?" for the household). */
static GPtrArray *
column(HubDb *db, const char *sql, const char *household)
{
  GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(hub_db_handle(db), sql, -1, &st, NULL) == SQLITE_OK) {
    sqlite3_bind_text(st, 1, household, -1, SQLITE_TRANSIENT);
    while (sqlite3_step(st) == SQLITE_ROW)
      g_ptr_array_add(out, g_strdup((const char *)sqlite3_column_text(st, 0)));
  }
  sqlite3_finalize(st);
  return out;
}

/* Rows keyed by the household's kiosks, people and messages rather than by the household. */
static gboolean
delete_linked(HubDb *db, const char *h, GError **error)
{
  static const char *const sql[] = {
      "DELETE FROM deliveries WHERE message_id IN (SELECT id FROM messages WHERE household_id=?1)",
      "DELETE FROM deliveries WHERE recipient IN (SELECT id FROM kiosks WHERE household_id=?1)",
      /* people who are only in this household: their deliveries and their person row */
      "CREATE TEMP TABLE leaving AS SELECT person_id AS id FROM memberships WHERE "
      "household_id=?1 AND person_id NOT IN (SELECT person_id FROM memberships WHERE "
      "household_id<>?1)",
      "DELETE FROM deliveries WHERE recipient IN (SELECT id FROM temp.leaving)",
      /* and their devices, links and push subscriptions (keyed by person, not household) */
      "DELETE FROM sessions WHERE person_id IN (SELECT id FROM temp.leaving)",
      "DELETE FROM device_links WHERE person_id IN (SELECT id FROM temp.leaving)",
      "DELETE FROM push_subscriptions WHERE person_id IN (SELECT id FROM temp.leaving)",
      /* files no other household uses */
      "CREATE TEMP TABLE unused_files AS SELECT sha256 FROM file_households WHERE "
      "household_id=?1 AND sha256 NOT IN (SELECT sha256 FROM file_households WHERE "
      "household_id<>?1)",
  };
  for (guint i = 0; i < G_N_ELEMENTS(sql); i++)
    if (!run(db, sql[i], h, error))
      return FALSE;
  return TRUE;
}

/* Every table with a household_id column, households last (the others refer to it). */
static gboolean
delete_by_household(HubDb *db, const char *h, GError **error)
{
  g_autoptr(GPtrArray) tables =
      column(db,
             "SELECT m.name FROM sqlite_master m, pragma_table_info(m.name) c WHERE m.type='table' "
             "AND c.name='household_id' AND m.name<>?1 ORDER BY m.name='memberships'",
             "households");
  for (guint i = 0; i < tables->len; i++) {
    g_autofree char *sql =
        g_strdup_printf("DELETE FROM \"%s\" WHERE household_id=?", (char *)tables->pdata[i]);
    if (!run(db, sql, h, error))
      return FALSE;
  }
  return run(db, "DELETE FROM people WHERE id IN (SELECT id FROM temp.leaving)", NULL, error) &&
         run(db, "DELETE FROM files WHERE sha256 IN (SELECT sha256 FROM temp.unused_files)", NULL,
             error) &&
         run(db, "DELETE FROM households WHERE id=?", h, error);
}

/* A running hub learns of revocations from the event log: close every connection of the
 * household (kiosks and people). The events carry the household's and people's ids only. */
static gboolean
tell_running_hub(HubDb *db, const char *h, GPtrArray *subjects, GError **error)
{
  for (guint i = 0; i < subjects->len; i++)
    if (!hub_db_add_event(db, "revoke", h, subjects->pdata[i], error))
      return FALSE;
  return TRUE;
}

static gboolean
household_exists(HubDb *db, const char *h)
{
  g_autoptr(GPtrArray) found = column(db, "SELECT id FROM households WHERE id=?", h);
  return found->len == 1;
}

gboolean
hub_household_delete(HubDb *db, const char *data_dir, const char *household, guint *removed_files,
                     GError **error)
{
  *removed_files = 0;
  if (!hub_db_exec(db, "PRAGMA secure_delete=ON", error) || !hub_db_begin(db, error))
    return FALSE;
  if (!household_exists(db, household)) {
    hub_db_rollback(db);
    g_set_error(error, HUB_DB_ERROR, HUB_DB_ERROR_NOT_FOUND, "no such household");
    return FALSE;
  }
  g_autoptr(GPtrArray) subjects = column(db,
                                         "SELECT id FROM kiosks WHERE household_id=?1 UNION ALL "
                                         "SELECT person_id FROM memberships WHERE household_id=?1",
                                         household);
  g_autoptr(GPtrArray) files = NULL;
  gboolean ok = delete_linked(db, household, error) &&
                (files = column(db, "SELECT sha256 FROM temp.unused_files WHERE ?1 IS NOT NULL",
                                household)) &&
                delete_by_household(db, household, error) &&
                tell_running_hub(db, household, subjects, error) &&
                run(db, "DROP TABLE temp.leaving", NULL, error) &&
                run(db, "DROP TABLE temp.unused_files", NULL, error) && hub_db_commit(db, error);
  if (!ok) {
    hub_db_rollback(db);
    hub_db_exec(db, "DROP TABLE IF EXISTS temp.leaving; DROP TABLE IF EXISTS temp.unused_files",
                NULL);
    return FALSE;
  }
  for (guint i = 0; i < files->len; i++) {
    const char *hash = files->pdata[i];
    g_autofree char *path = g_strdup_printf("%s/files/%.2s/%s", data_dir, hash, hash);
    if (g_unlink(path) == 0)
      (*removed_files)++;
    g_autofree char *parent = g_path_get_dirname(path);
    g_rmdir(parent); /* only when empty */
  }
  hub_db_checkpoint(db); /* old pages out of the WAL, where the running hub lets it */
  return TRUE;
}
