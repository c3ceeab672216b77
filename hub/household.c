/* household.get / household.state, the admin messages (invite, rights, short names, revoke,
 * quiet hours, consent, pairing), what happens to live connections when those change, and
 * staff.overview. */
#define G_LOG_DOMAIN "vindu-hub"
#include "look_sharing.h"
#include "hub.h"
#include "storage_full.h"
#include "faces.h"
#include "tokens.h"
#include "clock.h"

#include <string.h>

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
static void
add_kiosk_presence(Hub *hub, JsonObject *o, const char *kiosk, gint64 stored)
{
  json_object_set_string_member(o, "presence", presence_of(hub, kiosk));
  gint64 seen = live_last_seen(hub, kiosk);
  if (seen < 0)
    seen = stored >= 0 ? stored : kiosk_last_seen(hub, kiosk);
  if (seen)
    json_object_set_int_member(o, "last_seen_at", seen);
}

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
      add_kiosk_presence(hub, k, kid, stored);
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

/* Check membership (+ a right for persons); answers the error itself. */
static gboolean
require(Conn *c, const char *re, const char *household, guint right)
{
  guint rights = 0;
  if (!conn_member(c, household, &rights)) {
    conn_send_error(c, re, VP_ERROR_NOT_FOUND, "There is no such household for you.");
    return FALSE;
  }
  if (c->role == CONN_PERSON && right && !(rights & right)) {
    conn_send_error(c, re, VP_ERROR_FORBIDDEN,
                    "You do not have the right to do this in this household.");
    return FALSE;
  }
  return TRUE;
}

static void
answer_db(Conn *c, const char *re, GError *error)
{
  if (error->domain == HUB_DB_ERROR && error->code == HUB_DB_ERROR_NOT_FOUND) {
    conn_send_error(c, re, VP_ERROR_NOT_FOUND, "There is no such person, kiosk or code here.");
  } else if (error->domain == HUB_DB_ERROR && error->code == HUB_DB_ERROR_BAD_FORMAT) {
    conn_send_error(c, re, VP_ERROR_BAD_FORMAT, "A pairing code is 8 digits.");
  } else {
    g_warning("household change failed: %s", error->message);
    const char *sentence = "The hub failed; nothing was changed.";
    VpErrorCode code = storage_error_code(error, &sentence); /* sets sentence */
    conn_send_error(c, re, code, sentence);
  }
}

/* Too many wrong pairing codes from this person, or in this household, lately? Answers the
 * error itself. */
static gboolean
pair_allowed(Conn *c, const char *re, const char *household)
{
  gint64 now = hub_clock_now_s();
  if (!hub_failures_blocked(c->hub->pair_failures, c->self_id, now) &&
      !hub_failures_blocked(c->hub->pair_household_failures, household, now))
    return TRUE;
  conn_send_error(c, re, VP_ERROR_RATE_LIMITED,
                  "Too many wrong codes; wait ten minutes and try again.");
  return FALSE;
}

/* Is a kiosk showing this code on a connection that stays open? Binding a code whose
 * connection is closing would answer ok, and then the closing connection would delete the bound
 * row without the kiosk ever being paired. */
static gboolean
pair_code_waiting(Hub *hub, const char *code)
{
  g_autofree char *norm = hub_pairing_code_normalise(code);
  if (!norm)
    return FALSE;
  g_autofree char *hash = hub_db_pairing_hash(hub->db, norm);
  Conn *kiosk = g_hash_table_lookup(hub->unpaired, hash);
  return kiosk && !kiosk->closing;
}

/* household.pair; answers only when refused (FALSE). Only wrong codes count against the limits:
 * a code that is not 8 digits can never match, so it is bad_format and not a guess. */
static gboolean
pair(Conn *c, const char *re, const char *household, const char *code)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *norm = hub_pairing_code_normalise(code);
  if (!norm) {
    conn_send_error(c, re, VP_ERROR_BAD_FORMAT, "A pairing code is 8 digits.");
    return FALSE;
  }
  if (!pair_allowed(c, re, household))
    return FALSE;
  if (pair_code_waiting(c->hub, norm) &&
      hub_pairing_bind(c->hub->db, household, norm, c->self_id, &error))
    return TRUE;
  if (!error || g_error_matches(error, HUB_DB_ERROR, HUB_DB_ERROR_NOT_FOUND)) {
    hub_failures_add(c->hub->pair_failures, c->self_id, hub_clock_now_s());
    hub_failures_add(c->hub->pair_household_failures, household, hub_clock_now_s());
    conn_send_error(c, re, VP_ERROR_NOT_FOUND, "No screen is showing that code.");
  } else {
    answer_db(c, re, error);
  }
  return FALSE;
}

