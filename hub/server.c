/* The libwebsockets context on the hub's loop (libuv + GLib, loop.h): one vhost serving HTTPS (web
 * root, healthz, files API) and the WebSocket at /ws (subprotocol vindu.v1, also bound when none is
 * offered). Also polls the database for changes made by `vindu-hub admin` while running. */
#define G_LOG_DOMAIN "vindu-hub"
#include "hub.h"
#include "storage_full.h"
#include "push.h"

#include "gate.h"
#include "idle_policy.h"
#include "memory_return.h"
#include "quota.h"
#include "reminder_escalation.h"
#include "router.h"
#include "checkin_due.h"
#include "events.h"
#include "stats.h"
#include "tls.h"
#include "clock.h"

#include <glib-unix.h>
#include <stdio.h>
#include <string.h>

typedef struct {
  Conn *conn;
  HttpReq *http;
} Session;

static gboolean
uri_is_ws(struct lws *wsi)
{
  char uri[64];
  int n = lws_hdr_copy(wsi, uri, sizeof uri, WSI_TOKEN_GET_URI);
  return n > 0 && g_str_equal(uri, "/ws");
}

/* Browsers send Origin: it must be this hub's (cross-site WebSocket hijacking). Kiosks send
 * none. */
static gboolean
origin_allowed(struct lws *wsi)
{
  char origin[256], host[256];
  if (lws_hdr_copy(wsi, origin, sizeof origin, WSI_TOKEN_ORIGIN) <= 0)
    return TRUE;
  if (lws_hdr_copy(wsi, host, sizeof host, WSI_TOKEN_HOST) <= 0)
    return FALSE;
  const char *o = origin;
  if (g_str_has_prefix(o, "https://"))
    o += 8;
  else
    return FALSE;
  return g_ascii_strcasecmp(o, host) == 0;
}

static int
callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
  Session *s = user;
  struct lws_context *ctx = lws_get_context(wsi);
  Hub *hub = ctx ? lws_context_user(ctx) : NULL;

  switch (reason) {
  case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
    if (!uri_is_ws(wsi) || !origin_allowed(wsi))
      return 1;
    return 0;
  case LWS_CALLBACK_ESTABLISHED:
    s->conn = conn_new(hub, wsi);
    if (!gate_admit(s->conn))
      conn_close(s->conn, 1013, "too many connections not signed in; try again later");
    return 0;
  case LWS_CALLBACK_RECEIVE:
    if (!s->conn)
      return -1;
    return router_receive(s->conn, in, len, lws_is_first_fragment(wsi), lws_is_final_fragment(wsi),
                          lws_frame_is_binary(wsi));
  case LWS_CALLBACK_SERVER_WRITEABLE:
    return s->conn ? conn_writeable(s->conn) : 0;
  case LWS_CALLBACK_CLOSED:
    if (s->conn) {
      router_conn_gone(s->conn);
      s->conn = NULL;
    }
    return 0;
  case LWS_CALLBACK_HTTP:
    return http_request(hub, wsi, &s->http, in);
  case LWS_CALLBACK_HTTP_BODY:
    return s->http ? http_body(s->http, in, len) : -1;
  case LWS_CALLBACK_HTTP_BODY_COMPLETION:
    return s->http ? http_body_complete(s->http) : -1;
  case LWS_CALLBACK_HTTP_WRITEABLE:
    return s->http ? http_writeable(s->http) : 0;
  case LWS_CALLBACK_HTTP_FILE_COMPLETION:
    if (lws_http_transaction_completed(wsi))
      return -1;
    return 0;
  case LWS_CALLBACK_HTTP_DROP_PROTOCOL:
  case LWS_CALLBACK_CLOSED_HTTP:
    if (s && s->http) {
      http_req_free(s->http);
      s->http = NULL;
    }
    return 0;
  default:
    break;
  }
  return lws_callback_http_dummy(wsi, reason, user, in, len);
}

/* Receive buffer: every idle connection holds one, so it is small (128 bytes; 1 KB before, 4 KB
 * before that), but not below 125: lws reads a close or ping frame's payload whole from it. A
 * longer frame arrives in pieces that router_receive joins, as it does for fragments. Sends have
 * their own limit, which also bounds each write of an HTTP answer on this protocol: with none
 * set lws cuts every write to the receive buffer's size and queues the rest for the next
 * writeable turn. */
