/* Subscriptions live in the table push_subscriptions (one row per browser endpoint, owned by
 * the person who last subscribed it); the VAPID key in DATA_DIR/push/vapid.pem. */
#define G_LOG_DOMAIN "vindu-hub"
#include "clock.h"
#include "push.h"

#include "push_b64.h"
#include "push_crypt.h"
#include "protocol.h"
#include "push_send.h"
#include "tokens.h"

#include <string.h>

#define PUSH_SUBSCRIPTIONS_PER_PERSON 10
#define PUSH_ENDPOINT_MAX 1024

struct _HubPush {
  Hub *hub;
  PushVapid *vapid;
  PushSender *sender;
};

static void
on_result(const char *subscription, int status, gpointer data)
{
  HubPush *push = data;
  if (status != 404 && status != 410)
    return;
  /* RFC 8030 §7.3: the subscription expired or was withdrawn */
  sqlite3_stmt *st =
      hub_db_prepare(push->hub->db, "DELETE FROM push_subscriptions WHERE id=?", NULL);
  if (!st)
    return;
  hub_db_bind_text(st, 1, subscription);
  sqlite3_step(st);
  sqlite3_reset(st);
  g_info("dropped a push subscription the push service no longer knows (%d)", status);
}

HubPush *
push_new(Hub *hub, GError **error)
{
  g_autofree char *path = g_build_filename(hub->config->data_dir, "push", "vapid.pem", NULL);
  PushVapid *vapid = push_vapid_load_or_create(path, error);
  if (!vapid)
    return NULL;
  HubPush *push = g_new0(HubPush, 1);
  push->hub = hub;
  push->vapid = vapid;
  const char *subject = hub->config->push_contact ? hub->config->push_contact
                        : hub->config->public_url ? hub->config->public_url
                                                  : "https://localhost";
  push->sender = push_sender_new(vapid, hub->config->push_ca_file, subject, on_result, push);
  return push;
}

void
push_free(HubPush *push)
{
  if (!push)
    return;
  push_sender_free(push->sender);
  push_vapid_free(push->vapid);
  g_free(push);
}

guint
push_pending(Hub *hub)
{
  return hub->push && hub->push->sender ? push_sender_pending(hub->push->sender) : 0;
}

/* An endpoint the sender can use: https, printable ASCII, no spaces (it goes into a request
 * line). */
static gboolean
endpoint_ok(const char *endpoint)
{
  if (!g_str_has_prefix(endpoint, "https://") || strlen(endpoint) > PUSH_ENDPOINT_MAX)
    return FALSE;
  for (const char *p = endpoint; *p; p++)
    if (*p <= 0x20 || *p >= 0x7f)
      return FALSE;
  g_autoptr(GUri) uri = g_uri_parse(endpoint, G_URI_FLAGS_ENCODED, NULL);
  return uri && g_uri_get_host(uri) && *g_uri_get_host(uri);
}

static gboolean
key_ok(const char *b64, gsize want)
{
  g_autoptr(GBytes) raw = push_b64url_decode(b64);
  return raw && g_bytes_get_size(raw) == want &&
         (want != PUSH_P256_POINT_LEN || ((const guint8 *)g_bytes_get_data(raw, NULL))[0] == 4);
}

static void
trim_subscriptions(HubDb *db, const char *person)
{
  sqlite3_stmt *st = hub_db_prepare(
      db,
      "DELETE FROM push_subscriptions WHERE person_id=?1 AND id NOT IN (SELECT id FROM "
      "push_subscriptions WHERE person_id=?1 ORDER BY created_at DESC, rowid DESC LIMIT ?2)",
      NULL);
  if (!st)
    return;
  hub_db_bind_text(st, 1, person);
  sqlite3_bind_int(st, 2, PUSH_SUBSCRIPTIONS_PER_PERSON);
  sqlite3_step(st);
  sqlite3_reset(st);
}

static void
subscribe(Conn *c, VpMessage *m)
{
  const char *re = vp_message_id(m);
  const char *endpoint = vp_message_get_string(m, "endpoint");
  if (!endpoint_ok(endpoint)) {
    conn_send_field_error(c, re, VP_ERROR_BAD_FORMAT, "endpoint",
                          "The push address must be an https URL.");
    return;
  }
  if (!key_ok(vp_message_get_string(m, "p256dh"), PUSH_P256_POINT_LEN) ||
      !key_ok(vp_message_get_string(m, "auth"), PUSH_AUTH_LEN)) {
    conn_send_field_error(c, re, VP_ERROR_BAD_FORMAT, "p256dh",
                          "The push keys are not a browser's subscription keys.");
    return;
  }
  HubDb *db = c->hub->db;
  sqlite3_stmt *st = hub_db_prepare(
      db,
      "INSERT INTO push_subscriptions(id, person_id, endpoint, p256dh, auth, show_text, "
      "created_at, session_id) VALUES(?,?,?,?,?,?,?,?) ON CONFLICT(endpoint) DO UPDATE SET "
      "person_id=excluded.person_id, p256dh=excluded.p256dh, auth=excluded.auth, "
      "show_text=excluded.show_text, created_at=excluded.created_at, "
      "session_id=excluded.session_id",
      NULL);
  g_autofree char *id = hub_id_new("s_");
  gboolean ok = st != NULL;
  if (st) {
    hub_db_bind_text(st, 1, id);
    hub_db_bind_text(st, 2, c->self_id);
    hub_db_bind_text(st, 3, endpoint);
    hub_db_bind_text(st, 4, vp_message_get_string(m, "p256dh"));
    hub_db_bind_text(st, 5, vp_message_get_string(m, "auth"));
    sqlite3_bind_int(st, 6, vp_message_get_bool(m, "show_text", FALSE));
    sqlite3_bind_int64(st, 7, hub_clock_now_s());
    hub_db_bind_text(st, 8, c->session_id); /* signing the device out drops it */
    ok = sqlite3_step(st) == SQLITE_DONE;
    sqlite3_reset(st);
  }
  if (!ok) {
    conn_send_error(c, re, VP_ERROR_INTERNAL, "The hub could not keep this; nothing changed.");
    return;
  }
  trim_subscriptions(db, c->self_id);
  conn_send_ok(c, re);
}

