/* Call signalling: the hub relays invite / ringing / accept / decline / cancel / hangup and
 * SDP / ICE only between a kiosk and a person of its household with the `call` right (either
 * way) or two kiosks of one household. Calls live in memory; the call log is in the database.
 * A ring unanswered after ring_timeout_s ends as missed for both sides. */
#define G_LOG_DOMAIN "vindu-hub"
#include "hub.h"

#include "call_reach.h"
#include "call_survival.h"
#include "calls_internal.h"
#include "tokens.h"
#include "turn.h"
#include "clock.h"

#include <string.h>

gboolean
calls_quiet_now(const char *start, const char *end, GDateTime *now)
{
  if (!start || !end)
    return FALSE;
  int s = atoi(start) * 60 + atoi(start + 3);
  int e = atoi(end) * 60 + atoi(end + 3);
  int t = g_date_time_get_hour(now) * 60 + g_date_time_get_minute(now);
  if (s == e)
    return FALSE;
  if (s < e)
    return t >= s && t < e;
  return t >= s || t < e; /* over midnight, e.g. 22:00-08:00 */
}

static gboolean
on_ring_timeout(gpointer data)
{
  Call *call = data;
  call->ring_timer = 0;
  g_autoptr(VpMessage) m = calls_new_msg(VP_CALL_MISSED, call);
  calls_send_to_callee(call, m, NULL);
  if (call_reach_missed(call->hub, call->id, call->household, call->callee, call->caller_name))
    vp_message_set_bool(m, "told", TRUE); /* the caller may say so */
  if (call->caller_conn)
    conn_send(call->caller_conn, m);
  calls_end_call(call, "missed");
  return G_SOURCE_REMOVE;
}

static JsonObject *
from_object(Hub *hub, Conn *c, const char *household)
{
  JsonObject *o = json_object_new();
  json_object_set_string_member(o, "id", c->self_id);
  if (c->role == CONN_PERSON) {
    HubMembership *m = conn_membership(c, household);
    json_object_set_string_member(o, "name", c->name);
    if (m)
      json_object_set_string_member(o, "relationship", m->relationship);
    sqlite3_stmt *st = hub_db_prepare(hub->db, "SELECT photo FROM people WHERE id=?", NULL);
    if (st) {
      hub_db_bind_text(st, 1, c->self_id);
      if (sqlite3_step(st) == SQLITE_ROW && hub_db_col_text(st, 0))
        json_object_set_string_member(o, "photo", hub_db_col_text(st, 0));
      sqlite3_reset(st);
    }
  } else {
    g_autofree char *resident = hub_household_resident(hub->db, household);
    json_object_set_string_member(o, "name", resident ? resident : "");
  }
  return o;
}

static void
send_turn(Hub *hub, Call *call, Conn *c)
{
  HubConfig *cfg = hub->config;
  JsonArray *servers = hub_turn_ice_servers(cfg->turn_secret, cfg->turn_urls, cfg->turn_ttl_s,
                                            c->self_id, hub_clock_now_s());
  if (!servers)
    return;
  g_autoptr(VpMessage) t = calls_new_msg(VP_CALL_TURN, call);
  vp_message_set_int(t, "ttl_s", cfg->turn_ttl_s);
  vp_message_take_array(t, "ice_servers", servers);
  if (cfg->turn_relay_only)
    vp_message_set_string(t, "ice_transport_policy", "relay");
  conn_send(c, t);
}

static gboolean
is_household_kiosk(Hub *hub, const char *household, const char *id)
{
  g_autoptr(GPtrArray) kiosks = hub_household_kiosks(hub->db, household);
  for (guint i = 0; i < kiosks->len; i++)
    if (g_str_equal(kiosks->pdata[i], id))
      return TRUE;
  return FALSE;
}

/* Who may call whom: a person with the call right calls the household's kiosk; a kiosk calls
 * the household's other kiosk or a person who holds the call right. FALSE: refused, said. */