#define WS_RX_BUFFER_BYTES 128
#define WS_TX_PACKET_BYTES 16384
static const struct lws_protocols protocols[] = {
    {"vindu.v1", callback, sizeof(Session), WS_RX_BUFFER_BYTES, 0, NULL, WS_TX_PACKET_BYTES},
    {NULL, NULL, 0, 0, 0, NULL, 0},
};

const struct lws_protocols *
hub_server_protocols(void)
{
  return protocols;
}

static void
list_free(gpointer p)
{
  g_ptr_array_unref(p);
}

Hub *
hub_server_new(HubConfig *config, HubDb *db, GError **error)
{
  Hub *hub = g_new0(Hub, 1);
  hub->config = config;
  hub->db = db;
  hub->conns = g_hash_table_new(g_direct_hash, g_direct_equal);
  hub->signing_in = g_hash_table_new(g_direct_hash, g_direct_equal);
  hub->by_subject = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, list_free);
  hub->by_household = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, list_free);
  hub->unpaired = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  hub->unauth_by_address = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  hub->quota = hub_quota_new();
  hub->calls = g_hash_table_new(g_str_hash, g_str_equal);
  hub->subject_call = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  hub->signin_failures = hub_failures_new(HUB_SIGNIN_FAILURES, 60);
  hub->credential_failures =
      hub_failures_new(HUB_CREDENTIAL_FAILURES, HUB_CREDENTIAL_FAILURES_WINDOW_S);
  hub->pair_failures = hub_failures_new(HUB_PAIR_FAILURES, HUB_PAIR_FAILURES_WINDOW_S);
  hub->pair_household_failures =
      hub_failures_new(HUB_PAIR_HOUSEHOLD_FAILURES, HUB_PAIR_FAILURES_WINDOW_S);
  hub->pending_posts = g_ptr_array_new();
  hub->pending_acks = g_ptr_array_new();
  hub->pending_seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  hub->loop = hub_loop_new();
  g_autofree char *incoming = files_incoming_dir(hub); /* uploads cut short by a crash */
  hub_upload_clean_dir(incoming);
  sqlite3_stmt *st = hub_db_prepare(db, "SELECT COALESCE(MAX(id),0) FROM events", error);
  if (!st) {
    hub_server_free(hub);
    return NULL;
  }
  if (sqlite3_step(st) == SQLITE_ROW)
    hub->last_event_id = sqlite3_column_int64(st, 0);
  sqlite3_reset(st);
  hub->data_version = hub_db_data_version(db);
  g_autoptr(GError) forget_error = NULL;
  if (!hub_pairing_codes_forget_all(db, &forget_error)) {
    /* On a full disk the hub still starts (and answers storage_full): the codes expire on their
     * own, and claiming one is a write that fails as well until there is room. */
    if (!storage_full_error(forget_error)) {
      g_propagate_error(error, g_steal_pointer(&forget_error));
      hub_server_free(hub);
      return NULL;
    }
    g_warning("pairing codes of before the restart not forgotten: %s", forget_error->message);
  }
  return hub;
}

/* PRAGMA data_version changes only when another connection (the admin command) committed:
 * a cheap check every 100 ms. */
static gboolean
on_events_timer(gpointer data)
{
  Hub *hub = data;
  gint64 v = hub_db_data_version(hub->db);
  if (v != hub->data_version) {
    hub->data_version = v;
    hub_events_process(hub);
  }
  return G_SOURCE_CONTINUE;
}

/* The hello timeout looks only at connections that were not signed in at the last sweep: with
 * 10,000 connections a walk over all of them held the loop for 1-1.5 ms every second. */
static gboolean
on_second(gpointer data)
{
  Hub *hub = data;
  gint64 now = g_get_monotonic_time();
  GHashTableIter it;
  gpointer key;
  g_hash_table_iter_init(&it, hub->signing_in);
  while (g_hash_table_iter_next(&it, &key, NULL)) {
    Conn *c = key;
    if (c->role != CONN_NEW || c->closing)
      g_hash_table_iter_remove(&it); /* signed in, or on its way out */
    else if (now - c->connected_at_us > HUB_HELLO_TIMEOUT_S * G_USEC_PER_SEC)
      conn_close(c, LWS_CLOSE_STATUS_POLICY_VIOLATION, "no hello");
  }
  gate_sweep(hub, now);
  hub_memory_return_check(g_hash_table_size(hub->conns));
  hub_failures_prune(hub->signin_failures, hub_clock_now_s());
  hub_failures_prune(hub->credential_failures, hub_clock_now_s());
  hub_failures_prune(hub->pair_failures, hub_clock_now_s());
  hub_failures_prune(hub->pair_household_failures, hub_clock_now_s());
  return G_SOURCE_CONTINUE;
}

