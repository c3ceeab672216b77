/* One WebSocket: the outgoing queue (LWS_PRE headroom; a frame goes out at once when nothing is
 * queued and the socket can take it, otherwise one lws_write per WRITEABLE callback) and the
 * hub's indexes of connections. Incoming frames are joined, limited, parsed and handed to the
 * handlers by router.c, which the handlers never include: they include only this. */
#define G_LOG_DOMAIN "vindu-hub"
#include "hub.h"
#include "stats.h"

#include <string.h>

#define HUB_LWS_WRITE_CLOSE ((enum lws_write_protocol)4)

static void
index_add(GHashTable *table, const char *key, Conn *c)
{
  GPtrArray *list = g_hash_table_lookup(table, key);
  if (!list) {
    list = g_ptr_array_new();
    g_hash_table_insert(table, g_strdup(key), list);
  }
  g_ptr_array_add(list, c);
}

static void
index_remove(GHashTable *table, const char *key, Conn *c)
{
  GPtrArray *list = g_hash_table_lookup(table, key);
  if (!list)
    return;
  g_ptr_array_remove_fast(list, c);
  if (list->len == 0)
    g_hash_table_remove(table, key);
}

Conn *
conn_new(Hub *hub, struct lws *wsi)
{
  Conn *c = g_new0(Conn, 1);
  c->hub = hub;
  c->serial = ++hub->next_serial;
  c->wsi = wsi;
  c->connected_at_us = g_get_monotonic_time();
  if (wsi)
    lws_get_peer_simple(wsi, c->address, sizeof c->address);
  else
    g_strlcpy(c->address, "test", sizeof c->address);
  g_queue_init(&c->out);
  g_hash_table_add(hub->conns, c);
  g_hash_table_add(hub->signing_in, c);
  return c;
}

void
conn_register(Conn *c)
{
  Hub *hub = c->hub;
  index_add(hub->by_subject, c->self_id, c);
  if (c->role == CONN_KIOSK) {
    index_add(hub->by_household, c->household, c);
  } else if (c->role == CONN_PERSON) {
    for (guint i = 0; i < c->memberships->len; i++)
      index_add(hub->by_household, ((HubMembership *)c->memberships->pdata[i])->household, c);
  }
}

void
conn_set_memberships(Conn *c, GPtrArray *memberships)
{
  for (guint i = 0; c->memberships && i < c->memberships->len; i++)
    index_remove(c->hub->by_household, ((HubMembership *)c->memberships->pdata[i])->household, c);
  if (c->memberships)
    g_ptr_array_unref(c->memberships);
  c->memberships = memberships;
  for (guint i = 0; i < memberships->len; i++)
    index_add(c->hub->by_household, ((HubMembership *)memberships->pdata[i])->household, c);
}

static void
conn_unregister(Conn *c)
{
  Hub *hub = c->hub;
  if (c->self_id)
    index_remove(hub->by_subject, c->self_id, c);
  if (c->role == CONN_KIOSK && c->household)
    index_remove(hub->by_household, c->household, c);
  if (c->role == CONN_PERSON && c->memberships)
    for (guint i = 0; i < c->memberships->len; i++)
      index_remove(hub->by_household, ((HubMembership *)c->memberships->pdata[i])->household, c);
  if (c->pairing_hash && g_hash_table_lookup(hub->unpaired, c->pairing_hash) == c) {
    /* Nobody shows this code any more: binding it later says "wrong code" (it lived only here). */
    g_hash_table_remove(hub->unpaired, c->pairing_hash);
  }
}

void
conn_forget(Conn *c)
{
  Hub *hub = c->hub;
  conn_unregister(c);
  g_hash_table_remove(hub->conns, c);
  g_hash_table_remove(hub->signing_in, c);
}

void
conn_free(Conn *c)
{
  if (!c)
    return;
  g_queue_clear_full(&c->out, (GDestroyNotify)g_bytes_unref);
  if (c->rx)
    g_byte_array_unref(c->rx);
  if (c->memberships)
    g_ptr_array_unref(c->memberships);
  g_free(c->self_id);
  g_free(c->session_id);
  g_free(c->name);
  g_free(c->household);
  g_free(c->pairing_hash);
  g_free(c);
}

