/* The hub client's WebSocket: sign-in (hello), frames out and in, and reconnecting by itself
 * with exponential backoff and jitter, the hub's name resolved off the main loop. */
#define G_LOG_DOMAIN "vindu-kiosk"
#include <string.h>

#include "kiosk/file_upload.h"
#include "kiosk/hub_client/internal.h"
#include "kiosk/plugin_reports.h"

VkHubAddress
vk_hub_address_of(VkHubClient *c)
{
  return (VkHubAddress){c->ctx, c->host, c->address, c->port, c->tls, c->insecure};
}

/* "KIOSK_ID:SECRET", how the kiosk signs its file requests (docs/protocol.md), or NULL before
 * pairing. transfer full */
char *
vk_hub_device_credential(VkHubClient *c)
{
  g_autofree char *kiosk = vk_cache_get(c->cache, "kiosk");
  g_autofree char *secret = vk_cache_get(c->cache, "secret");
  return kiosk && secret ? g_strconcat(kiosk, ":", secret, NULL) : NULL;
}

void
vk_hub_send(VkHubClient *c, VpMessage *msg /* transfer full */)
{
  g_autoptr(VpMessage) m = msg;
  g_autoptr(GError) err = NULL;
  gsize len = 0;
  char *json = vp_message_to_json(m, &len, &err);
  if (!json) {
    g_warning("not sending an invalid %s: %s", vp_type_name(vp_message_type(m)), err->message);
    return;
  }
  if (!c->connected || !c->wsi) {
    g_free(json);
    return; /* offline: calls cannot happen, messages are the hub's to redeliver */
  }
  g_queue_push_tail(&c->out, json);
  lws_callback_on_writable(c->wsi);
}

char *
vk_hub_new_id(VkHubClient *c)
{
  return g_strdup_printf("%u", ++c->next_id);
}

static void
send_hello(VkHubClient *c)
{
  VpMessage *m = vp_message_new(VP_HELLO);
  g_autofree char *id = vk_hub_new_id(c);
  vp_message_set_string(m, "id", id);
  vp_message_set_int(m, "version", VP_PROTOCOL_VERSION);
  vp_message_set_string(m, "client", "vindu-kiosk/" VINDU_VERSION);
  JsonObject *auth = json_object_new();
  g_autofree char *kiosk = vk_cache_get(c->cache, "kiosk");
  g_autofree char *secret = vk_cache_get(c->cache, "secret");
  if (kiosk && secret) {
    json_object_set_string_member(auth, "kind", "device");
    json_object_set_string_member(auth, "kiosk", kiosk);
    json_object_set_string_member(auth, "secret", secret);
  } else {
    json_object_set_string_member(auth, "kind", "pair");
    if (c->pair_code)
      json_object_set_string_member(auth, "code", c->pair_code);
  }
  vp_message_take_object(m, "auth", auth);
  vk_hub_send(c, m);
}

static void
drop_connection(VkHubClient *c)
{
  gboolean was = c->connected;
  c->wsi = NULL;
  c->connected = FALSE;
  c->signed_in = FALSE;
  c->closing = FALSE;
  g_queue_clear_full(&c->out, g_free);
  g_string_truncate(c->rx, 0);
  vk_outbox_offline(c->outbox);
  vk_plugin_reports_offline(c->app);
  /* nobody is available through a hub we cannot reach; the cache must not say otherwise */
  VkModel *model = c->app->model;
  for (guint i = 0; i < model->people->len; i++) {
    VkPerson *p = model->people->pdata[i];
    if (p->reachable)
      vk_cache_set_presence(c->cache, p->id, FALSE, NULL);
  }
  vk_model_set_connected(model, FALSE); /* the app listens: presence cleared, a call told */
  if (was) {
    g_message("the hub connection closed");
    /* a call cannot continue without signalling only if media also fails; leave it be */
  }
  vk_hub_schedule_reconnect(c);
}

static int
ws_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
  VkHubClient *c = lws_context_user(lws_get_context(wsi));
  switch (reason) {
  case LWS_CALLBACK_CLIENT_ESTABLISHED:
    c->wsi = wsi;
    c->connected = TRUE;
    c->connections++;
    g_message("connected to the hub");
    send_hello(c);
    break;
  case LWS_CALLBACK_CLIENT_RECEIVE:
    if (c->rx->len + len > VP_MAX_FRAME_BYTES * 2)
      return -1;
    g_string_append_len(c->rx, in, (gssize)len);
    if (lws_is_final_fragment(wsi)) {
      g_autofree char *frame = g_strndup(c->rx->str, c->rx->len);
      gsize flen = c->rx->len;
      g_string_truncate(c->rx, 0);
      vk_hub_dispatch(c, frame, flen);
    }
    break;
  case LWS_CALLBACK_CLIENT_WRITEABLE: {
    if (c->closing) {
      lws_close_reason(wsi, LWS_CLOSE_STATUS_NORMAL, NULL, 0);
      return -1;
    }
    char *json = g_queue_pop_head(&c->out);
    if (!json)
      break;
    size_t n = strlen(json);
    unsigned char *buf = g_malloc(LWS_PRE + n);
    memcpy(buf + LWS_PRE, json, n);
    int w = lws_write(wsi, buf + LWS_PRE, n, LWS_WRITE_TEXT);
    g_free(buf);
    g_free(json);
    if (w < (int)n)
      return -1;
    if (!g_queue_is_empty(&c->out))
      lws_callback_on_writable(wsi);
    break;
  }
  case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
    g_message("cannot reach the hub: %s", in ? (const char *)in : "?");
    drop_connection(c);
    break;
  case LWS_CALLBACK_CLIENT_CLOSED:
    drop_connection(c);
    break;
  default:
    break;
  }
  return 0;
}