/* Check-ins come due are pushed to the staff they concern (checkin_due.h); the title only to a
 * person who allowed words in notifications (push.h). */
static gboolean
on_checkins_tick(gpointer data)
{
  Hub *hub = data;
  g_autoptr(GPtrArray) due = checkin_due_take(hub->db, hub_clock_now_s());
  for (guint i = 0; i < due->len; i++) {
    HubCheckinDue *d = due->pdata[i];
    g_message("check-in %s/%s due: %u staff told", d->household, d->doc, d->people->len);
    PushNotice notice = {.kind = "checkin_due",
                         .household = d->household,
                         .from = d->resident,
                         .text = d->title,
                         .at = d->at,
                         .ttl_s = HUB_CHECKIN_DUE_WINDOW_S};
    for (guint p = 0; p < d->people->len; p++)
      push_notify_person(hub, d->people->pdata[p], &notice);
  }
  return G_SOURCE_CONTINUE;
}

/* last_seen_at is written when a kiosk signs in and when it leaves; after kill -9 or a power
 * cut the leaving never happened, so a kiosk connected for days would show its sign-in time.
 * Every few minutes the connected kiosks are noted again, for the next group commit: at 10,000
 * kiosks one walk of the index and one transaction of primary-key updates, not a write each. */
static gboolean
on_seen_tick(gpointer data)
{
  Hub *hub = data;
  GHashTableIter it;
  gpointer key;
  g_hash_table_iter_init(&it, hub->by_subject);
  while (g_hash_table_iter_next(&it, &key, NULL))
    if (g_str_has_prefix(key, "k_"))
      hub_note_seen(hub, key);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_stats_signal(gpointer data)
{
  hub_stats_print();
  return G_SOURCE_CONTINUE;
}

static gboolean
on_signal(gpointer data)
{
  Hub *hub = data;
  g_message("shutting down");
  hub->stopping = TRUE;
  hub_loop_quit(hub->loop);
  return G_SOURCE_CONTINUE;
}

gboolean
hub_server_start(Hub *hub, GError **error)
{
  HubConfig *cfg = hub->config;
  gboolean made = FALSE;
  if (!hub_tls_ensure(cfg->tls_cert, cfg->tls_key, cfg->listen, &made, error))
    return FALSE;
  if (made)
    g_message("no TLS certificate was configured: made a self-signed one for local use at %s "
              "(browsers will warn; configure [tls] cert/key for a real deployment)",
              cfg->tls_cert);

  lws_set_log_level(LLL_ERR | LLL_WARN, gate_lws_log);
  struct lws_context_creation_info info;
  memset(&info, 0, sizeof info);
  void *foreign_loops[1] = {hub_loop_uv(hub->loop)};
  info.port = cfg->port;
  info.iface = cfg->listen;
  info.protocols = protocols;
  info.options = LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT | LWS_SERVER_OPTION_LIBUV |
                 LWS_SERVER_OPTION_DISABLE_IPV6 | LWS_SERVER_OPTION_VALIDATE_UTF8;
  info.foreign_loops = foreign_loops;
  info.ssl_cert_filepath = cfg->tls_cert;
  info.ssl_private_key_filepath = cfg->tls_key;
  info.alpn = "http/1.1";
  /* TLS 1.2 with AEAD suites only (no CBC); TLS 1.3's suites are all AEAD */
  info.ssl_cipher_list = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
                         "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
                         "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";
  info.ssl_options_set = SSL_OP_NO_SSLv3 | SSL_OP_NO_TLSv1 | SSL_OP_NO_TLSv1_1;
  info.user = hub;
  info.timeout_secs = 30;
  info.retry_and_idle_policy = hub_idle_policy(); /* no sorted timer per connection */
  /* every connection is TLS: at this many lws stops polling the listen socket until one closes,
   * well before accept() would fail with EMFILE */
  info.simultaneous_ssl_restriction = gate_max_connections(cfg);
  info.ka_time = 60;
  info.ka_probes = 3;
  info.ka_interval = 10;
  hub->ctx = lws_create_context(&info);
  if (!hub->ctx) {
    g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED,
                "cannot start the server on %s:%d (is the port in use, is "
                "libwebsockets-evlib-uv installed?)",
                cfg->listen, cfg->port);
    return FALSE;
  }
  hub->tls_pending = hub_tls_pending_start(hub_loop_uv(hub->loop), hub->ctx);
  struct lws_vhost *vh = lws_get_vhost_by_name(hub->ctx, "default");
  int port = vh ? lws_get_vhost_listen_port(vh) : cfg->port;
  g_autofree char *url = g_strdup_printf("https://%s:%d", cfg->listen, port);
  if (!cfg->public_url)
    cfg->public_url = g_strdup(url);
  g_autofree char *pu_path = g_build_filename(cfg->data_dir, "public_url", NULL);
  g_file_set_contents(pu_path, cfg->public_url, -1, NULL);
  hub->push = push_new(hub, error); /* Web Push: its VAPID subject is the public URL */
  if (!hub->push)
    return FALSE;

  hub->timer_id = g_timeout_add_seconds(1, on_second, hub);
  hub->events_id = g_timeout_add(100, on_events_timer, hub);
  hub->seen_id = g_timeout_add_seconds(cfg->seen_interval_s, on_seen_tick, hub);
  reminder_escalation_start(hub, 5);
  hub->checkins_id = g_timeout_add_seconds(5, on_checkins_tick, hub);
  g_unix_signal_add(SIGINT, on_signal, hub);
  g_unix_signal_add(SIGTERM, on_signal, hub);
  if (hub_stats_enabled)
    g_unix_signal_add(SIGUSR1, on_stats_signal, NULL);
  printf("vindu-hub: listening on %s\n", url);
  fflush(stdout);
  return TRUE;
}