/* Send a frame now instead of queueing it: only when nothing is queued before it (order) and the
 * kernel can take it (lws_send_pipe_choked() polls the socket and counts lws's own buffered
 * partial write). Waiting for a WRITEABLE callback costs a loop iteration and two changes of
 * the epoll set per frame; under load the frame also waits behind everything else read in the
 * same iteration (docs/hub.md, relay tail latency). HTTP/1.1 only (no h2 on this vhost), where
 * lws buffers whatever the kernel does not take and flushes it before the next WRITEABLE. */
static gboolean
write_now(Conn *c, const char *text, gsize len)
{
  if (!c->wsi || c->closing || !g_queue_is_empty(&c->out) || lws_send_pipe_choked(c->wsi))
    return FALSE;
  guint8 *buf = g_malloc(LWS_PRE + len);
  memcpy(buf + LWS_PRE, text, len);
  int n = lws_write(c->wsi, buf + LWS_PRE, len, LWS_WRITE_TEXT);
  g_free(buf);
  if (hub_stats_enabled)
    hub_stats_add(HUB_STAT_QUEUE_WAIT, 0);
  if (n < (int)len) { /* the socket failed: close it from its own callback */
    c->write_failed = TRUE;
    lws_callback_on_writable(c->wsi);
  }
  return TRUE;
}

static void
queue_text(Conn *c, const char *text, gsize len)
{
  if (c->closing && c->close_code)
    return;
  if (write_now(c, text, len))
    return;
  if (c->out_bytes + len > HUB_OUT_QUEUE_MAX) {
    g_warning("connection %s: outgoing queue over %d bytes, closing", c->address,
              HUB_OUT_QUEUE_MAX);
    conn_close(c, LWS_CLOSE_STATUS_POLICY_VIOLATION, "too slow");
    return;
  }
  guint8 *buf = g_malloc(LWS_PRE + len);
  memcpy(buf + LWS_PRE, text, len);
  /* the headroom is free until lws_write puts the frame header at its end: keep the queueing
   * time there for the stats */
  G_STATIC_ASSERT(LWS_PRE >= 2 * sizeof(gint64));
  if (hub_stats_enabled) {
    gint64 now = g_get_monotonic_time();
    memcpy(buf, &now, sizeof now);
  }
  g_queue_push_tail(&c->out, g_bytes_new_take(buf, LWS_PRE + len));
  c->out_bytes += len;
  if (c->wsi)
    lws_callback_on_writable(c->wsi);
}

void
conn_send(Conn *c, VpMessage *msg)
{
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  g_autofree char *json = vp_message_to_json(msg, &len, &error);
  if (!json) {
    /* A message the hub built does not fit the schema: a hub bug, never the peer's fault. */
    g_critical("not sending an invalid %s: %s", vp_type_name(vp_message_type(msg)), error->message);
    return;
  }
  queue_text(c, json, len);
}

void
conn_send_error(Conn *c, const char *re, VpErrorCode code, const char *sentence)
{
  g_autoptr(VpMessage) m = vp_message_new_error(re, code, sentence);
  conn_send(c, m);
}

void
conn_send_field_error(Conn *c, const char *re, VpErrorCode code, const char *field,
                      const char *sentence)
{
  g_autoptr(VpMessage) m = vp_message_new_error(re, code, sentence);
  if (field && *field && g_utf8_strlen(field, -1) <= 200)
    vp_message_set_string(m, "field", field);
  conn_send(c, m);
}

void
conn_send_ok(Conn *c, const char *re)
{
  g_autoptr(VpMessage) m = vp_message_new_ok(re);
  conn_send(c, m);
}

