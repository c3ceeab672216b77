/* The hub client's life: made from the hub's URL (the outbox and the lws context with it),
 * freed, and what the rest of the kiosk may ask of it (kiosk/hub_client.h). */
#define G_LOG_DOMAIN "vindu-kiosk"
#include <string.h>

#include "kiosk/durable_file.h"
#include "kiosk/file_upload.h"
#include "kiosk/hub_client/internal.h"
#include "kiosk/plugin_reports.h"

/* The outbox's way to the hub: frames on the socket, files over HTTPS with the device secret. */
static void
outbox_post(gpointer data, VpMessage *m)
{
  vk_hub_send(data, m);
}

static gboolean
outbox_upload(gpointer data, const char *path, VkUploadDone done, gpointer done_data,
              GError **error)
{
  VkHubClient *c = data;
  g_autofree char *credential = vk_hub_device_credential(c);
  if (!c->ctx || !c->household || !credential) {
    g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED, "not paired");
    return FALSE;
  }
  VkHubAddress hub = vk_hub_address_of(c);
  return vk_file_upload_start(&hub, c->household, credential, path, done, done_data, error);
}

guint
vk_hub_client_outbox_waiting(VkHubClient *c)
{
  return vk_outbox_waiting(c->outbox);
}

VkHubClient *
vk_hub_client_new(VkApp *app, VkCache *cache, GMainLoop *loop, const char *url,
                  const char *pair_code, gboolean insecure, GError **error)
{
  g_autoptr(GUri) uri = g_uri_parse(url, G_URI_FLAGS_NONE, error);
  if (!uri)
    return NULL;
  const char *scheme = g_uri_get_scheme(uri);
  /* ws:// would send the device secret in clear: only for local tests, with --insecure */
  if (g_strcmp0(scheme, "wss") != 0 && !(insecure && g_strcmp0(scheme, "ws") == 0)) {
    g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "the hub URL must be wss://");
    return NULL;
  }
  VkHubClient *c = g_new0(VkHubClient, 1);
  c->app = app;
  c->cache = cache;
  vk_durable_sweep_cache(cache, app->model); /* files cut short by a power cut: fetch again */
  c->loop = loop;
  c->tls = g_str_equal(scheme, "wss");
  c->insecure = insecure;
  c->host = g_strdup(g_uri_get_host(uri));
  c->port = g_uri_get_port(uri) > 0 ? g_uri_get_port(uri) : (c->tls ? 443 : 80);
  c->path = g_strdup(*g_uri_get_path(uri) ? g_uri_get_path(uri) : "/ws");
  c->pair_code = g_strdup(pair_code);
  c->rx = g_string_new(NULL);
  g_queue_init(&c->out);
  c->household = vk_cache_get(cache, "household");
  VkOutboxTransport transport = {outbox_post, outbox_upload, c};
  c->outbox = vk_outbox_new(cache, &transport);

  c->ctx = vk_hub_context_new(c, loop);
  if (!c->ctx) {
    g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED,
                "cannot start the hub client (is libwebsockets-evlib-glib installed?)");
    vk_hub_client_free(c);
    return NULL;
  }
  vk_hub_call_hooks_install(&app->hooks);
  vk_hub_request_hooks_install(&app->hooks);
  app->hooks.data = c;
  c->reconnect_now = TRUE;
  vk_hub_schedule_reconnect(c);
  return c;
}

void
vk_hub_client_free(VkHubClient *c)
{
  if (!c)
    return;
  if (c->app && c->app->hooks.data == c)
    memset(&c->app->hooks, 0, sizeof c->app->hooks);
  g_clear_handle_id(&c->reconnect_id, g_source_remove);
  g_clear_handle_id(&c->refetch_id, g_source_remove);
  if (c->resolving)
    g_cancellable_cancel(c->resolving);
  g_clear_object(&c->resolving);
  vk_outbox_offline(c->outbox); /* nothing more is posted while the connections close */
  if (c->app)
    vk_plugin_reports_offline(c->app);
  if (c->ctx) {
    struct lws_context *ctx = c->ctx;
    c->ctx = NULL; /* no reconnects from close callbacks */
    lws_context_destroy(ctx);
  }
  g_clear_handle_id(&c->reconnect_id, g_source_remove);
  vk_hub_downloads_free(c);
  vk_outbox_free(c->outbox);
  g_queue_clear_full(&c->out, g_free);
  g_string_free(c->rx, TRUE);
  g_free(c->host);
  g_free(c->address);
  g_free(c->path);
  g_free(c->pair_code);
  g_free(c->household);
  g_free(c->call_id);
  g_free(c->call_peer);
  g_free(c->invite_req);
  g_free(c);
}

gboolean
vk_hub_client_is_connected(VkHubClient *c)
{
  return c->signed_in;
}

guint
vk_hub_client_connections(VkHubClient *c)
{
  return c->connections;
}

const char *
vk_hub_client_call_id(VkHubClient *c)
{
  return c->call_id;
}

char *
vk_hub_client_kiosk_id(VkHubClient *c)
{
  return vk_cache_get(c->cache, "kiosk");
}
