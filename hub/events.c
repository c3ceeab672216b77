/* The events table: what `vindu-hub admin` (or this server, after a change it made) recorded
 * for the running server to act on — revoked access, changed rights, a bound pairing code, a
 * changed household — applied in order, each once. */
#define G_LOG_DOMAIN "vindu-hub"
#include "events.h"

#include "kiosk_paired.h"

/* An admin bound the pairing code `code_hash`: the kiosk showing it is told its identity. */
static void
pairing_bound(Hub *hub, const char *code_hash)
{
  Conn *c = code_hash ? g_hash_table_lookup(hub->unpaired, code_hash) : NULL;
  g_autoptr(GError) error = NULL;
  if (!c || c->closing) { /* no kiosk shows it: the admin waiting is told so */
    if (code_hash && !hub_pairing_code_refuse(hub->db, code_hash, &error))
      g_warning("pairing request not refused: %s", error->message);
    return;
  }
  g_autofree char *household = NULL, *kiosk = NULL, *secret = NULL;
  if (!hub_pairing_code_claim(hub->db, code_hash, &household, &kiosk, &secret, &error))
    return;
  g_hash_table_remove(hub->unpaired, code_hash);
  g_clear_pointer(&c->pairing_hash, g_free);
  kiosk_paired_send(c, kiosk, secret, household);
  hub_events_process(hub);
}

/* Act on what `vindu-hub admin` (or another server connection) changed. */
static void
apply_event(Hub *hub, const char *kind, const char *household, const char *subject)
{
  if (g_strcmp0(kind, "revoke") == 0) {
    household_revoked(hub, household, subject);
  } else if (g_strcmp0(kind, "rights") == 0) {
    household_refresh_person(hub, subject, household);
    household_send_state(hub, household, NULL, NULL);
  } else if (g_strcmp0(kind, "pair") == 0) {
    pairing_bound(hub, subject);
  } else if (g_strcmp0(kind, "household") == 0) {
    household_send_state(hub, household, NULL, NULL);
  }
}

void
hub_events_process(Hub *hub)
{
  sqlite3_stmt *st = hub_db_prepare(
      hub->db, "SELECT id, kind, household_id, subject FROM events WHERE id>? ORDER BY id", NULL);
  if (!st)
    return;
  sqlite3_bind_int64(st, 1, hub->last_event_id);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
  while (sqlite3_step(st) == SQLITE_ROW) {
    hub->last_event_id = sqlite3_column_int64(st, 0);
    char **row = g_new0(char *, 4);
    row[0] = g_strdup(hub_db_col_text(st, 1));
    row[1] = g_strdup(hub_db_col_text(st, 2));
    row[2] = g_strdup(hub_db_col_text(st, 3));
    g_ptr_array_add(rows, row);
  }
  sqlite3_reset(st);
  for (guint i = 0; i < rows->len; i++) {
    char **row = rows->pdata[i];
    apply_event(hub, row[0], row[1], row[2]);
  }
}
