/* household.state as each member may see it, sent to one connection or to every connection of
 * the household; and what happens to live connections when rights change or access is revoked. */
#define G_LOG_DOMAIN "vindu-hub"
#include "hub.h"

/* The household as `viewer` may see it. (transfer full) or NULL */
static JsonObject *
state_for(Hub *hub, const char *household, Conn *viewer)
{
  JsonObject *h = hub_household_describe(hub->db, household);
  if (!h)
    return NULL;
  guint rights = 0;
  conn_member(viewer, household, &rights);
  gboolean sees_all = viewer->role == CONN_KIOSK || (rights & HUB_RIGHT_ADMIN);
  JsonArray *people = json_object_get_array_member(h, "people");
  for (guint i = 0; i < json_array_get_length(people); i++) {
    JsonObject *p = json_array_get_object_element(people, i);
    const char *pid = json_object_get_string_member(p, "id");
    if (viewer->role == CONN_KIOSK)
      json_object_set_string_member(p, "presence", presence_of(hub, pid));
    if (!sees_all && g_strcmp0(pid, viewer->self_id) != 0) {
      json_object_remove_member(p, "rights");
      json_object_remove_member(p, "auto_answer_consent");
    }
  }
  JsonArray *kiosks = json_object_get_array_member(h, "kiosks");
  for (guint i = 0; i < json_array_get_length(kiosks); i++) {
    JsonObject *k = json_array_get_object_element(kiosks, i);
    const char *kid = json_object_get_string_member(k, "id");
    /* the stored time from hub_household_describe: taken out (not everyone may see it) and
     * used again as the fallback, not selected a second time */
    gint64 stored = json_object_get_int_member_with_default(k, "last_seen_at", 0);
    json_object_remove_member(k, "last_seen_at");
    if (viewer->role == CONN_KIOSK || (rights & HUB_RIGHT_STATUS))
      presence_add_kiosk(hub, k, kid, stored);
  }
  if (viewer->role == CONN_PERSON)
    plugin_reports_describe(hub, household, rights, h);
  g_autofree char *address =
      viewer->role == CONN_PERSON && (rights & (HUB_RIGHT_ADMIN | HUB_RIGHT_ACTIVITIES))
          ? hub_household_address(hub->db, household)
          : NULL;
  if (address)
    json_object_set_string_member(h, "address", address);
  return h;
}

static void
send_state(Hub *hub, const char *household, Conn *viewer, const char *re)
{
  JsonObject *h = state_for(hub, household, viewer);
  if (!h) {
    conn_send_error(viewer, re, VP_ERROR_NOT_FOUND, "There is no such household.");
    return;
  }
  g_autoptr(VpMessage) m = vp_message_new(VP_HOUSEHOLD_STATE);
  if (re)
    vp_message_set_string(m, "re", re);
  vp_message_take_object(m, "household", h);
  conn_send(viewer, m);
}

void
household_send_state(Hub *hub, const char *household, Conn *only, const char *re)
{
  if (only) {
    send_state(hub, household, only, re);
    return;
  }
  if (!household)
    return;
  GPtrArray *list = g_hash_table_lookup(hub->by_household, household);
  if (!list)
    return;
  g_autoptr(GPtrArray) copy = g_ptr_array_copy(list, NULL, NULL);
  for (guint i = 0; i < copy->len; i++) {
    Conn *c = copy->pdata[i];
    if (!c->closing)
      send_state(hub, household, c, NULL);
  }
}

static void
close_revoked(Conn *c)
{
  conn_send_error(c, NULL, VP_ERROR_REVOKED, "Your access to this household was withdrawn.");
  conn_close(c, LWS_CLOSE_STATUS_POLICY_VIOLATION, "revoked");
}

void
household_refresh_person(Hub *hub, const char *person, const char *household)
{
  GPtrArray *list = hub_subject_conns(hub, person);
  if (!list)
    return;
  g_autoptr(GPtrArray) copy = g_ptr_array_copy(list, NULL, NULL);
  for (guint i = 0; i < copy->len; i++) {
    Conn *c = copy->pdata[i];
    if (c->role != CONN_PERSON || c->closing)
      continue;
    GPtrArray *fresh = hub_person_memberships(hub->db, person);
    if (fresh->len == 0) {
      g_ptr_array_unref(fresh);
      close_revoked(c);
      continue;
    }
    conn_set_memberships(c, fresh);
  }
}

void
household_revoked(Hub *hub, const char *household, const char *subject)
{
  GPtrArray *list = hub_subject_conns(hub, subject);
  if (list) {
    g_autoptr(GPtrArray) copy = g_ptr_array_copy(list, NULL, NULL);
    for (guint i = 0; i < copy->len; i++) {
      Conn *c = copy->pdata[i];
      if (!c->closing && conn_member(c, household, NULL))
        close_revoked(c);
    }
  }
  household_send_state(hub, household, NULL, NULL);
}
