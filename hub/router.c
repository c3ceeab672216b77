/* The router: whole frames from a connection's fragments, the rate limit, parsing, who may send
 * what, and the hand-over of each message to its handler; and, when a WebSocket is gone, the
 * handlers' part of closing it. The handlers include connection.h, never this file, so none of
 * them depends on the others through it. */
#define G_LOG_DOMAIN "vindu-hub"
#include "router.h"

#include "gate.h"
#include "push.h"
#include "quota.h"

#include <string.h>

static VpSender
conn_sender(Conn *c)
{
  switch (c->role) {
  case CONN_KIOSK:
    return VP_SENDER_KIOSK;
  case CONN_UNPAIRED:
    return VP_SENDER_UNPAIRED;
  case CONN_PERSON:
    return VP_SENDER_PERSON;
  case CONN_NEW:
  default:
    return VP_SENDER_UNAUTHENTICATED;
  }
}

/* The `id` of a frame that failed to parse, when it has a usable one. (transfer full) */
static char *
salvage_id(const char *data, gsize len)
{
  g_autoptr(JsonParser) parser = json_parser_new();
  if (!json_parser_load_from_data(parser, data, (gssize)len, NULL))
    return NULL;
  JsonNode *root = json_parser_get_root(parser);
  if (!root || !JSON_NODE_HOLDS_OBJECT(root))
    return NULL;
  JsonNode *id = json_object_get_member(json_node_get_object(root), "id");
  if (!id || !JSON_NODE_HOLDS_VALUE(id) || json_node_get_value_type(id) != G_TYPE_STRING)
    return NULL;
  const char *s = json_node_get_string(id);
  gsize n = strlen(s);
  if (n < 1 || n > 64 || !g_utf8_validate(s, (gssize)n, NULL))
    return NULL;
  return g_strdup(s);
}

static void
dispatch(Conn *c, VpMessage *m)
{
  VpType type = vp_message_type(m);
  if (!quota_admit(c, m))
    return;
  switch (type) {
  case VP_HELLO:
    auth_hello(c, m);
    break;
  case VP_HOUSEHOLD_GET:
  case VP_HOUSEHOLD_INVITE:
  case VP_HOUSEHOLD_SET_RIGHTS:
  case VP_HOUSEHOLD_SET_SHORT_NAME:
  case VP_HOUSEHOLD_SET_PHOTO:
  case VP_HOUSEHOLD_REVOKE:
  case VP_HOUSEHOLD_SET_QUIET_HOURS:
  case VP_HOUSEHOLD_SET_SHARE_LOOKS:
  case VP_HOUSEHOLD_CONSENT:
  case VP_HOUSEHOLD_PAIR:
    household_handle(c, m);
    break;
  case VP_STAFF_OVERVIEW:
    staff_overview(c, m);
    break;
  case VP_CALL_INVITE:
  case VP_CALL_RINGING:
  case VP_CALL_ACCEPT:
  case VP_CALL_DECLINE:
  case VP_CALL_CANCEL:
  case VP_CALL_HANGUP:
  case VP_CALL_SDP:
  case VP_CALL_ICE:
  case VP_CALL_RESUME:
    calls_handle(c, m);
    break;
  case VP_MSG_POST:
  case VP_MSG_ACK:
  case VP_MSG_SEEN:
    messages_handle(c, m);
    break;
  case VP_DOC_PUT:
  case VP_DOC_LIST:
  case VP_DOC_ACK:
  case VP_DOC_PUT_MANY:
    documents_handle(c, m);
    break;
  case VP_KIOSK_PLUGINS:
  case VP_PLUGIN_ANSWER:
  case VP_MEMORY_LOOK:
    plugin_reports_handle(c, m);
    break;
  case VP_PUSH_GET_KEY: /* Web Push (push.c) */
  case VP_PUSH_SUBSCRIBE:
  case VP_PUSH_UNSUBSCRIBE:
    push_handle(c, m);
    break;
  case VP_DEVICE_LINK: /* a person's devices (auth.c) */
  case VP_DEVICE_LIST:
  case VP_DEVICE_REVOKE:
    auth_devices_handle(c, m);
    break;
  default:
    conn_send_error(c, vp_message_id(m), VP_ERROR_FORBIDDEN, "Clients may not send this message.");
    break;
  }
}