static gboolean
invite_allowed(Conn *c, const char *re, const char *household, const char *to, guint rights)
{
  Hub *hub = c->hub;
  gboolean to_kiosk = g_str_has_prefix(to, "k_");
  if (c->role == CONN_PERSON) {
    if (!(rights & HUB_RIGHT_CALL)) {
      conn_send_error(c, re, VP_ERROR_FORBIDDEN, "You do not have the right to call this kiosk.");
      return FALSE;
    }
    if (!to_kiosk || !is_household_kiosk(hub, household, to)) {
      conn_send_error(c, re, VP_ERROR_FORBIDDEN, "You may call only this household's kiosk.");
      return FALSE;
    }
  } else if (to_kiosk) {
    if (!is_household_kiosk(hub, household, to)) {
      conn_send_error(c, re, VP_ERROR_FORBIDDEN, "That kiosk is not in this household.");
      return FALSE;
    }
  } else {
    HubMembership *mb = hub_membership_get(hub->db, household, to);
    guint callee_rights = mb ? mb->rights : 0;
    hub_membership_free(mb);
    if (!(callee_rights & HUB_RIGHT_CALL)) {
      conn_send_error(c, re, VP_ERROR_FORBIDDEN, "This person cannot be called from here.");
      return FALSE;
    }
  }
  return TRUE;
}

/* Whether the call can ring now: quiet hours (for a person calling the kiosk without the
 * exemption), the callee reachable (connected, or by push), nobody busy. FALSE: said. */
static gboolean
invite_can_ring(Conn *c, const char *re, const char *household, const char *to, guint rights)
{
  Hub *hub = c->hub;
  gboolean to_kiosk = g_str_has_prefix(to, "k_");
  if (to_kiosk && c->role == CONN_PERSON && !(rights & HUB_RIGHT_QUIET_HOURS_EXEMPT)) {
    g_autofree char *qs = NULL, *qe = NULL;
    hub_household_quiet_hours(hub->db, household, &qs, &qe);
    g_autoptr(GDateTime) now = g_date_time_new_now_local();
    if (calls_quiet_now(qs, qe, now)) {
      g_autofree char *sentence =
          g_strdup_printf("It is quiet time in this home (%s to %s); please call later.", qs, qe);
      conn_send_error(c, re, VP_ERROR_QUIET_HOURS, sentence);
      return FALSE;
    }
  }
  GPtrArray *callee_conns = hub_subject_conns(hub, to);
  if ((!callee_conns || callee_conns->len == 0) && !call_reach_by_push(hub, c, to)) {
    conn_send_error(c, re, VP_ERROR_OFFLINE,
                    to_kiosk ? "The kiosk is not connected just now." : "They are not online now.");
    return FALSE;
  }
  if (g_hash_table_contains(hub->subject_call, to) ||
      g_hash_table_contains(hub->subject_call, c->self_id)) {
    conn_send_error(c, re, VP_ERROR_BUSY, "They are already in a call; try again soon.");
    return FALSE;
  }
  return TRUE;
}

/* A new ringing call from `c` to `to`, known to the hub and in the call log. */
static Call *
call_new_ringing(Conn *c, const char *household, const char *to)
{
  Hub *hub = c->hub;
  Call *call = g_new0(Call, 1);
  call->hub = hub;
  call->id = hub_id_new("c_");
  call->household = g_strdup(household);
  call->caller = g_strdup(c->self_id);
  call->callee = g_strdup(to);
  call->caller_conn = c;
  call->caller_name =
      c->role == CONN_PERSON ? g_strdup(c->name) : hub_household_resident(hub->db, household);
  call->state = CALL_RINGING;
  g_hash_table_insert(hub->calls, call->id, call);
  g_hash_table_insert(hub->subject_call, g_strdup(call->caller), call);
  g_hash_table_insert(hub->subject_call, g_strdup(call->callee), call);
  sqlite3_stmt *st = hub_db_prepare(
      hub->db, "INSERT INTO calls(id, household_id, caller, callee, started_at) VALUES(?,?,?,?,?)",
      NULL);
  if (st) {
    hub_db_bind_text(st, 1, call->id);
    hub_db_bind_text(st, 2, household);
    hub_db_bind_text(st, 3, call->caller);
    hub_db_bind_text(st, 4, call->callee);
    sqlite3_bind_int64(st, 5, hub_clock_now_s());
    sqlite3_step(st);
    sqlite3_reset(st);
  }
  return call;
}

