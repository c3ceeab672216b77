/* Pairing an unpaired kiosk: the code it shows, an admin binding that code to a household, and
 * the kiosk's claim of its new identity once bound. */
#define G_LOG_DOMAIN "vindu-hub"
#include "directory.h"

#include "clock.h"
#include "tokens.h"

gboolean
hub_pairing_bind(HubDb *db, const char *household, const char *code, const char *bound_by,
                 GError **error)
{
  g_autofree char *norm = hub_pairing_code_normalise(code);
  if (!norm) { /* can never match: not a wrong guess, so callers need not count it */
    g_set_error(error, HUB_DB_ERROR, HUB_DB_ERROR_BAD_FORMAT, "a pairing code is 8 digits");
    return FALSE;
  }
  g_autofree char *hash = hub_db_pairing_hash(db, norm);
  if (!hub_db_begin(db, error))
    return FALSE;
  if (!hub_household_exists(db, household)) {
    hub_db_rollback(db);
    return hub_db_not_found(error, "no such household");
  }
  sqlite3_stmt *st = hub_db_prepare(db,
                                    "UPDATE pairing_codes SET household_id=?, bound_by=?,"
                                    " bound_at=? WHERE code_hash=? AND household_id IS NULL"
                                    " AND expires_at>?",
                                    error);
  if (!st)
    goto fail;
  hub_db_bind_text(st, 1, household);
  hub_db_bind_text(st, 2, bound_by);
  sqlite3_bind_int64(st, 3, hub_clock_now_s());
  hub_db_bind_text(st, 4, hash);
  sqlite3_bind_int64(st, 5, hub_clock_now_s());
  if (!hub_db_step_done(db, st, error))
    goto fail;
  if (sqlite3_changes(hub_db_handle(db)) == 0) {
    hub_db_rollback(db);
    return hub_db_not_found(error, "no kiosk is showing that pairing code");
  }
  if (!hub_db_add_event(db, "pair", household, hash, error) || !hub_db_commit(db, error))
    goto fail;
  return TRUE;
fail:
  hub_db_rollback(db);
  return FALSE;
}

gboolean
hub_pairing_code_issue(HubDb *db, char **code_out, char **hash_out, GError **error)
{
  for (int attempt = 0; attempt < 8; attempt++) {
    g_autofree char *code = hub_pairing_code_new();
    g_autofree char *hash = hub_db_pairing_hash(db, code);
    sqlite3_stmt *st = hub_db_prepare(db,
                                      "INSERT OR IGNORE INTO pairing_codes(code_hash, expires_at)"
                                      " VALUES(?,?)",
                                      error);
    if (!st)
      return FALSE;
    hub_db_bind_text(st, 1, hash);
    sqlite3_bind_int64(st, 2, hub_clock_now_s() + HUB_PAIRING_TTL_S);
    if (!hub_db_step_done(db, st, error))
      return FALSE;
    if (sqlite3_changes(hub_db_handle(db)) == 1) {
      *code_out = g_steal_pointer(&code);
      *hash_out = g_steal_pointer(&hash);
      return TRUE;
    }
  }
  g_set_error(error, HUB_DB_ERROR, HUB_DB_ERROR_CONFLICT, "no free pairing code");
  return FALSE;
}

gboolean
hub_pairing_code_forget(HubDb *db, const char *code_hash, GError **error)
{
  sqlite3_stmt *st = hub_db_prepare(db, "DELETE FROM pairing_codes WHERE code_hash=?", error);
  if (!st)
    return FALSE;
  hub_db_bind_text(st, 1, code_hash);
  return hub_db_step_done(db, st, error);
}

gboolean
hub_pairing_codes_forget_all(HubDb *db, GError **error)
{
  sqlite3_stmt *st = hub_db_prepare(db, "DELETE FROM pairing_codes", error);
  return st && hub_db_step_done(db, st, error);
}

gboolean
hub_pairing_code_claim(HubDb *db, const char *code_hash, char **household_out, char **kiosk_out,
                       char **secret_out, GError **error)
{
  g_autofree char *household = NULL;
  if (!hub_db_begin(db, error))
    return FALSE;
  sqlite3_stmt *st = hub_db_prepare(
      db, "SELECT household_id FROM pairing_codes WHERE code_hash=? AND household_id IS NOT NULL",
      error);
  if (!st)
    goto fail;
  hub_db_bind_text(st, 1, code_hash);
  if (sqlite3_step(st) == SQLITE_ROW)
    household = g_strdup(hub_db_col_text(st, 0));
  sqlite3_reset(st);
  if (!household) {
    hub_db_rollback(db);
    return hub_db_not_found(error, "not bound");
  }
  st = hub_db_prepare(db, "DELETE FROM pairing_codes WHERE code_hash=?", error);
  if (!st)
    goto fail;
  hub_db_bind_text(st, 1, code_hash);
  if (!hub_db_step_done(db, st, error) ||
      !hub_kiosk_create(db, household, kiosk_out, secret_out, error) || !hub_db_commit(db, error))
    goto fail;
  *household_out = g_steal_pointer(&household);
  return TRUE;
fail:
  hub_db_rollback(db);
  return FALSE;
}