void
conn_close(Conn *c, int code, const char *reason)
{
  if (c->closing)
    return;
  c->closing = TRUE;
  c->close_code = code;
  g_strlcpy(c->close_reason, reason ? reason : "", sizeof c->close_reason);
  if (c->wsi)
    lws_callback_on_writable(c->wsi);
}

int
conn_writeable(Conn *c)
{
  if (c->write_failed)
    return -1;
  GBytes *b = g_queue_pop_head(&c->out);
  if (b) {
    gsize size = 0;
    guint8 *data = (guint8 *)g_bytes_get_data(b, &size);
    gsize len = size - LWS_PRE;
    if (hub_stats_enabled) {
      gint64 queued;
      memcpy(&queued, data, sizeof queued);
      hub_stats_add(HUB_STAT_QUEUE_WAIT, g_get_monotonic_time() - queued);
    }
    int n = lws_write(c->wsi, data + LWS_PRE, len, LWS_WRITE_TEXT);
    c->out_bytes -= len;
    g_bytes_unref(b);
    if (n < (int)len)
      return -1;
    if (!g_queue_is_empty(&c->out) || c->closing)
      lws_callback_on_writable(c->wsi);
    return 0;
  }
  if (c->closing) {
    if (lws_partial_buffered(c->wsi)) { /* let lws flush what it holds first */
      lws_callback_on_writable(c->wsi);
      return 0;
    }
    if (c->close_sent)
      return -1;
    /* Send the close frame ourselves, then wait (at most 3 s) for the peer's close. With the
     * libuv event lib, lws_close_reason() + returning -1 closes the socket without sending the
     * frame (seen with strace on 4.1.6). 4 is the close opcode value lws_write() takes
     * internally (LWS_WRITE_CLOSE is not exported). */
    guint8 buf[LWS_PRE + 2 + sizeof c->close_reason];
    gsize rl = strlen(c->close_reason);
    buf[LWS_PRE] = (guint8)(c->close_code >> 8);
    buf[LWS_PRE + 1] = (guint8)(c->close_code & 0xff);
    memcpy(buf + LWS_PRE + 2, c->close_reason, rl);
    c->close_sent = TRUE;
    if (lws_write(c->wsi, buf + LWS_PRE, 2 + rl, HUB_LWS_WRITE_CLOSE) < 0)
      return -1;
    lws_set_timeout(c->wsi, PENDING_TIMEOUT_CLOSE_ACK, 3);
    return 0;
  }
  return 0;
}

HubMembership *
conn_membership(Conn *c, const char *household)
{
  if (c->role != CONN_PERSON || !household)
    return NULL;
  for (guint i = 0; i < c->memberships->len; i++) {
    HubMembership *m = c->memberships->pdata[i];
    if (g_str_equal(m->household, household))
      return m;
  }
  return NULL;
}

gboolean
conn_member(Conn *c, const char *household, guint *rights)
{
  if (rights)
    *rights = 0;
  if (!household)
    return FALSE;
  if (c->role == CONN_KIOSK)
    return g_strcmp0(c->household, household) == 0;
  HubMembership *m = conn_membership(c, household);
  if (!m)
    return FALSE;
  if (rights)
    *rights = m->rights;
  return TRUE;
}

GPtrArray *
hub_subject_conns(Hub *hub, const char *subject)
{
  return subject ? g_hash_table_lookup(hub->by_subject, subject) : NULL;
}

void
hub_send_to_subject(Hub *hub, const char *subject, VpMessage *msg)
{
  GPtrArray *list = hub_subject_conns(hub, subject);
  for (guint i = 0; list && i < list->len; i++)
    conn_send(list->pdata[i], msg);
}

void
hub_send_to_household(Hub *hub, const char *household, VpMessage *msg, ConnFilter want,
                      gpointer data)
{
  GPtrArray *list = g_hash_table_lookup(hub->by_household, household);
  for (guint i = 0; list && i < list->len; i++)
    if (!want || want(list->pdata[i], data))
      conn_send(list->pdata[i], msg);
}

guint
hub_connection_count(Hub *hub)
{
  return g_hash_table_size(hub->conns);
}
