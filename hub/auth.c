/* `hello`: the five kinds of sign-in (device, session, invite, link, pair), the limits on failed
 * attempts (per address and per credential), the `welcome`, and `paired` when an admin binds a
 * waiting kiosk. And where a person is signed in: their devices' links, list and sign-out
 * (`device.*`, records in devices.c).
 *
 * Every credential `hello` carries is random with at least 128 bits (hub_token_new), so the
 * limits are not what keeps a guesser out; they stop a flood, and they must harm only the one
 * who fails. So a valid credential is always accepted, whatever failed before from its address
 * or with its kiosk's id: a kiosk behind the same home router as a guesser still signs in.
 * A failure over a limit is told as such, with the wait ("wait N minutes"), and closes the
 * connection, so each further guess costs a new TLS connection. */
#define G_LOG_DOMAIN "vindu-hub"
#include "hub.h"
#include "devices.h"
#include "events.h"
#include "kiosk_paired.h"
#include "gate.h"
#include "reminder_escalation.h"
#include "tokens.h"
#include "clock.h"

static JsonObject *
self_object(const char *id, const char *name, const char *kind)
{
  JsonObject *o = json_object_new();
  json_object_set_string_member(o, "id", id);
  json_object_set_string_member(o, "name", name);
  json_object_set_string_member(o, "kind", kind);
  return o;
}

static void
send_welcome(Conn *c, const char *re, const char *session_token, const char *pairing_code)
{
  Hub *hub = c->hub;
  g_autoptr(VpMessage) w = vp_message_new(VP_WELCOME);
  vp_message_set_string(w, "re", re);
  vp_message_set_int(w, "version", VP_PROTOCOL_VERSION);
  JsonArray *households = json_array_new();
  if (c->role == CONN_KIOSK) {
    g_autofree char *resident = hub_household_resident(hub->db, c->household);
    vp_message_set_string(w, "role", "kiosk");
    vp_message_take_object(w, "self", self_object(c->self_id, resident ? resident : "", "kiosk"));
    JsonObject *h = json_object_new();
    json_object_set_string_member(h, "id", c->household);
    json_object_set_string_member(h, "resident", resident ? resident : "");
    json_array_add_object_element(households, h);
  } else if (c->role == CONN_PERSON) {
    vp_message_set_string(w, "role", "person");
    vp_message_take_object(w, "self", self_object(c->self_id, c->name, "person"));
    for (guint i = 0; i < c->memberships->len; i++) {
      HubMembership *m = c->memberships->pdata[i];
      JsonObject *h = json_object_new();
      json_object_set_string_member(h, "id", m->household);
      json_object_set_string_member(h, "resident", m->resident);
      json_object_set_array_member(h, "rights", hub_rights_to_json(m->rights));
      json_array_add_object_element(households, h);
    }
  } else {
    vp_message_set_string(w, "role", "unpaired");
  }
  vp_message_take_array(w, "households", households);
  if (session_token)
    vp_message_set_string(w, "session_token", session_token);
  if (pairing_code)
    vp_message_set_string(w, "pairing_code", pairing_code);
  conn_send(c, w);
}

/* After sign-in: indexes, presence, pending deliveries, statuses missed while away. */
static void
signed_in(Conn *c)
{
  gate_leave(c); /* no longer counted at the door */
  conn_register(c);
  presence_changed(c->hub, c);
  messages_flush(c);
  if (c->role == CONN_KIOSK)
    documents_flush(c);
  if (c->role == CONN_PERSON)
    messages_send_statuses(c);
  calls_signed_in(c);
  if (c->role == CONN_PERSON)
    reminder_escalation_send_pending(c);
}

/* The key under which failures with this credential are counted: the kiosk's id for a device
 * secret (someone guessing secrets for one kiosk), otherwise the token's or code's hash (never
 * the token itself). NULL when there is nothing to count by. */
static char *
credential_key(const char *kind, JsonObject *auth)
{
  if (g_str_equal(kind, "device")) {
    const char *kiosk = json_object_get_string_member_with_default(auth, "kiosk", NULL);
    return kiosk ? g_strconcat("kiosk:", kiosk, NULL) : NULL;
  }
  const char *field = g_str_equal(kind, "pair") ? "code" : "token";
  const char *secret = auth ? json_object_get_string_member_with_default(auth, field, NULL) : NULL;
  if (!secret)
    return NULL;
  g_autofree char *hash = hub_token_hash(secret);
  return g_strconcat(kind, ":", hash, NULL);
}