static void
unsubscribe(Conn *c, VpMessage *m)
{
  sqlite3_stmt *st = hub_db_prepare(
      c->hub->db, "DELETE FROM push_subscriptions WHERE endpoint=? AND person_id=?", NULL);
  if (st) {
    hub_db_bind_text(st, 1, vp_message_get_string(m, "endpoint"));
    hub_db_bind_text(st, 2, c->self_id);
    sqlite3_step(st);
    sqlite3_reset(st);
  }
  conn_send_ok(c, vp_message_id(m)); /* idempotent: gone is gone */
}

void
push_handle(Conn *c, VpMessage *m)
{
  if (c->role != CONN_PERSON) {
    conn_send_error(c, vp_message_id(m), VP_ERROR_FORBIDDEN, "Only people subscribe to pushes.");
    return;
  }
  if (!c->hub->push) { /* a hub that is not listening (the fuzz target) */
    conn_send_error(c, vp_message_id(m), VP_ERROR_INTERNAL, "Pushes are not available here.");
    return;
  }
  switch (vp_message_type(m)) {
  case VP_PUSH_GET_KEY: {
    g_autoptr(VpMessage) out = vp_message_new(VP_PUSH_KEY);
    vp_message_set_string(out, "re", vp_message_id(m));
    vp_message_set_string(out, "public_key", push_vapid_public_key(c->hub->push->vapid));
    conn_send(c, out);
    break;
  }
  case VP_PUSH_SUBSCRIBE:
    subscribe(c, m);
    break;
  case VP_PUSH_UNSUBSCRIBE:
    unsubscribe(c, m);
    break;
  default:
    break;
  }
}

/* The JSON a service worker receives; `text` only when the subscriber allowed it. */
static char *
notice_json(const PushNotice *n, gboolean show_text)
{
  g_autoptr(JsonObject) o = json_object_new();
  json_object_set_string_member(o, "kind", n->kind);
  if (n->household)
    json_object_set_string_member(o, "household", n->household);
  if (n->from)
    json_object_set_string_member(o, "from", n->from);
  if (n->call)
    json_object_set_string_member(o, "call", n->call);
  if (n->msg)
    json_object_set_string_member(o, "msg", n->msg);
  if (n->message_kind)
    json_object_set_string_member(o, "message_kind", n->message_kind);
  if (n->text && show_text)
    json_object_set_string_member(o, "text", n->text);
  json_object_set_int_member(o, "at", n->at ? n->at : hub_clock_now_s());
  g_autoptr(JsonNode) node = json_node_init_object(json_node_alloc(), o);
  char *text = vp_json_text(node, FALSE, NULL); /* the service worker JSON.parses it */
  if (strlen(text) > PUSH_PLAINTEXT_MAX) {      /* a long text: say there is one, not what */
    g_free(text);
    return show_text ? notice_json(n, FALSE) : g_strdup("{}");
  }
  return text;
}

guint
push_notify_person(Hub *hub, const char *person, const PushNotice *notice)
{
  HubPush *push = hub->push;
  if (!push || !push->sender || !person)
    return 0;
  sqlite3_stmt *st = hub_db_prepare(
      hub->db,
      "SELECT id, endpoint, p256dh, auth, show_text FROM push_subscriptions WHERE person_id=?",
      NULL);
  if (!st)
    return 0;
  hub_db_bind_text(st, 1, person);
  guint queued = 0;
  gboolean urgent = g_str_equal(notice->kind, "call");
  while (sqlite3_step(st) == SQLITE_ROW) {
    g_autoptr(GBytes) p256dh = push_b64url_decode(hub_db_col_text(st, 2));
    g_autoptr(GBytes) auth = push_b64url_decode(hub_db_col_text(st, 3));
    if (!p256dh || !auth)
      continue;
    g_autofree char *payload = notice_json(notice, sqlite3_column_int(st, 4) != 0);
    PushTarget target = {.subscription = hub_db_col_text(st, 0),
                         .endpoint = hub_db_col_text(st, 1),
                         .p256dh = p256dh,
                         .auth = auth,
                         .ttl_s = notice->ttl_s > 0 ? notice->ttl_s : 86400,
                         .urgency = urgent ? "high" : "normal"};
    push_sender_queue(push->sender, &target, payload);
    queued++;
  }
  sqlite3_reset(st);
  return queued;
}

gboolean
push_person_reachable(Hub *hub, const char *person)
{
  sqlite3_stmt *st =
      hub_db_prepare(hub->db, "SELECT 1 FROM push_subscriptions WHERE person_id=? LIMIT 1", NULL);
  if (!st)
    return FALSE;
  hub_db_bind_text(st, 1, person);
  gboolean found = sqlite3_step(st) == SQLITE_ROW;
  sqlite3_reset(st);
  return found;
}
