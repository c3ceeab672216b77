/* Checking sign-in credentials: a kiosk's secret, a person's session token, an invite redeemed
 * once, a household's provisioning code; and the kiosk record every paired kiosk gets. */
#define G_LOG_DOMAIN "vindu-hub"
#include "directory.h"

#include "clock.h"
#include "tokens.h"

gboolean
hub_auth_device(HubDb *db, const char *kiosk, const char *secret, char **household_out,
                GError **error)
{
  g_autofree char *hash = hub_token_hash(secret);
  sqlite3_stmt *st = hub_db_prepare(
      db, "SELECT secret_hash, household_id FROM kiosks WHERE id=? AND revoked_at IS NULL", error);
  if (!st)
    return FALSE;
  hub_db_bind_text(st, 1, kiosk);
  gboolean ok = FALSE;
  if (sqlite3_step(st) == SQLITE_ROW && hub_token_equal(hub_db_col_text(st, 0), hash)) {
    *household_out = g_strdup(hub_db_col_text(st, 1));
    ok = TRUE;
  }
  sqlite3_reset(st);
  if (!ok)
    return hub_db_not_found(error, "wrong kiosk secret");
  return TRUE;
}

/* Inside a transaction: a new device session of `person` (its token is returned once, only its
 * hash is kept). */
static gboolean
session_create(HubDb *db, const char *person, const char *device, HubNewSession *out,
               GError **error)
{
  g_autofree char *token = hub_token_new(32);
  g_autofree char *hash = hub_token_hash(token);
  g_autofree char *id = hub_id_new("d_");
  gint64 now = hub_clock_now_s();
  if (!hub_db_run(db, error,
                  "INSERT INTO sessions(id, person_id, token_hash, device, created_at,"
                  " last_seen_at) VALUES(?,?,?,?,?,?)",
                  "ttttii", id, person, hash, device ? device : "", now, now))
    return FALSE;
  out->token = g_steal_pointer(&token);
  out->session = g_steal_pointer(&id);
  return TRUE;
}

void
hub_new_session_clear(HubNewSession *s)
{
  g_clear_pointer(&s->person, g_free);
  g_clear_pointer(&s->name, g_free);
  g_clear_pointer(&s->token, g_free);
  g_clear_pointer(&s->session, g_free);
}

gboolean
hub_auth_session(HubDb *db, const char *token, HubNewSession *out, GError **error)
{
  g_autofree char *hash = hub_token_hash(token);
  /* Lookup by hash: the hash is the index key, so timing reveals nothing about the token. */
  sqlite3_stmt *st = hub_db_prepare(db,
                                    "SELECT p.id, p.name, s.id FROM sessions s JOIN people p ON"
                                    " p.id=s.person_id WHERE s.token_hash=?",
                                    error);
  if (!st)
    return FALSE;
  hub_db_bind_text(st, 1, hash);
  gboolean ok = FALSE;
  if (sqlite3_step(st) == SQLITE_ROW) {
    out->person = g_strdup(hub_db_col_text(st, 0));
    out->name = g_strdup(hub_db_col_text(st, 1));
    out->session = g_strdup(hub_db_col_text(st, 2));
    ok = TRUE;
  }
  sqlite3_reset(st);
  if (!ok)
    return hub_db_not_found(error, "unknown session");
  /* last seen is what the person's device list shows; a failed write does not refuse them */
  hub_db_run(db, NULL, "UPDATE sessions SET last_seen_at=? WHERE id=?", "it", hub_clock_now_s(),
             out->session);
  return TRUE;
}