static const struct lws_protocols protocols[] = {
    {"vindu.v1", ws_callback, 0, VP_MAX_FRAME_BYTES, 0, NULL, 0},
    {"vindu-files", vk_hub_files_callback, 0, 16384, 0, NULL, 0},
    {VK_FILE_UPLOAD_PROTOCOL, vk_file_upload_callback, 0, 4096, 0, NULL, 0},
    {NULL, NULL, 0, 0, 0, NULL, 0},
};

static void
connect_socket(VkHubClient *c)
{
  VkHubAddress hub = vk_hub_address_of(c);
  struct lws_client_connect_info ci;
  vk_hub_address_connect_info(&hub, c->path, "vindu.v1", &ci);
  struct lws *wsi = NULL;
  ci.pwsi = &wsi;
  if (!lws_client_connect_via_info(&ci) && !c->reconnect_id)
    vk_hub_schedule_reconnect(c);
}

static void
resolved(GObject *resolver, GAsyncResult *res, gpointer data)
{
  g_autoptr(GError) err = NULL;
  GList *addresses = g_resolver_lookup_by_name_finish(G_RESOLVER(resolver), res, &err);
  if (g_error_matches(err, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return; /* the client is gone */
  VkHubClient *c = data;
  g_clear_object(&c->resolving);
  if (!addresses) {
    g_message("cannot find the hub's address: %s", err->message);
    vk_hub_schedule_reconnect(c);
    return;
  }
  /* a name with several addresses (IPv6 and IPv4): the next one after each failed attempt */
  guint n = g_list_length(addresses);
  GInetAddress *a = g_list_nth_data(addresses, (guint)(c->attempt - 1) % n);
  g_free(c->address);
  c->address = g_inet_address_to_string(a);
  g_resolver_free_addresses(addresses);
  connect_socket(c);
}

/* lws 4.1 resolves names with a blocking getaddrinfo() on the calling thread, which is the one
 * drawing the screen: a DNS server that does not answer froze the kiosk for 10 s on every
 * attempt. The name is resolved asynchronously here, and lws is given the address. */
static gboolean
connect_now(gpointer data)
{
  VkHubClient *c = data;
  c->reconnect_id = 0;
  c->attempt++;
  if (g_hostname_is_ip_address(c->host)) {
    connect_socket(c);
    return G_SOURCE_REMOVE;
  }
  if (c->resolving)
    return G_SOURCE_REMOVE;
  c->resolving = g_cancellable_new();
  g_autoptr(GResolver) resolver = g_resolver_get_default();
  g_resolver_lookup_by_name_async(resolver, c->host, c->resolving, resolved, c);
  return G_SOURCE_REMOVE;
}

void
vk_hub_schedule_reconnect(VkHubClient *c)
{
  if (c->reconnect_id || !c->ctx)
    return;
  guint delay;
  if (c->reconnect_now) {
    c->reconnect_now = FALSE;
    delay = 50;
  } else {
    /* exponential backoff from 0.5 s to 30 s, with ±50 % jitter so kiosks do not all knock at
     * once after the hub restarts */
    double base = MIN(500.0 * (1u << MIN(c->attempt, 6)), 30000.0);
    delay = (guint)(base * g_random_double_range(0.5, 1.5));
  }
  c->reconnect_id = g_timeout_add(delay, connect_now, c);
}

struct lws_context *
vk_hub_context_new(VkHubClient *c, GMainLoop *loop)
{
  lws_set_log_level(g_getenv("VINDU_LWS_DEBUG")
                        ? (LLL_ERR | LLL_WARN | LLL_NOTICE | LLL_INFO | LLL_CLIENT)
                        : LLL_ERR,
                    NULL);
  struct lws_context_creation_info info;
  memset(&info, 0, sizeof info);
  void *foreign_loops[1] = {loop};
  info.port = CONTEXT_PORT_NO_LISTEN;
  info.protocols = protocols;
  info.options = LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT | LWS_SERVER_OPTION_GLIB;
  info.foreign_loops = foreign_loops;
  info.user = c;
  info.timeout_secs = 20;
  info.ka_time = 30;
  info.ka_probes = 3;
  info.ka_interval = 5;
  return lws_create_context(&info);
}
