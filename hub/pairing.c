/* Pairing an unpaired kiosk: the code it shows, an admin binding that code to a household, and
 * the kiosk's claim of its new identity once bound. */
#define G_LOG_DOMAIN "vindu-hub"
#include "directory.h"

#include "clock.h"
#include "tokens.h"

/* A kiosk's waiting code lives only in the running server's memory (hub->unpaired): an
 * unauthenticated `hello` writes nothing to the database. Binding is an admin's act (a signed-in
 * person with the admin right, or `vindu-hub admin pair` on the machine): it stores a bind request
 * row and a "pair" event; the server claims the row when a kiosk is showing that code and marks
 * it refused (household_id NULL) when none is. */
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
  gboolean ok = hub_household_exists(db, household) || hub_db_not_found(error, "no such household");
  ok = ok && hub_db_run(db, error,
                        "INSERT OR IGNORE INTO pairing_codes(code_hash, expires_at, household_id,"
                        " bound_by, bound_at) VALUES(?,?,?,?,?)",
                        "titti", hash, hub_clock_now_s() + HUB_PAIRING_TTL_S, household, bound_by,
                        hub_clock_now_s());
  ok = ok && (hub_db_changes(db) == 1 ||
              hub_db_not_found(error, "no kiosk is showing that pairing code"));
  ok = ok && hub_db_add_event(db, "pair", household, hash, error);
  return hub_db_end(db, ok, error);
}

/* The state of a bind request: 1 claimed (row gone), 0 refused, -1 still waiting. */
static int
bind_answer(HubDb *db, const char *hash)
{
  sqlite3_stmt *st =
      hub_db_prepare(db, "SELECT household_id IS NULL FROM pairing_codes WHERE code_hash=?", NULL);
  if (!st)
    return -1;
  hub_db_bind_text(st, 1, hash);
  int answer = sqlite3_step(st) == SQLITE_ROW ? (sqlite3_column_int(st, 0) ? 0 : -1) : 1;
  sqlite3_reset(st);
  return answer;
}

gboolean
hub_pairing_bind_and_wait(HubDb *db, const char *household, const char *code, const char *bound_by,
                          guint timeout_ms, GError **error)
{
  if (!hub_pairing_bind(db, household, code, bound_by, error))
    return FALSE;
  g_autofree char *norm = hub_pairing_code_normalise(code);
  g_autofree char *hash = hub_db_pairing_hash(db, norm);
  gint64 deadline = g_get_monotonic_time() + (gint64)timeout_ms * 1000;
  while (bind_answer(db, hash) < 0 && g_get_monotonic_time() < deadline)
    g_usleep(50 * 1000);
  /* Whatever happened, the request goes; if the server claimed it first, nothing is deleted. */
  if (!hub_db_run(db, error, "DELETE FROM pairing_codes WHERE code_hash=?", "t", hash))
    return FALSE;
  if (hub_db_changes(db) == 0)
    return TRUE;
  return hub_db_not_found(error, "no kiosk is showing that pairing code");
}

void
hub_pairing_code_issue(HubDb *db, char **code_out, char **hash_out)
{
  *code_out = hub_pairing_code_new();
  *hash_out = hub_db_pairing_hash(db, *code_out);
}

gboolean
hub_pairing_code_refuse(HubDb *db, const char *code_hash, GError **error)
{
  return hub_db_run(db, error, "UPDATE pairing_codes SET household_id=NULL WHERE code_hash=?", "t",
                    code_hash);
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
  if (!hub_db_begin(db, error))
    return FALSE;
  g_autofree char *household = hub_db_query_text(
      db, error,
      "SELECT household_id FROM pairing_codes WHERE code_hash=? AND household_id IS NOT NULL", "t",
      code_hash);
  gboolean ok = household || (!(error && *error) && hub_db_not_found(error, "not bound"));
  ok = ok && hub_db_run(db, error, "DELETE FROM pairing_codes WHERE code_hash=?", "t", code_hash);
  ok = ok && hub_kiosk_create(db, household, kiosk_out, secret_out, error);
  if (!hub_db_end(db, ok, error))
    return FALSE;
  *household_out = g_steal_pointer(&household);
  return TRUE;
}