gboolean
hub_auth_invite(HubDb *db, const char *token, const char *device, HubNewSession *out,
                GError **error)
{
  g_autofree char *hash = hub_token_hash(token);
  g_autofree char *household = NULL;
  if (!hub_db_begin(db, error))
    return FALSE;
  sqlite3_stmt *st =
      hub_db_prepare(db,
                     "SELECT m.person_id, p.name, m.household_id FROM memberships m JOIN people p"
                     " ON p.id=m.person_id WHERE m.invite_hash=? AND m.invite_redeemed_at IS NULL"
                     " AND m.revoked_at IS NULL AND m.invite_expires_at>?",
                     error);
  if (!st)
    return hub_db_end(db, FALSE, error);
  hub_db_bind_text(st, 1, hash);
  sqlite3_bind_int64(st, 2, hub_clock_now_s());
  if (sqlite3_step(st) == SQLITE_ROW) {
    out->person = g_strdup(hub_db_col_text(st, 0));
    out->name = g_strdup(hub_db_col_text(st, 1));
    household = g_strdup(hub_db_col_text(st, 2));
  }
  sqlite3_reset(st);
  gboolean ok = out->person || hub_db_not_found(error, "invite unknown, used or expired");
  ok = ok && hub_db_run(db, error,
                        "UPDATE memberships SET invite_redeemed_at=? WHERE household_id=? AND"
                        " person_id=?",
                        "itt", hub_clock_now_s(), household, out->person);
  ok = ok && session_create(db, out->person, device, out, error);
  if (!hub_db_end(db, ok, error)) {
    hub_new_session_clear(out);
    return FALSE;
  }
  return TRUE;
}

gboolean
hub_auth_link(HubDb *db, const char *token, const char *device, HubNewSession *out, GError **error)
{
  g_autofree char *hash = hub_token_hash(token);
  if (!hub_db_begin(db, error))
    return FALSE;
  out->person = hub_db_query_text(db, error,
                                  "SELECT person_id FROM device_links WHERE token_hash=? AND"
                                  " expires_at>? AND EXISTS(SELECT 1 FROM memberships m WHERE"
                                  " m.person_id=device_links.person_id AND m.revoked_at IS NULL)",
                                  "ti", hash, hub_clock_now_s());
  gboolean ok = out->person || (!(error && *error) &&
                                hub_db_not_found(error, "device link unknown, used or expired"));
  ok = ok && hub_db_run(db, error, "DELETE FROM device_links WHERE token_hash=?", "t", hash);
  ok = ok && (out->name = hub_db_query_text(db, error, "SELECT name FROM people WHERE id=?", "t",
                                            out->person)) != NULL;
  ok = ok && session_create(db, out->person, device, out, error);
  if (!hub_db_end(db, ok, error)) {
    hub_new_session_clear(out);
    return FALSE;
  }
  return TRUE;
}

/* Inside a transaction: a new kiosk with a new secret. */
gboolean
hub_kiosk_create(HubDb *db, const char *household, char **kiosk_out, char **secret_out,
                 GError **error)
{
  g_autofree char *kiosk = hub_id_new("k_");
  g_autofree char *secret = hub_token_new(32);
  g_autofree char *hash = hub_token_hash(secret);
  if (!hub_db_run(db, error,
                  "INSERT INTO kiosks(id, household_id, secret_hash, created_at) VALUES(?,?,?,?)",
                  "ttti", kiosk, household, hash, hub_clock_now_s()) ||
      !hub_db_add_event(db, "household", household, kiosk, error))
    return FALSE;
  *kiosk_out = g_steal_pointer(&kiosk);
  *secret_out = g_steal_pointer(&secret);
  return TRUE;
}

gboolean
hub_auth_provision(HubDb *db, const char *code, char **household_out, char **kiosk_out,
                   char **secret_out, GError **error)
{
  g_autofree char *hash = hub_token_hash(code);
  if (!hub_db_begin(db, error))
    return FALSE;
  g_autofree char *household = hub_db_query_text(
      db, error, "SELECT id FROM households WHERE provision_hash=? AND provision_expires_at>?",
      "ti", hash, hub_clock_now_s());
  gboolean ok =
      household || (!(error && *error) && hub_db_not_found(error, "unknown provisioning code"));
  ok = ok && hub_db_run(db, error, /* single use */
                        "UPDATE households SET provision_hash=NULL, provision_expires_at=NULL"
                        " WHERE id=?",
                        "t", household);
  ok = ok && hub_kiosk_create(db, household, kiosk_out, secret_out, error);
  if (!hub_db_end(db, ok, error))
    return FALSE;
  *household_out = g_steal_pointer(&household);
  return TRUE;
}
