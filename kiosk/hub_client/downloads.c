/* The hub client's downloads: photos and voice notes over HTTPS from the same hub, signed with
 * the device secret, kept only when they match their SHA-256 name, and fetched again on every
 * sign-in (and a while after a failure) until they have arrived. */
#define G_LOG_DOMAIN "vindu-kiosk"
#include <string.h>

#include "kiosk/durable_file.h"
#include "kiosk/hub_client/internal.h"

typedef struct {
  VkHubClient *client;
  char *hash;
  char *message_id; /* the message waiting for this file, or NULL */
  char *person_id;  /* the person whose photo this is, or NULL */
  GByteArray *body;
  int status;
  struct lws *wsi;
} Download;

/* After a failed download, try the missing files again this much later. */
#define REFETCH_S 30

static void schedule_refetch(VkHubClient *c);

static void
download_free(Download *d)
{
  g_free(d->hash);
  g_free(d->message_id);
  g_free(d->person_id);
  if (d->body)
    g_byte_array_unref(d->body);
  g_free(d);
}

void
vk_hub_fetch_file(VkHubClient *c, const char *hash, const char *message_id, const char *person_id)
{
  if (!hash || !vp_is_file_hash(hash) || !c->household)
    return;
  for (GList *l = c->downloads; l; l = l->next) {
    Download *o = l->data;
    if (g_strcmp0(o->hash, hash) == 0 && g_strcmp0(o->message_id, message_id) == 0 &&
        g_strcmp0(o->person_id, person_id) == 0)
      return;
  }
  Download *d = g_new0(Download, 1);
  d->client = c;
  d->hash = g_strdup(hash);
  d->message_id = g_strdup(message_id);
  d->person_id = g_strdup(person_id);
  d->body = g_byte_array_new();
  g_autofree char *path = g_strdup_printf("/api/files/%s?household=%s", hash, c->household);
  VkHubAddress hub = vk_hub_address_of(c);
  struct lws_client_connect_info ci;
  vk_hub_address_connect_info(&hub, path, "vindu-files", &ci);
  ci.method = "GET";
  ci.opaque_user_data = d;
  ci.pwsi = &d->wsi;
  c->downloads = g_list_prepend(c->downloads, d);
  if (!lws_client_connect_via_info(&ci)) {
    /* failed at once (e.g. the name did not resolve): lws 4.1 calls nothing back then, but a
     * later version may have freed it through the callback already */
    if (g_list_find(c->downloads, d)) {
      c->downloads = g_list_remove(c->downloads, d);
      download_free(d);
      schedule_refetch(c);
    }
  }
}

static void
file_arrived(VkHubClient *c, Download *d)
{
  /* files are named by their content: what does not match its name is not kept */
  g_autofree char *sum =
      g_compute_checksum_for_data(G_CHECKSUM_SHA256, d->body->data, d->body->len);
  if (g_strcmp0(sum, d->hash) != 0) {
    g_warning("a downloaded file does not match its hash; not kept");
    schedule_refetch(c);
    return;
  }
  g_autofree char *path = vk_cache_file_path(c->cache, d->hash);
  g_autoptr(GError) err = NULL;
  if (!vk_durable_write(path, d->body->data, d->body->len, &err) ||
      !vk_durable_file_matches(path, d->hash)) { /* durable_file.h: whole, or fetched again */
    g_warning("cannot store a file: %s", err ? err->message : "it does not read back whole");
    schedule_refetch(c);
    return;
  }
  VkModel *m = c->app->model;
  if (d->person_id) {
    VkPerson *p = vk_model_find_person(m, d->person_id);
    if (p) {
      g_free(p->photo_path);
      p->photo_path = g_strdup(path);
      vk_cache_set_people(c->cache, m->people, NULL);
    }
  }
  if (d->message_id) {
    vk_cache_set_message_media(c->cache, d->message_id, path, NULL);
    for (guint i = 0; i < m->messages->len; i++) {
      VkMessage *msg = m->messages->pdata[i];
      if (g_strcmp0(msg->id, d->message_id) == 0 && !msg->media_path) {
        msg->media_path = g_strdup(path);
        if (msg->kind == VK_MSG_PHOTO)
          g_ptr_array_insert(m->photos, 0, g_strdup(path));
      }
    }
  }
  vk_model_changed(m, VK_MODEL_FILE_ARRIVED); /* the app and the plugin glue listen */
}

int
vk_hub_files_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                      size_t len)
{
  Download *d = lws_get_opaque_user_data(wsi);
  switch (reason) {
  case LWS_CALLBACK_CLIENT_APPEND_HANDSHAKE_HEADER: {
    if (!d)
      break;
    unsigned char **p = (unsigned char **)in, *end = (*p) + len;
    g_autofree char *credential = vk_hub_device_credential(d->client);
    g_autofree char *auth = g_strconcat("Bearer ", credential ? credential : ":", NULL);
    if (lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_AUTHORIZATION, (unsigned char *)auth,
                                     (int)strlen(auth), p, end))
      return -1;
    break;
  }
  case LWS_CALLBACK_ESTABLISHED_CLIENT_HTTP:
    if (d)
      d->status = (int)lws_http_client_http_response(wsi);
    break;
  case LWS_CALLBACK_RECEIVE_CLIENT_HTTP_READ:
    if (d) {
      if (d->body->len + len > 25 * 1024 * 1024)
        return -1;
      g_byte_array_append(d->body, in, (guint)len);
    }
    return 0;
  case LWS_CALLBACK_RECEIVE_CLIENT_HTTP:
    return vk_hub_http_read_body(wsi);
  case LWS_CALLBACK_COMPLETED_CLIENT_HTTP:
    if (d && d->status == 200)
      file_arrived(d->client, d);
    else if (d) {
      g_message("file download answered %d", d->status);
      schedule_refetch(d->client);
    }
    break;
  case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
  case LWS_CALLBACK_CLOSED_CLIENT_HTTP:
    if (d) {
      VkHubClient *c = d->client;
      lws_set_opaque_user_data(wsi, NULL);
      c->downloads = g_list_remove(c->downloads, d);
      download_free(d);
      if (reason == LWS_CALLBACK_CLIENT_CONNECTION_ERROR)
        schedule_refetch(c);
    }
    break;
  default:
    break;
  }
  return lws_callback_http_dummy(wsi, reason, user, in, len);
}

/* A message is acknowledged once stored, before its file arrives: a download that failed (no
 * connection, an answer that did not match its hash) is tried again on every sign-in and a while
 * after the failure, so no photo or voice note stays missing. */
void
vk_hub_fetch_missing_files(VkHubClient *c)
{
  g_autoptr(GPtrArray) missing = vk_cache_messages_missing_files(c->cache);
  for (guint i = 0; i + 1 < missing->len; i += 2)
    vk_hub_fetch_file(c, missing->pdata[i + 1], missing->pdata[i], NULL);
}

static gboolean
refetch_cb(gpointer data)
{
  VkHubClient *c = data;
  c->refetch_id = 0;
  if (c->signed_in)
    vk_hub_fetch_missing_files(c);
  return G_SOURCE_REMOVE;
}

static void
schedule_refetch(VkHubClient *c)
{
  if (!c->refetch_id && c->ctx)
    c->refetch_id = g_timeout_add_seconds(REFETCH_S, refetch_cb, c);
}

void
vk_hub_downloads_free(VkHubClient *c)
{
  g_list_free_full(c->downloads, (GDestroyNotify)download_free);
  c->downloads = NULL;
}