static void
handle_frame(Conn *c, const char *data, gsize len)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VpMessage) m = vp_message_parse(data, len, &error);
  if (!m) {
    g_autofree char *re = salvage_id(data, len);
    g_autoptr(VpMessage) e = vp_message_new_error_from_gerror(re, error);
    conn_send(c, e);
    if (c->role == CONN_NEW)
      conn_close(c, LWS_CLOSE_STATUS_POLICY_VIOLATION, "hello first");
    return;
  }
  VpType type = vp_message_type(m);
  if (c->role == CONN_NEW && type != VP_HELLO) {
    conn_send_error(c, vp_message_id(m), VP_ERROR_NOT_AUTHENTICATED, "Sign in with hello first.");
    conn_close(c, LWS_CLOSE_STATUS_POLICY_VIOLATION, "hello first");
    return;
  }
  if (c->role != CONN_NEW && type == VP_HELLO) {
    conn_send_error(c, vp_message_id(m), VP_ERROR_FORBIDDEN, "You are already signed in.");
    return;
  }
  if (!vp_sender_may_send(conn_sender(c), type)) {
    conn_send_error(c, vp_message_id(m), VP_ERROR_FORBIDDEN,
                    "This connection may not send that message.");
    return;
  }
  dispatch(c, m);
}

/* Handle one complete frame, after the rate limit. */
static void
frame_complete(Conn *c, const char *data, gsize len)
{
  if (!hub_bucket_take(&c->bucket, HUB_MSG_RATE, HUB_MSG_BURST, g_get_monotonic_time())) {
    if (++c->violations > HUB_ABUSE_LIMIT) {
      conn_close(c, LWS_CLOSE_STATUS_POLICY_VIOLATION, "rate limit");
      return;
    }
    g_autofree char *re = salvage_id(data, len);
    conn_send_error(c, re, VP_ERROR_RATE_LIMITED, "Too many messages; slow down and try again.");
    return;
  }
  if (c->violations > 0)
    c->violations--;
  handle_frame(c, data, len);
}

int
router_receive(Conn *c, const void *in, size_t len, gboolean first, gboolean final, gboolean binary)
{
  if (c->closing)
    return 0;
  if (binary) {
    conn_send_error(c, NULL, VP_ERROR_BAD_JSON, "Binary frames are not accepted.");
    conn_close(c, LWS_CLOSE_STATUS_UNACCEPTABLE_OPCODE, "text frames only");
    return 0;
  }
  if (first && final && !c->rx) {
    if (len > VP_MAX_FRAME_BYTES)
      conn_send_error(c, NULL, VP_ERROR_TOO_LARGE, "The message is larger than 65,536 bytes.");
    else
      frame_complete(c, in, len);
    return 0;
  }
  if (first) {
    if (c->rx)
      g_byte_array_set_size(c->rx, 0);
    c->rx_too_large = FALSE;
  }
  if (!c->rx)
    c->rx = g_byte_array_new();
  if (!c->rx_too_large) {
    if (c->rx->len + len > VP_MAX_FRAME_BYTES) {
      c->rx_too_large = TRUE;
      g_byte_array_set_size(c->rx, 0);
    } else {
      g_byte_array_append(c->rx, in, (guint)len);
    }
  }
  if (final) {
    if (c->rx_too_large)
      conn_send_error(c, NULL, VP_ERROR_TOO_LARGE, "The message is larger than 65,536 bytes.");
    else
      frame_complete(c, (const char *)c->rx->data, c->rx->len);
    g_byte_array_unref(c->rx);
    c->rx = NULL;
    c->rx_too_large = FALSE;
  }
  return 0;
}

void
router_conn_gone(Conn *c)
{
  if (!c)
    return;
  Hub *hub = c->hub;
  gboolean was_subject = c->self_id && (c->role == CONN_KIOSK || c->role == CONN_PERSON);
  if (!hub->stopping)
    calls_conn_closed(c);
  conn_forget(c);
  gate_leave(c);
  /* Noted before the offline presence, which carries this time (kiosk_last_seen). */
  if (c->role == CONN_KIOSK && c->self_id)
    hub_note_seen(hub, c->self_id);
  if (was_subject && !hub->stopping)
    presence_changed(hub, c);
  conn_free(c);
}