void
hub_server_run(Hub *hub)
{
  hub_loop_run(hub->loop);
}

void
hub_server_free(Hub *hub)
{
  if (!hub)
    return;
  hub->stopping = TRUE;
  if (hub->timer_id)
    g_source_remove(hub->timer_id);
  if (hub->events_id)
    g_source_remove(hub->events_id);
  if (hub->seen_id)
    g_source_remove(hub->seen_id);
  reminder_escalation_stop(hub);
  if (hub->checkins_id)
    g_source_remove(hub->checkins_id);
  calls_free_all(hub);
  g_clear_pointer(&hub->push, push_free);
  if (hub->commit_source)
    g_source_remove(hub->commit_source);
  hub_tls_pending_stop(g_steal_pointer(&hub->tls_pending));
  if (hub->ctx) {
    /* with a foreign loop lws closes its handles, the loop must run them down, and a second
     * call finishes the destruction */
    lws_context_destroy(hub->ctx);
    hub_loop_drain(hub->loop);
    lws_context_destroy(hub->ctx);
  }
  /* posts not yet committed were never accepted: commit them anyway (a client retry with the
   * same client_msg_id then finds them), with the acks and last-seen times of the closing */
  if (hub->pending_posts && hub->pending_acks && hub->pending_seen)
    messages_commit_pending(hub);
  g_hash_table_destroy(hub->conns);
  g_hash_table_destroy(hub->signing_in);
  g_hash_table_destroy(hub->by_subject);
  g_hash_table_destroy(hub->by_household);
  g_hash_table_destroy(hub->unpaired);
  g_hash_table_destroy(hub->unauth_by_address);
  hub_quota_free(hub->quota);
  g_hash_table_destroy(hub->calls);
  g_hash_table_destroy(hub->subject_call);
  hub_failures_free(hub->signin_failures);
  hub_failures_free(hub->credential_failures);
  hub_failures_free(hub->pair_failures);
  hub_failures_free(hub->pair_household_failures);
  if (hub->pending_posts)
    g_ptr_array_unref(hub->pending_posts);
  if (hub->pending_acks)
    g_ptr_array_unref(hub->pending_acks);
  if (hub->pending_seen)
    g_hash_table_destroy(hub->pending_seen);
  hub_loop_free(hub->loop);
  g_free(hub);
}
