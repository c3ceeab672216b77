#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/file_upload.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "protocol/protocol.h"

#define CHUNK 16384
#define MAX_ANSWER 4096

typedef struct {
  GBytes *body;
  gsize sent;
  char *auth_header;
  int status;
  GString *answer;
  VkUploadDone done;
  gpointer data;
  gboolean reported;
} Upload;

/* Uploads under way (main thread only): lws may or may not have called back and freed one
 * when a connect fails at once, and this tells which. */
static GList *live;

static void
report(Upload *u, int status)
{
  if (u->reported)
    return;
  u->reported = TRUE;
  g_autofree char *hash = NULL, *code = NULL;
  g_autoptr(JsonParser) p = json_parser_new();
  if (u->answer->len &&
      json_parser_load_from_data(p, u->answer->str, (gssize)u->answer->len, NULL) &&
      JSON_NODE_HOLDS_OBJECT(json_parser_get_root(p))) {
    JsonObject *o = json_node_get_object(json_parser_get_root(p));
    const char *file = json_object_get_string_member_with_default(o, "file", NULL);
    if (status == 201 && vp_is_file_hash(file))
      hash = g_strdup(file);
    code = g_strdup(json_object_get_string_member_with_default(o, "code", NULL));
  }
  if (status == 201 && !hash)
    status = 502; /* an answer we cannot use is no upload */
  u->done(u->data, status, hash, code);
}

static void
upload_free(Upload *u)
{
  live = g_list_remove(live, u);
  g_bytes_unref(u->body);
  g_free(u->auth_header);
  g_string_free(u->answer, TRUE);
  g_free(u);
}

gboolean
vk_file_upload_start(const VkHubAddress *hub, const char *household, const char *bearer,
                     const char *path, VkUploadDone done, gpointer data, GError **error)
{
  char *contents = NULL;
  gsize len = 0;
  if (!g_file_get_contents(path, &contents, &len, error))
    return FALSE;
  if (len == 0 || len > VK_FILE_UPLOAD_MAX_BYTES) {
    g_free(contents);
    g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s is %" G_GSIZE_FORMAT " bytes", path,
                len);
    return FALSE;
  }
  Upload *u = g_new0(Upload, 1);
  u->body = g_bytes_new_take(contents, len);
  u->auth_header = g_strdup_printf("Bearer %s", bearer);
  u->answer = g_string_new(NULL);
  u->done = done;
  u->data = data;
  g_autofree char *url = g_strdup_printf("/api/files?household=%s", household);
  struct lws_client_connect_info ci;
  vk_hub_address_connect_info(hub, url, VK_FILE_UPLOAD_PROTOCOL, &ci);
  ci.method = "POST";
  ci.opaque_user_data = u;
  live = g_list_prepend(live, u);
  if (!lws_client_connect_via_info(&ci) && g_list_find(live, u)) {
    report(u, 0);
    upload_free(u);
  }
  return TRUE;
}

static int
append_headers(struct lws *wsi, Upload *u, unsigned char **p, unsigned char *end)
{
  g_autofree char *length = g_strdup_printf("%" G_GSIZE_FORMAT, g_bytes_get_size(u->body));
  if (lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_AUTHORIZATION,
                                   (unsigned char *)u->auth_header, (int)strlen(u->auth_header), p,
                                   end) ||
      lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_CONTENT_TYPE,
                                   (unsigned char *)"application/octet-stream", 24, p, end) ||
      lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_CONTENT_LENGTH, (unsigned char *)length,
                                   (int)strlen(length), p, end))
    return -1;
  /* the body follows in WRITEABLE callbacks */
  lws_client_http_body_pending(wsi, 1);
  lws_callback_on_writable(wsi);
  return 0;
}

static int
write_body(struct lws *wsi, Upload *u)
{
  gsize total = 0;
  const guint8 *all = g_bytes_get_data(u->body, &total);
  gsize n = MIN((gsize)CHUNK, total - u->sent);
  unsigned char buf[LWS_PRE + CHUNK];
  memcpy(buf + LWS_PRE, all + u->sent, n);
  gboolean last = u->sent + n == total;
  if (lws_write(wsi, buf + LWS_PRE, n, last ? LWS_WRITE_HTTP_FINAL : LWS_WRITE_HTTP) != (int)n)
    return -1;
  u->sent += n;
  if (last)
    lws_client_http_body_pending(wsi, 0);
  else
    lws_callback_on_writable(wsi);
  return 0;
}

int
vk_file_upload_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                        size_t len)
{
  Upload *u = lws_get_opaque_user_data(wsi);
  switch (reason) {
  case LWS_CALLBACK_CLIENT_APPEND_HANDSHAKE_HEADER:
    if (u)
      return append_headers(wsi, u, (unsigned char **)in, *(unsigned char **)in + len);
    break;
  case LWS_CALLBACK_CLIENT_HTTP_WRITEABLE:
    if (u && u->sent < g_bytes_get_size(u->body))
      return write_body(wsi, u);
    break;
  case LWS_CALLBACK_ESTABLISHED_CLIENT_HTTP:
    if (u)
      u->status = (int)lws_http_client_http_response(wsi);
    break;
  case LWS_CALLBACK_RECEIVE_CLIENT_HTTP_READ:
    if (u && u->answer->len + len <= MAX_ANSWER)
      g_string_append_len(u->answer, in, (gssize)len);
    return 0;
  case LWS_CALLBACK_RECEIVE_CLIENT_HTTP:
    return vk_hub_http_read_body(wsi);
  case LWS_CALLBACK_COMPLETED_CLIENT_HTTP:
    if (u)
      report(u, u->status);
    break;
  case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
  case LWS_CALLBACK_CLOSED_CLIENT_HTTP:
    if (u) {
      lws_set_opaque_user_data(wsi, NULL);
      report(u, u->status && u->answer->len ? u->status : 0);
      upload_free(u);
    }
    break;
  default:
    break;
  }
  return lws_callback_http_dummy(wsi, reason, user, in, len);
}
