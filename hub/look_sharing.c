#define G_LOG_DOMAIN "vindu-hub"
#include "look_sharing.h"

gboolean
hub_share_looks_set(HubDb *db, const char *household, gboolean on, GError **error)
{
  if (!hub_db_begin(db, error))
    return FALSE;
  gboolean ok = hub_db_run(db, error, "UPDATE households SET share_looks=? WHERE id=?", "it",
                           (gint64)(on ? 1 : 0), household);
  ok = ok && (hub_db_changes(db) > 0 || hub_db_not_found(error, "no such household"));
  ok = ok && hub_db_add_event(db, "household", household, NULL, error);
  if (ok && !on) /* turned off: the looks kept so far go too */
    ok = hub_db_run(db, error, "DELETE FROM plugin_answers WHERE household_id=? AND kind=?", "tt",
                    household, HUB_LOOK_KIND);
  return hub_db_end(db, ok, error);
}

gboolean
hub_share_looks(HubDb *db, const char *household)
{
  sqlite3_stmt *st = hub_db_prepare(db, "SELECT share_looks FROM households WHERE id=?", NULL);
  if (!st)
    return FALSE;
  hub_db_bind_text(st, 1, household);
  gboolean on = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) != 0;
  sqlite3_reset(st);
  return on;
}

gboolean
hub_looks_welcome(HubDb *db, const char *household, const char *kind)
{
  return g_strcmp0(kind, HUB_LOOK_KIND) != 0 || hub_share_looks(db, household);
}