static void
send_rate_limited(Conn *c, const char *re, gint64 wait_s, const char *whose)
{
  gint64 minutes = (wait_s + 59) / 60;
  g_autofree char *sentence =
      g_strdup_printf("Too many tries %s. Wait %" G_GINT64_FORMAT " minute%s and try again.", whose,
                      minutes, minutes == 1 ? "" : "s");
  g_autoptr(VpMessage) e = vp_message_new_error(re, VP_ERROR_RATE_LIMITED, sentence);
  vp_message_set_int(e, "retry_after_s", wait_s);
  conn_send(c, e);
  conn_close(c, LWS_CLOSE_STATUS_POLICY_VIOLATION, "too many sign-in failures");
}

/* A failed sign-in: counted for the address and the credential. Over the credential's own
 * limit the person is told to wait for it; over the address's, that it comes from this network. */
static void
refuse(Conn *c, const char *re, const char *cred_key)
{
  Hub *hub = c->hub;
  gint64 now = hub_clock_now_s();
  hub_failures_add(hub->signin_failures, c->address, now);
  if (cred_key)
    hub_failures_add(hub->credential_failures, cred_key, now);
  gint64 own = cred_key ? hub_failures_retry_after_s(hub->credential_failures, cred_key, now) : 0;
  gint64 here = hub_failures_retry_after_s(hub->signin_failures, c->address, now);
  if (own > 0) {
    send_rate_limited(c, re, own, "with this link, code or secret");
  } else if (here > 0) {
    send_rate_limited(c, re, here, "from this network");
  } else {
    conn_send_error(c, re, VP_ERROR_BAD_CREDENTIALS,
                    "Sign-in failed: the code, link or secret is wrong, used or expired.");
  }
}

/* An unpaired kiosk's code, held in memory only (hub->unpaired) until an admin binds it. */
static void
show_new_pairing_code(Conn *c, const char *re)
{
  g_autofree char *pairing = NULL, *hash = NULL;
  for (int attempt = 0; attempt < 8 && (!hash || g_hash_table_contains(c->hub->unpaired, hash));
       attempt++) {
    g_clear_pointer(&pairing, g_free);
    g_clear_pointer(&hash, g_free);
    hub_pairing_code_issue(c->hub->db, &pairing, &hash);
  }
  if (g_hash_table_contains(c->hub->unpaired, hash)) {
    conn_send_error(c, re, VP_ERROR_INTERNAL, "The hub could not make a pairing code.");
    return;
  }
  c->role = CONN_UNPAIRED;
  c->pairing_hash = g_strdup(hash);
  g_hash_table_replace(c->hub->unpaired, g_steal_pointer(&hash), c);
  send_welcome(c, re, NULL, pairing);
}

/* The name a new device session gets: what its browser says it is (web/devices.js), printable
 * only. */
static char *
device_name(JsonObject *auth)
{
  const char *raw = json_object_get_string_member_with_default(auth, "device", "");
  char *name = g_utf8_make_valid(raw, -1);
  for (char *p = name; *p; p++)
    if ((guchar)*p < 0x20 || *p == 0x7f)
      *p = ' ';
  return g_strstrip(name);
}

/* A person's sign-in: a device's session token, an invite or a device link (both make a new
 * device session, whose token the welcome carries once). */
static void
person_hello(Conn *c, const char *re, const char *kind, JsonObject *auth, const char *cred_key)
{
  Hub *hub = c->hub;
  const char *token = json_object_get_string_member_with_default(auth, "token", NULL);
  g_autofree char *device = device_name(auth);
  HubNewSession who = {0};
  gboolean ok =
      token && (g_str_equal(kind, "session")  ? hub_auth_session(hub->db, token, &who, NULL)
                : g_str_equal(kind, "invite") ? hub_auth_invite(hub->db, token, device, &who, NULL)
                                              : hub_auth_link(hub->db, token, device, &who, NULL));
  if (!ok) {
    refuse(c, re, cred_key);
    return;
  }
  c->role = CONN_PERSON;
  c->self_id = g_steal_pointer(&who.person);
  c->name = g_steal_pointer(&who.name);
  c->session_id = g_steal_pointer(&who.session);
  c->memberships = hub_person_memberships(hub->db, c->self_id);
  if (c->memberships->len == 0) {
    hub_new_session_clear(&who);
    c->role = CONN_NEW;
    conn_send_error(c, re, VP_ERROR_REVOKED, "Your access to this household was withdrawn.");
    conn_close(c, LWS_CLOSE_STATUS_POLICY_VIOLATION, "revoked");
    return;
  }
  send_welcome(c, re, who.token, NULL);
  hub_new_session_clear(&who);
  signed_in(c);
}

