/* Presence: online / offline / in_call of kiosks and people, kept in memory (connections and
 * calls), pushed only to those entitled: a kiosk sees everyone of its household; a person sees
 * kiosks with the `status` right. */
#define G_LOG_DOMAIN "vindu-hub"
#include "hub.h"
#include "calls_internal.h"
#include "clock.h"

/* In an answered call: read from the calls in memory here, not asked of calls.c, which tells
 * presence when a call starts or ends. */
static gboolean
in_active_call(Hub *hub, const char *subject)
{
  Call *call = g_hash_table_lookup(hub->subject_call, subject);
  return call && call->state == CALL_ACTIVE;
}

const char *
presence_of(Hub *hub, const char *subject)
{
  /* no connection is offline, even while a call waits for its side to come back (call.resume):
   * nobody can reach it now */
  GPtrArray *list = hub_subject_conns(hub, subject);
  if (!list || !list->len)
    return "offline";
  return in_active_call(hub, subject) ? "in_call" : "online";
}

/* Now while the kiosk is connected, else the time noted when it went away (possibly not yet
 * committed); -1 when neither, and only the stored time can say. */
static gint64
live_last_seen(Hub *hub, const char *kiosk)
{
  if (!g_str_equal(presence_of(hub, kiosk), "offline"))
    return hub_clock_now_s();
  gpointer noted = NULL;
  if (g_hash_table_lookup_extended(hub->pending_seen, kiosk, NULL, &noted))
    return (gint64)GPOINTER_TO_SIZE(noted);
  return -1;
}

/* When the kiosk was last connected: now while it is; else the time noted when it went away,
 * else the stored one. 0 when never. The one rule for household.state, staff.overview and
 * presence, so they never disagree. */
gint64
kiosk_last_seen(Hub *hub, const char *kiosk)
{
  gint64 seen = live_last_seen(hub, kiosk);
  if (seen >= 0)
    return seen;
  seen = 0;
  sqlite3_stmt *st = hub_db_prepare(hub->db, "SELECT last_seen_at FROM kiosks WHERE id=?", NULL);
  if (!st)
    return 0;
  hub_db_bind_text(st, 1, kiosk);
  if (sqlite3_step(st) == SQLITE_ROW)
    seen = sqlite3_column_int64(st, 0);
  sqlite3_reset(st);
  return seen;
}

/* `presence` and `last_seen_at` of a kiosk: only for those who may see them (the `status`
 * right, or the household's kiosks) — the caller decides. `stored`: the stored last seen when
 * the caller has read it already (else -1, and it is read here if needed). */
void
presence_add_kiosk(Hub *hub, JsonObject *o, const char *kiosk, gint64 stored)
{
  json_object_set_string_member(o, "presence", presence_of(hub, kiosk));
  gint64 seen = live_last_seen(hub, kiosk);
  if (seen < 0)
    seen = stored >= 0 ? stored : kiosk_last_seen(hub, kiosk);
  if (seen)
    json_object_set_int_member(o, "last_seen_at", seen);
}

gboolean
presence_visible(Conn *viewer, const char *household, const char *subject)
{
  if (g_strcmp0(viewer->self_id, subject) == 0)
    return FALSE;
  if (viewer->role == CONN_KIOSK)
    return g_strcmp0(viewer->household, household) == 0;
  guint rights = 0;
  if (!conn_member(viewer, household, &rights))
    return FALSE;
  return g_str_has_prefix(subject, "k_") && (rights & HUB_RIGHT_STATUS);
}

typedef struct {
  const char *household;
  const char *subject;
} Want;

static gboolean
entitled(Conn *viewer, gpointer data)
{
  Want *w = data;
  return !viewer->closing && presence_visible(viewer, w->household, w->subject);
}

/* A kiosk's last seen is the one household.state and staff.overview give (kiosk_last_seen), so
 * a page that got it here reads the same there; people have no stored one: now. */
static void
announce(Hub *hub, const char *household, const char *subject, gboolean kiosk)
{
  g_autoptr(VpMessage) p = vp_message_new(VP_PRESENCE);
  vp_message_set_string(p, "household", household);
  vp_message_set_string(p, "subject", subject);
  vp_message_set_string(p, "state", presence_of(hub, subject));
  gint64 seen = kiosk ? kiosk_last_seen(hub, subject) : hub_clock_now_s();
  if (seen)
    vp_message_set_int(p, "last_seen_at", seen);
  Want w = {household, subject};
  hub_send_to_household(hub, household, p, entitled, &w);
}

void
presence_changed(Hub *hub, Conn *who)
{
  if (!who || !who->self_id)
    return;
  if (who->role == CONN_KIOSK) {
    announce(hub, who->household, who->self_id, TRUE);
  } else if (who->role == CONN_PERSON && who->memberships) {
    for (guint i = 0; i < who->memberships->len; i++)
      announce(hub, ((HubMembership *)who->memberships->pdata[i])->household, who->self_id, FALSE);
  }
}

void
presence_subject_changed(Hub *hub, const char *subject)
{
  GPtrArray *list = hub_subject_conns(hub, subject);
  if (list && list->len)
    presence_changed(hub, list->pdata[0]);
}
