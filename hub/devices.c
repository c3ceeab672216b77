#define G_LOG_DOMAIN "vindu-hub"
#include "devices.h"

#include "clock.h"
#include "tokens.h"

static gint64
count(HubDb *db, const char *sql, const char *person, gint64 now)
{
  g_autofree char *n = hub_db_query_text(db, NULL, sql, "ti", person, now);
  return n ? g_ascii_strtoll(n, NULL, 10) : G_MAXINT64;
}

HubDeviceLinkResult
hub_device_link_create(HubDb *db, const char *person, char **token_out, gint64 *expires_at_out)
{
  gint64 now = hub_clock_now_s();
  hub_db_run(db, NULL, "DELETE FROM device_links WHERE expires_at<=?", "i", now);
  if (count(db, "SELECT COUNT(*) FROM sessions WHERE person_id=? AND ?>0", person, now) >=
      HUB_DEVICES_PER_PERSON)
    return HUB_DEVICE_LINK_TOO_MANY_DEVICES;
  if (count(db, "SELECT COUNT(*) FROM device_links WHERE person_id=? AND expires_at>?", person,
            now) >= HUB_DEVICE_LINKS_PER_PERSON)
    return HUB_DEVICE_LINK_TOO_MANY_LINKS;
  g_autofree char *token = hub_token_new(32);
  g_autofree char *hash = hub_token_hash(token);
  if (!hub_db_run(db, NULL,
                  "INSERT INTO device_links(token_hash, person_id, expires_at, created_at)"
                  " VALUES(?,?,?,?)",
                  "ttii", hash, person, now + HUB_DEVICE_LINK_TTL_S, now))
    return HUB_DEVICE_LINK_FAILED;
  *token_out = g_steal_pointer(&token);
  *expires_at_out = now + HUB_DEVICE_LINK_TTL_S;
  return HUB_DEVICE_LINK_MADE;
}

void
hub_device_free(HubDevice *d)
{
  g_free(d->id);
  g_free(d->name);
  g_free(d);
}

GPtrArray *
hub_devices_of(HubDb *db, const char *person)
{
  GPtrArray *list = g_ptr_array_new_with_free_func((GDestroyNotify)hub_device_free);
  sqlite3_stmt *st = hub_db_prepare(db,
                                    "SELECT id, device, created_at, last_seen_at FROM sessions"
                                    " WHERE person_id=? ORDER BY created_at, id",
                                    NULL);
  if (!st)
    return list;
  hub_db_bind_text(st, 1, person);
  while (sqlite3_step(st) == SQLITE_ROW) {
    HubDevice *d = g_new0(HubDevice, 1);
    d->id = g_strdup(hub_db_col_text(st, 0));
    d->name = g_strdup(hub_db_col_text(st, 1));
    d->created_at = sqlite3_column_int64(st, 2);
    d->last_seen_at = sqlite3_column_int64(st, 3);
    g_ptr_array_add(list, d);
  }
  sqlite3_reset(st);
  return list;
}

gboolean
hub_device_revoke(HubDb *db, const char *person, const char *device, GError **error)
{
  if (!hub_db_begin(db, error))
    return FALSE;
  gboolean ok = hub_db_run(db, error, "DELETE FROM sessions WHERE id=? AND person_id=?", "tt",
                           device, person);
  ok = ok && (hub_db_changes(db) > 0 || hub_db_not_found(error, "no such device"));
  ok =
      ok && hub_db_run(db, error, "DELETE FROM push_subscriptions WHERE session_id=?", "t", device);
  return hub_db_end(db, ok, error);
}