void
auth_hello(Conn *c, VpMessage *m)
{
  Hub *hub = c->hub;
  const char *re = vp_message_id(m);
  if (vp_message_get_int(m, "version", 0) < VP_PROTOCOL_VERSION) {
    conn_send_error(c, re, VP_ERROR_VERSION_UNSUPPORTED,
                    "This hub speaks protocol version 1; please update the app.");
    return;
  }
  JsonObject *auth = vp_message_get_object(m, "auth");
  const char *kind = auth ? json_object_get_string_member_with_default(auth, "kind", "") : "";
  g_autoptr(GError) error = NULL;
  g_autofree char *cred_key = credential_key(kind, auth);

  if (g_str_equal(kind, "device")) {
    const char *kiosk = json_object_get_string_member_with_default(auth, "kiosk", NULL);
    const char *secret = json_object_get_string_member_with_default(auth, "secret", NULL);
    g_autofree char *household = NULL;
    if (!kiosk || !secret || !hub_auth_device(hub->db, kiosk, secret, &household, &error)) {
      refuse(c, re, cred_key);
      return;
    }
    c->role = CONN_KIOSK;
    c->self_id = g_strdup(kiosk);
    hub_note_seen(hub, kiosk);
    c->household = g_steal_pointer(&household);
    send_welcome(c, re, NULL, NULL);
    signed_in(c);
  } else if (g_str_equal(kind, "session") || g_str_equal(kind, "invite") ||
             g_str_equal(kind, "link")) {
    person_hello(c, re, kind, auth, cred_key);
  } else if (g_str_equal(kind, "pair")) {
    const char *code = json_object_get_string_member_with_default(auth, "code", NULL);
    if (code) {
      g_autofree char *household = NULL, *kiosk = NULL, *secret = NULL;
      if (!hub_auth_provision(hub->db, code, &household, &kiosk, &secret, &error)) {
        refuse(c, re, cred_key);
        return;
      }
      c->role = CONN_UNPAIRED;
      send_welcome(c, re, NULL, NULL);
      kiosk_paired_send(c, kiosk, secret, household);
      hub_events_process(hub);
      return;
    }
    show_new_pairing_code(c, re);
  } else {
    conn_send_error(c, re, VP_ERROR_OUT_OF_RANGE, "Unknown kind of sign-in.");
  }
}

/* Whose devices a request is about: the sender's own, or (with `person` and `household`) a
 * member of a household the sender is an admin of. Answers the error itself; NULL then. */
static const char *
whose_devices(Conn *c, VpMessage *m, const char *re)
{
  const char *person = vp_message_get_string(m, "person");
  if (!person || g_str_equal(person, c->self_id))
    return c->self_id;
  guint rights = 0;
  if (!conn_member(c, vp_message_get_string(m, "household"), &rights)) {
    conn_send_error(c, re, VP_ERROR_NOT_FOUND, "There is no such household for you.");
    return NULL;
  }
  if (!(rights & HUB_RIGHT_ADMIN)) {
    conn_send_error(c, re, VP_ERROR_FORBIDDEN, "Only an admin sees another person's devices.");
    return NULL;
  }
  HubMembership *mb = hub_membership_get(c->hub->db, vp_message_get_string(m, "household"), person);
  if (!mb) {
    conn_send_field_error(c, re, VP_ERROR_NOT_FOUND, "person",
                          "There is no such person in this household.");
    return NULL;
  }
  hub_membership_free(mb);
  return person;
}