void
household_handle(Conn *c, VpMessage *m)
{
  Hub *hub = c->hub;
  const char *re = vp_message_id(m);
  const char *household = vp_message_get_string(m, "household");
  const char *person = vp_message_get_string(m, "person");
  g_autoptr(GError) error = NULL;
  gboolean ok = TRUE;

  switch (vp_message_type(m)) {
  case VP_HOUSEHOLD_GET:
    if (require(c, re, household, 0))
      send_state(hub, household, c, re);
    return;
  case VP_HOUSEHOLD_INVITE: {
    if (!require(c, re, household, HUB_RIGHT_ADMIN))
      return;
    guint rights = 0;
    if (!hub_rights_from_json(vp_message_get_array(m, "rights"), &rights)) {
      conn_send_error(c, re, VP_ERROR_OUT_OF_RANGE, "One of the rights is unknown.");
      return;
    }
    const char *role = vp_message_get_string(m, "role");
    if (!hub_role_valid(role)) {
      conn_send_error(c, re, VP_ERROR_OUT_OF_RANGE,
                      "The role must be family, volunteer, staff or coordinator.");
      return;
    }
    g_autofree char *pid = NULL, *link = NULL;
    gint64 expires = 0;
    if (!hub_invite_create(hub->db, household, vp_message_get_string(m, "name"),
                           vp_message_get_string(m, "relationship"), role, rights,
                           hub->config->public_url, &pid, &link, &expires, &error)) {
      answer_db(c, re, error);
      return;
    }
    const char *short_name = vp_message_get_string(m, "short_name");
    if (short_name && *short_name &&
        !hub_short_name_set(hub->db, household, pid, short_name, &error)) {
      answer_db(c, re, error);
      return;
    }
    g_autoptr(VpMessage) a = vp_message_new(VP_HOUSEHOLD_INVITED);
    vp_message_set_string(a, "re", re);
    vp_message_set_string(a, "person", pid);
    vp_message_set_string(a, "link", link);
    vp_message_set_int(a, "expires_at", expires);
    conn_send(c, a);
    hub_server_process_events(hub);
    return;
  }
  case VP_HOUSEHOLD_SET_RIGHTS: {
    if (!require(c, re, household, HUB_RIGHT_ADMIN))
      return;
    guint rights = 0;
    if (!hub_rights_from_json(vp_message_get_array(m, "rights"), &rights)) {
      conn_send_error(c, re, VP_ERROR_OUT_OF_RANGE, "One of the rights is unknown.");
      return;
    }
    ok = hub_rights_set(hub->db, household, person, rights, &error);
    break;
  }
  case VP_HOUSEHOLD_SET_SHORT_NAME: {
    /* the household's admins, and the person for themself */
    gboolean self = c->role == CONN_PERSON && g_strcmp0(person, c->self_id) == 0;
    if (!require(c, re, household, self ? 0 : HUB_RIGHT_ADMIN))
      return;
    ok = hub_short_name_set(hub->db, household, person, vp_message_get_string(m, "short_name"),
                            &error);
    break;
  }
  case VP_HOUSEHOLD_SET_PHOTO: {
    /* as the short name: the household's admins, and the person for themself (faces.h) */
    gboolean self = c->role == CONN_PERSON && g_strcmp0(person, c->self_id) == 0;
    const char *photo = vp_message_get_string(m, "photo");
    VpErrorCode code;
    const char *sentence;
    if (!require(c, re, household, self ? 0 : HUB_RIGHT_ADMIN))
      return;
    if (*photo && !hub_face_check(hub, household, photo, &code, &sentence)) {
      conn_send_field_error(c, re, code, "photo", sentence);
      return;
    }
    ok = hub_face_set(hub->db, household, person, photo, &error);
    break;
  }
  case VP_HOUSEHOLD_REVOKE:
    if (!require(c, re, household, HUB_RIGHT_ADMIN))
      return;
    ok = g_str_has_prefix(person ? person : "", "k_")
             ? hub_kiosk_revoke(hub->db, household, person, &error)
             : hub_person_revoke(hub->db, household, person, &error);
    break;
  case VP_HOUSEHOLD_SET_QUIET_HOURS: {
    if (!require(c, re, household, HUB_RIGHT_ADMIN))
      return;
    JsonObject *q = vp_message_get_object(m, "quiet_hours");
    const char *start = q ? json_object_get_string_member_with_default(q, "start", NULL) : NULL;
    const char *end = q ? json_object_get_string_member_with_default(q, "end", NULL) : NULL;
    if (q && (!vp_is_clock_time(start) || !vp_is_clock_time(end))) {
      conn_send_error(c, re, VP_ERROR_BAD_FORMAT, "Quiet hours are two times like 22:00.");
      return;
    }
    ok = hub_quiet_hours_set(hub->db, household, q ? start : NULL, q ? end : NULL, &error);
    break;
  }
  case VP_HOUSEHOLD_SET_SHARE_LOOKS:
    if (!require(c, re, household, HUB_RIGHT_ADMIN))
      return;
    ok = hub_share_looks_set(hub->db, household, vp_message_get_bool(m, "share_looks", FALSE),
                             &error);
    break;
  case VP_HOUSEHOLD_CONSENT: {
    if (!require(c, re, household, HUB_RIGHT_ADMIN))
      return;
    gboolean agree = vp_message_get_bool(m, "auto_answer", FALSE);
    const char *agreed_by = vp_message_get_string(m, "agreed_by");
    if (agree && (!agreed_by || !*agreed_by)) {
      conn_send_error(c, re, VP_ERROR_MISSING_FIELD, "Say who agreed (agreed_by).");
      return;
    }
    ok = hub_consent_record(hub->db, household, person, agreed_by ? agreed_by : "", c->self_id,
                            !agree, &error);
    break;
  }
  case VP_HOUSEHOLD_PAIR:
    if (!require(c, re, household, HUB_RIGHT_ADMIN) ||
        !pair(c, re, household, vp_message_get_string(m, "code")))
      return;
    break;
  default:
    conn_send_error(c, re, VP_ERROR_FORBIDDEN, "Clients may not send this message.");
    return;
  }
  if (!ok) {
    answer_db(c, re, error);
    return;
  }
  conn_send_ok(c, re);
  hub_server_process_events(hub);
}

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
      add_kiosk_presence(hub, o, kiosk, -1);
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