/* The caller hears call.placed; the callee's devices ring (and are pushed); both get TURN. */
static void
ring(Conn *c, Call *call, VpMessage *m, guint rights)
{
  Hub *hub = c->hub;
  g_autoptr(VpMessage) placed = calls_new_msg(VP_CALL_PLACED, call);
  vp_message_set_string(placed, "re", vp_message_id(m));
  conn_send(c, placed);

  const char *about = vp_message_get_string(m, "about_photo");
  g_autoptr(VpMessage) invite = calls_new_msg(VP_CALL_INVITE, call);
  vp_message_set_string(invite, "household", call->household);
  vp_message_take_object(invite, "from", from_object(hub, c, call->household));
  if (c->role == CONN_PERSON && g_str_has_prefix(call->callee, "k_") &&
      (rights & HUB_RIGHT_AUTO_ANSWER) && hub_consent_active(hub->db, call->household, c->self_id))
    vp_message_set_int(invite, "auto_answer_after_s", 10);
  if (about)
    vp_message_set_string(invite, "about_photo", about);
  calls_send_to_callee(call, invite, NULL);

  send_turn(hub, call, c);
  GPtrArray *callee_conns = hub_subject_conns(hub, call->callee);
  for (guint i = 0; callee_conns && i < callee_conns->len; i++)
    send_turn(hub, call, callee_conns->pdata[i]);
  call_reach_ring(hub, call->id, call->household, call->callee, call->caller_name);
  call->ring_timer = g_timeout_add_seconds(hub->config->ring_timeout_s, on_ring_timeout, call);
}

static void
invite(Conn *c, VpMessage *m)
{
  const char *re = vp_message_id(m);
  const char *household = vp_message_get_string(m, "household");
  const char *to = vp_message_get_string(m, "to");
  guint rights = 0;
  if (!conn_member(c, household, &rights)) {
    conn_send_error(c, re, VP_ERROR_NOT_FOUND, "There is no such household for you.");
    return;
  }
  if (!to || g_strcmp0(to, c->self_id) == 0) {
    conn_send_error(c, re, VP_ERROR_FORBIDDEN, "You cannot call yourself.");
    return;
  }
  if (!invite_allowed(c, re, household, to, rights) ||
      !invite_can_ring(c, re, household, to, rights))
    return;
  /* "Call Anna about this photo": a photo of this household, named on the callee's page */
  const char *about = vp_message_get_string(m, "about_photo");
  if (about && !files_in_household(c->hub, about, household, "photo")) {
    conn_send_error(c, re, VP_ERROR_NOT_FOUND, "There is no such photo in this household.");
    return;
  }
  ring(c, call_new_ringing(c, household, to), m, rights);
}

/* A fresh copy of a relayed message with only its schema fields: no `id`, nothing extra. */
static VpMessage *
relay_copy(VpMessage *m)
{
  static const char *const fields[] = {"call",      "reason",          "sdp_type", "sdp",
                                       "candidate", "sdp_mline_index", "sdp_mid"};
  VpMessage *out = vp_message_new(vp_message_type(m));
  JsonObject *src = vp_message_object(m);
  JsonObject *dst = vp_message_object(out);
  for (guint i = 0; i < G_N_ELEMENTS(fields); i++) {
    JsonNode *n = json_object_get_member(src, fields[i]);
    if (n)
      json_object_set_member(dst, fields[i], json_node_copy(n));
  }
  return out;
}

/* The callee's connections still ringing that could answer: all but `except` and those that
 * declined because their browser cannot make video calls. */
static guint
callee_could_answer(Call *call, Conn *except)
{
  GPtrArray *list = hub_subject_conns(call->hub, call->callee);
  guint n = 0;
  for (guint i = 0; list && i < list->len; i++)
    if (list->pdata[i] != except &&
        !(call->no_webrtc && g_ptr_array_find(call->no_webrtc, list->pdata[i], NULL)))
      n++;
  return n;
}

/* A `no_webrtc` decline speaks for that browser only: while another of the callee's devices
 * could still answer, the call keeps ringing there and the caller is told nothing; the last
 * one ends the call as declined, with that reason. TRUE if the call goes on. */
