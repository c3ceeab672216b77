/* Presence: online / offline / in_call of kiosks and people, kept in memory (connections and
 * calls), pushed only to those entitled: a kiosk sees everyone of its household; a person sees
 * kiosks with the `status` right. */
#define G_LOG_DOMAIN "vindu-hub"
#include "hub.h"
#include "clock.h"

const char *
presence_of(Hub *hub, const char *subject)
{
  /* no connection is offline, even while a call waits for its side to come back (call.resume):
   * nobody can reach it now */
  GPtrArray *list = hub_subject_conns(hub, subject);
  if (!list || !list->len)
    return "offline";
  return calls_subject_in_call(hub, subject) ? "in_call" : "online";
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
