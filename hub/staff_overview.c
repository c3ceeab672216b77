/* staff.kiosks: the overview of every kiosk in the households a person serves as staff or
 * coordinator, with the figures staff look at first (last answered call, missed check-ins), one
 * frame per page. */
#define G_LOG_DOMAIN "vindu-hub"
#include "hub.h"
#include "clock.h"

#include <string.h>

/* A check-in counts as kept when an answered call with the person named in it (any person
 * when none is named) started within this many seconds of its time, either side. */
#define CHECKIN_WINDOW_S 3600
#define CHECKIN_LOOKBACK_S (7 * 24 * 3600)

gint64
staff_last_call_at(HubDb *db, const char *household)
{
  gint64 last = 0;
  /* per household, not per kiosk: a replaced (re-paired) screen keeps the household's history */
  sqlite3_stmt *st = hub_db_prepare(
      db, "SELECT MAX(started_at) FROM calls WHERE household_id=? AND answered_at IS NOT NULL",
      NULL);
  if (!st)
    return 0;
  hub_db_bind_text(st, 1, household);
  if (sqlite3_step(st) == SQLITE_ROW)
    last = sqlite3_column_int64(st, 0);
  sqlite3_reset(st);
  return last;
}

gint64
staff_missed_checkins(HubDb *db, const char *household, gint64 now)
{
  gint64 missed = 0;
  /* Missed: in the last 7 days, its window already over (not while the call may still come),
   * and no answered call with that person inside the window — a call days later does not
   * make up for it. Only integer times count: doc.put refuses others now, but a row stored
   * before that with a string `at` would compare above every number and count forever. */
  sqlite3_stmt *st = hub_db_prepare(
      db,
      "SELECT COUNT(*) FROM documents d WHERE d.household_id=?1 AND d.kind='checkin' AND"
      " d.deleted=0 AND json_type(d.body,'$.at')='integer' AND"
      " json_extract(d.body,'$.at')>?2-?4 AND json_extract(d.body,'$.at')+?3<?2"
      " AND NOT EXISTS(SELECT 1 FROM calls c WHERE c.household_id=?1 AND c.answered_at IS NOT"
      " NULL AND c.started_at BETWEEN json_extract(d.body,'$.at')-?3 AND"
      " json_extract(d.body,'$.at')+?3 AND (json_extract(d.body,'$.person') IS NULL OR"
      " json_extract(d.body,'$.person') IN (c.caller, c.callee)))",
      NULL);
  if (!st)
    return 0;
  hub_db_bind_text(st, 1, household);
  sqlite3_bind_int64(st, 2, now);
  sqlite3_bind_int64(st, 3, CHECKIN_WINDOW_S);
  sqlite3_bind_int64(st, 4, CHECKIN_LOOKBACK_S);
  if (sqlite3_step(st) == SQLITE_ROW)
    missed = sqlite3_column_int64(st, 0);
  sqlite3_reset(st);
  return missed;
}

static void
add_kiosk_items(Hub *hub, HubMembership *mb, JsonArray *items)
{
  gint64 last_call = staff_last_call_at(hub->db, mb->household);
  gint64 missed = staff_missed_checkins(hub->db, mb->household, hub_clock_now_s());
  g_autoptr(GPtrArray) kiosks = hub_household_kiosks(hub->db, mb->household);
  for (guint k = 0; k < kiosks->len; k++) {
    const char *kiosk = kiosks->pdata[k];
    JsonObject *o = json_object_new();
    json_object_set_string_member(o, "household", mb->household);
    json_object_set_string_member(o, "resident", mb->resident);
    json_object_set_string_member(o, "kiosk", kiosk);
    json_object_set_int_member(o, "missed_checkins", missed);
    if (last_call)
      json_object_set_int_member(o, "last_call_at", last_call);
    /* whether the screen is on is for those with `status`, as in household.state */
    if (mb->rights & HUB_RIGHT_STATUS)
      presence_add_kiosk(hub, o, kiosk, -1);
    json_array_add_object_element(items, o);
  }
}

/* One page of staff.kiosks fits in one frame, however many kiosks: items in order of kiosk id,
 * added while the answer stays under this; `more` + `next` say where to go on. */
#define STAFF_PAGE_BUDGET (VP_MAX_FRAME_BYTES - 2048)

static gint
by_kiosk(gconstpointer a, gconstpointer b)
{
  JsonObject *x = *(JsonObject *const *)a, *y = *(JsonObject *const *)b;
  return g_strcmp0(json_object_get_string_member_with_default(x, "kiosk", ""),
                   json_object_get_string_member_with_default(y, "kiosk", ""));
}

static gsize
json_size(JsonObject *o)
{
  g_autoptr(JsonNode) n = json_node_init_object(json_node_alloc(), o);
  g_autofree char *text = json_to_string(n, FALSE);
  return strlen(text) + 1;
}

/* The page of `sorted` (JsonObject*, by kiosk) after kiosk `after`; sets *next when more follow. */
static JsonArray *
staff_page(GPtrArray *sorted, const char *after, const char **next)
{
  JsonArray *page = json_array_new();
  gsize used = 0;
  *next = NULL;
  for (guint i = 0; i < sorted->len; i++) {
    JsonObject *o = sorted->pdata[i];
    const char *kiosk = json_object_get_string_member_with_default(o, "kiosk", "");
    if (after && g_strcmp0(kiosk, after) <= 0)
      continue;
    gsize len = json_size(o);
    if (used + len > STAFF_PAGE_BUDGET && json_array_get_length(page) > 0) {
      JsonObject *last = json_array_get_object_element(page, json_array_get_length(page) - 1);
      *next = json_object_get_string_member_with_default(last, "kiosk", "");
      break;
    }
    used += len;
    json_array_add_object_element(page, json_object_ref(o));
  }
  return page;
}

void
staff_overview(Conn *c, VpMessage *m)
{
  Hub *hub = c->hub;
  const char *re = vp_message_id(m);
  if (c->role != CONN_PERSON) {
    conn_send_error(c, re, VP_ERROR_FORBIDDEN, "Only staff may ask for the overview.");
    return;
  }
  g_autoptr(JsonArray) items = json_array_new();
  gboolean staff = FALSE;
  for (guint i = 0; i < c->memberships->len; i++) {
    HubMembership *mb = c->memberships->pdata[i];
    if (!g_str_equal(mb->role, "staff") && !g_str_equal(mb->role, "coordinator"))
      continue;
    staff = TRUE;
    add_kiosk_items(hub, mb, items);
  }
  if (!staff) {
    conn_send_error(c, re, VP_ERROR_FORBIDDEN, "Only staff and coordinators see the overview.");
    return;
  }
  g_autoptr(GPtrArray) sorted = g_ptr_array_new();
  for (guint i = 0; i < json_array_get_length(items); i++)
    g_ptr_array_add(sorted, json_array_get_object_element(items, i));
  g_ptr_array_sort(sorted, by_kiosk);
  const char *next = NULL;
  JsonArray *page = staff_page(sorted, vp_message_get_string(m, "after"), &next);
  g_autoptr(VpMessage) a = vp_message_new(VP_STAFF_KIOSKS);
  vp_message_set_string(a, "re", re);
  if (next) {
    vp_message_set_bool(a, "more", TRUE);
    vp_message_set_string(a, "next", next);
  }
  vp_message_take_array(a, "items", page);
  conn_send(c, a);
}