static gboolean
decline_leaves_others_ringing(Call *call, Conn *c, VpMessage *m)
{
  if (g_strcmp0(vp_message_get_string(m, "reason"), "no_webrtc") != 0)
    return FALSE;
  if (callee_could_answer(call, c) == 0)
    return FALSE;
  if (!call->no_webrtc)
    call->no_webrtc = g_ptr_array_new();
  g_ptr_array_add(call->no_webrtc, c);
  return TRUE;
}

/* The callee accepted: the call is theirs on this device; the others stop ringing. */
static void
accepted(Call *call, Conn *c)
{
  Hub *hub = call->hub;
  call->state = CALL_ACTIVE;
  call->callee_conn = c;
  if (call->ring_timer) {
    g_source_remove(call->ring_timer);
    call->ring_timer = 0;
  }
  g_autoptr(VpMessage) stop = calls_new_msg(VP_CALL_CANCEL, call);
  vp_message_set_bool(stop, "answered_elsewhere", TRUE);
  GPtrArray *list = hub_subject_conns(hub, call->callee);
  for (guint i = 0; list && i < list->len; i++)
    if (list->pdata[i] != c)
      conn_send(list->pdata[i], stop);
  presence_subject_changed(hub, call->caller);
  presence_subject_changed(hub, call->callee);
}

/* call.ringing, call.accept or call.decline from the callee while it rings. FALSE: refused. */
static gboolean
answer(Call *call, Conn *c, VpMessage *m, const char *re)
{
  VpType type = vp_message_type(m);
  if (call->state != CALL_RINGING) {
    conn_send_error(c, re, VP_ERROR_FORBIDDEN, "Only the one being called can answer, once.");
    return FALSE;
  }
  if (type == VP_CALL_DECLINE && decline_leaves_others_ringing(call, c, m))
    return TRUE;
  if (type == VP_CALL_ACCEPT) {
    /* in the log before the caller hears it: a hub killed right after still takes it up */
    sqlite3_stmt *st =
        hub_db_prepare(call->hub->db, "UPDATE calls SET answered_at=? WHERE id=?", NULL);
    if (st) {
      sqlite3_bind_int64(st, 1, hub_clock_now_s());
      hub_db_bind_text(st, 2, call->id);
      sqlite3_step(st);
      sqlite3_reset(st);
    }
  }
  if (call->caller_conn)
    conn_send(call->caller_conn, m);
  if (type == VP_CALL_ACCEPT) {
    accepted(call, c);
  } else if (type == VP_CALL_DECLINE) {
    g_autoptr(VpMessage) stop = calls_new_msg(VP_CALL_CANCEL, call);
    calls_send_to_callee(call, stop, c);
    calls_end_call(call, "declined");
  }
  return TRUE;
}

/* A message of a call `c` is a side of; FALSE when refused (the error is sent). */
static gboolean
relay_in_call(Call *call, Conn *c, VpMessage *m, const char *re, gboolean is_caller)
{
  Conn *other = is_caller ? call->callee_conn : call->caller_conn;
  switch (vp_message_type(m)) {
  case VP_CALL_RINGING:
  case VP_CALL_ACCEPT:
  case VP_CALL_DECLINE:
    if (is_caller) {
      conn_send_error(c, re, VP_ERROR_FORBIDDEN, "Only the one being called can answer, once.");
      return FALSE;
    }
    return answer(call, c, m, re);
  case VP_CALL_CANCEL:
    if (!is_caller || call->state != CALL_RINGING) {
      conn_send_error(c, re, VP_ERROR_FORBIDDEN, "Only the caller can cancel, before an answer.");
      return FALSE;
    }
    calls_send_to_callee(call, m, NULL);
    calls_end_call(call, "cancelled");
    return TRUE;
  case VP_CALL_HANGUP:
  case VP_CALL_SDP:
  case VP_CALL_ICE:
    if (is_caller)
      calls_send_to_callee(call, m, NULL);
    else if (other)
      conn_send(other, m);
    if (vp_message_type(m) == VP_CALL_HANGUP)
      calls_end_call(call, call->state == CALL_ACTIVE ? "completed" : "cancelled");
    return TRUE;
  default:
    conn_send_error(c, re, VP_ERROR_FORBIDDEN, "Clients may not send this message.");
    return FALSE;
  }
}