static void
device_link(Conn *c, const char *re)
{
  g_autofree char *token = NULL;
  gint64 expires_at = 0;
  switch (hub_device_link_create(c->hub->db, c->self_id, &token, &expires_at)) {
  case HUB_DEVICE_LINK_MADE: {
    g_autoptr(VpMessage) r = vp_message_new(VP_DEVICE_LINKED);
    vp_message_set_string(r, "re", re);
    vp_message_set_string(r, "token", token);
    vp_message_set_int(r, "expires_at", expires_at);
    conn_send(c, r);
    break;
  }
  case HUB_DEVICE_LINK_TOO_MANY_DEVICES:
    conn_send_error(c, re, VP_ERROR_OUT_OF_RANGE,
                    "You are signed in on 20 devices; sign one out before adding another.");
    break;
  case HUB_DEVICE_LINK_TOO_MANY_LINKS:
    conn_send_error(c, re, VP_ERROR_RATE_LIMITED,
                    "Five links are waiting to be used; wait ten minutes for them to expire.");
    break;
  case HUB_DEVICE_LINK_FAILED:
    conn_send_error(c, re, VP_ERROR_INTERNAL, "The hub could not make a link; nothing changed.");
    break;
  }
}

/* The connection a device's session has open now, if any. */
static Conn *
session_conn(Hub *hub, const char *person, const char *session)
{
  GPtrArray *conns = hub_subject_conns(hub, person);
  for (guint i = 0; conns && i < conns->len; i++) {
    Conn *o = conns->pdata[i];
    if (!o->closing && g_strcmp0(o->session_id, session) == 0)
      return o;
  }
  return NULL;
}

static void
device_list(Conn *c, VpMessage *m, const char *re)
{
  const char *person = whose_devices(c, m, re);
  if (!person)
    return;
  g_autoptr(GPtrArray) devices = hub_devices_of(c->hub->db, person);
  JsonArray *items = json_array_new();
  for (guint i = 0; i < devices->len; i++) {
    HubDevice *d = devices->pdata[i];
    JsonObject *o = json_object_new();
    json_object_set_string_member(o, "id", d->id);
    json_object_set_string_member(o, "name", d->name);
    json_object_set_int_member(o, "created_at", d->created_at);
    if (d->last_seen_at)
      json_object_set_int_member(o, "last_seen_at", d->last_seen_at);
    json_object_set_boolean_member(o, "current", g_strcmp0(d->id, c->session_id) == 0);
    json_object_set_boolean_member(o, "online", session_conn(c->hub, person, d->id) != NULL);
    json_array_add_object_element(items, o);
  }
  g_autoptr(VpMessage) r = vp_message_new(VP_DEVICE_ITEMS);
  vp_message_set_string(r, "re", re);
  vp_message_set_string(r, "person", person);
  vp_message_take_array(r, "items", items);
  conn_send(c, r);
}

/* Signed out: the device's open pages are told and closed (their reconnect is refused). */
static void
device_revoke(Conn *c, VpMessage *m, const char *re)
{
  const char *person = whose_devices(c, m, re);
  if (!person)
    return;
  const char *device = vp_message_get_string(m, "device");
  g_autoptr(GError) error = NULL;
  if (!hub_device_revoke(c->hub->db, person, device, &error)) {
    if (g_error_matches(error, HUB_DB_ERROR, HUB_DB_ERROR_NOT_FOUND))
      conn_send_field_error(c, re, VP_ERROR_NOT_FOUND, "device", "There is no such device.");
    else
      conn_send_error(c, re, VP_ERROR_INTERNAL, "The hub could not sign it out; nothing changed.");
    return;
  }
  g_message("device %s of %s signed out by %s", device, person, c->self_id);
  conn_send_ok(c, re);
  for (Conn *o; (o = session_conn(c->hub, person, device));) {
    conn_send_error(o, NULL, VP_ERROR_BAD_CREDENTIALS, "This device was signed out.");
    conn_close(o, LWS_CLOSE_STATUS_POLICY_VIOLATION, "signed out");
  }
}

void
auth_devices_handle(Conn *c, VpMessage *m)
{
  const char *re = vp_message_id(m);
  VpType type = vp_message_type(m);
  if (type == VP_DEVICE_LINK)
    device_link(c, re);
  else if (type == VP_DEVICE_LIST)
    device_list(c, m, re);
  else if (type == VP_DEVICE_REVOKE)
    device_revoke(c, m, re);
}