void
calls_handle(Conn *c, VpMessage *m_in)
{
  VpType type = vp_message_type(m_in);
  const char *re = vp_message_id(m_in);
  if (type == VP_CALL_INVITE) {
    invite(c, m_in);
    return;
  }
  if (type == VP_CALL_RESUME) {
    call_survival_resume(c, m_in);
    return;
  }
  g_autoptr(VpMessage) m = relay_copy(m_in);
  Call *call = g_hash_table_lookup(c->hub->calls, vp_message_get_string(m, "call"));
  call_survival_adopt(call, c); /* a side back after its socket dropped or the hub restarted */
  gboolean is_caller = call && call->caller_conn == c;
  gboolean is_callee = call && g_strcmp0(call->callee, c->self_id) == 0 &&
                       (call->callee_conn == NULL || call->callee_conn == c);
  if (!is_caller && !is_callee) {
    conn_send_error(c, re, VP_ERROR_NOT_FOUND, "There is no such call for you.");
    return;
  }
  if (relay_in_call(call, c, m, re, is_caller) && re)
    conn_send_ok(c, re);
}

void
calls_signed_in(Conn *c)
{
  Hub *hub = c->hub;
  Call *call = c->self_id ? g_hash_table_lookup(hub->subject_call, c->self_id) : NULL;
  if (!call || call->state != CALL_RINGING || !call->caller_conn ||
      g_strcmp0(call->callee, c->self_id) != 0)
    return;
  /* a device that opened after the ring began (from a push) rings too */
  g_autoptr(VpMessage) ring = calls_new_msg(VP_CALL_INVITE, call);
  vp_message_set_string(ring, "household", call->household);
  vp_message_take_object(ring, "from", from_object(hub, call->caller_conn, call->household));
  conn_send(c, ring);
  send_turn(hub, call, c);
}

void
calls_conn_closed(Conn *c)
{
  Hub *hub = c->hub;
  if (!c->self_id)
    return;
  Call *call = g_hash_table_lookup(hub->subject_call, c->self_id);
  if (!call || call_survival_detach(call, c))
    return;
  if (call->caller_conn == c) {
    g_autoptr(VpMessage) m =
        calls_new_msg(call->state == CALL_RINGING ? VP_CALL_CANCEL : VP_CALL_HANGUP, call);
    if (call->state == CALL_ACTIVE)
      vp_message_set_string(m, "reason", "peer_lost");
    call->caller_conn = NULL;
    calls_send_to_callee(call, m, c);
    calls_end_call(call, "peer_lost");
  } else if (call->callee_conn == c) {
    g_autoptr(VpMessage) m = calls_new_msg(VP_CALL_HANGUP, call);
    vp_message_set_string(m, "reason", "peer_lost");
    if (call->caller_conn)
      conn_send(call->caller_conn, m);
    calls_end_call(call, "peer_lost");
  } else if (call->state == CALL_RINGING && g_strcmp0(call->callee, c->self_id) == 0) {
    if (call->no_webrtc)
      g_ptr_array_remove(call->no_webrtc, c);
    if (callee_could_answer(call, c) > 0 ||
        (!call->no_webrtc && call_reach_by_push(hub, call->caller_conn, call->callee)))
      return; /* other devices, or a push, can still answer */
    /* nobody left who could answer: those left cannot make video calls, or nobody is left */
    gboolean no_webrtc = call->no_webrtc && call->no_webrtc->len > 0;
    g_autoptr(VpMessage) m = calls_new_msg(no_webrtc ? VP_CALL_DECLINE : VP_CALL_HANGUP, call);
    vp_message_set_string(m, "reason", no_webrtc ? "no_webrtc" : "peer_lost");
    if (call->caller_conn)
      conn_send(call->caller_conn, m);
    if (no_webrtc) {
      g_autoptr(VpMessage) stop = calls_new_msg(VP_CALL_CANCEL, call);
      calls_send_to_callee(call, stop, c);
    }
    calls_end_call(call, no_webrtc ? "declined" : "peer_lost");
  }
}
