/* HTTPS outside the WebSocket: the web root, GET /healthz and the files API. Every response
 * carries the strict security headers; the web app runs no inline script. */
#define G_LOG_DOMAIN "vindu-hub"
#include "hub.h"
#include "storage_full.h"

#include "quota.h"
#include "clock.h"
#include "web_root.h"

#include <stdlib.h>
#include <string.h>

#define UPLOAD_MAX (20u * 1024 * 1024)

/* Each request is answered exactly once: pipelined requests wait in lws's buffer while this one
 * is open, and lws may call body completion again for the same request when they are there. */
typedef enum {
  REQ_ROUTING,   /* headers in, no answer yet */
  REQ_RECEIVING, /* an accepted upload's body is arriving (on disk, upload.h) */
  REQ_ANSWERED,  /* the one answer is written, or a file is being served */
} ReqState;

struct _HttpReq {
  Hub *hub;
  struct lws *wsi;
  ReqState state;
  char *household;
  char *uploader; /* k_… or p_… */
  HubUpload *upload;
  gboolean close_after; /* close once the answer is out, instead of keeping the connection */
};

#define CSP                                                                                        \
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; "          \
  "media-src 'self' blob: mediastream:; connect-src 'self'; font-src 'self'; "                     \
  "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

static const struct {
  const char *name;
  const char *value;
} security_headers[] = {
    {"content-security-policy:", CSP},
    {"x-content-type-options:", "nosniff"},
    {"referrer-policy:", "no-referrer"},
    {"x-frame-options:", "DENY"},
    {"strict-transport-security:", "max-age=31536000"},
    {"permissions-policy:", "camera=(self), microphone=(self), geolocation=()"},
    {"cross-origin-opener-policy:", "same-origin"},
};

const char *
http_security_headers(void)
{
  static char *raw;
  if (!raw) {
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < G_N_ELEMENTS(security_headers); i++) {
      /* raw header lines for lws_serve_http_file(): "Name: value\r\n" */
      g_string_append_len(s, security_headers[i].name, strlen(security_headers[i].name) - 1);
      g_string_append_printf(s, ": %s\r\n", security_headers[i].value);
    }
    raw = g_string_free(s, FALSE);
  }
  return raw;
}

void
http_req_free(HttpReq *req)
{
  if (!req)
    return;
  g_free(req->household);
  g_free(req->uploader);
  hub_upload_free(req->upload);
  g_free(req);
}

static gboolean
add_headers(HttpReq *req, unsigned int status, const char *type, gsize len, guint8 **p, guint8 *end)
{
  struct lws *wsi = req->wsi;
  if (lws_add_http_common_headers(wsi, status, type, len, p, end))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS(security_headers); i++)
    if (lws_add_http_header_by_name(wsi, (const unsigned char *)security_headers[i].name,
                                    (const unsigned char *)security_headers[i].value,
                                    (int)strlen(security_headers[i].value), p, end))
      return FALSE;
  if (lws_add_http_header_by_name(wsi, (const unsigned char *)"cache-control:",
                                  (const unsigned char *)"no-store", 8, p, end))
    return FALSE;
  if (req->close_after && lws_add_http_header_by_token(wsi, WSI_TOKEN_CONNECTION,
                                                       (const unsigned char *)"close", 5, p, end))
    return FALSE;
  return TRUE;
}

/* The one answer to this request, headers and body written now (lws keeps what the socket does
 * not take yet). Then the transaction is over: lws moves on to a pipelined request, or the
 * connection closes once the answer is out. `req` may be freed when this returns. */
static int
respond(HttpReq *req, unsigned int status, const char *type, const char *body)
{
  if (req->state == REQ_ANSWERED) {
    g_warning("a second answer to one HTTP request was dropped");
    return 0;
  }
  req->state = REQ_ANSWERED;
  struct lws *wsi = req->wsi;
  guint8 head[LWS_PRE + 4096];
  guint8 *start = head + LWS_PRE, *p = start, *end = head + sizeof head - 1;
  gsize len = strlen(body);
  if (!add_headers(req, status, type, len, &p, end) ||
      lws_finalize_write_http_header(wsi, start, &p, end))
    return -1;
  g_autofree guint8 *out = g_malloc(LWS_PRE + len + 1);
  memcpy(out + LWS_PRE, body, len);
  if (lws_write(wsi, out + LWS_PRE, len, LWS_WRITE_HTTP_FINAL) < 0)
    return -1;
  /* closing lets lws flush what it holds of the answer first (LRS_FLUSHING_BEFORE_CLOSE); a
   * request left open would have lws call body completion again for buffered bytes, forever */
  if (req->close_after)
    return -1;
  return lws_http_transaction_completed(wsi) ? -1 : 0;
}

static int
respond_error(HttpReq *req, unsigned int status, const char *code, const char *message)
{
  g_autoptr(JsonObject) o = json_object_new();
  json_object_set_string_member(o, "code", code);
  json_object_set_string_member(o, "message", message);
  g_autoptr(JsonNode) n = json_node_init_object(json_node_alloc(), o);
  g_autofree char *s = vp_json_text(n, FALSE, NULL);
  return respond(req, status, "application/json", s);
}

int
http_writeable(HttpReq *req)
{
  (void)req; /* every answer is written whole by respond(); lws flushes what is left */
  return 0;
}

static int
serve_file_with(HttpReq *req, const char *path, const char *mime, const char *headers)
{
  req->state = REQ_ANSWERED;
  int n = lws_serve_http_file(req->wsi, path, mime, headers, (int)strlen(headers));
  if (n < 0)
    return -1;
  if (n > 0 && lws_http_transaction_completed(req->wsi))
    return -1;
  return 0;
}

/* A content-hashed module or style sheet is only ever a subresource: the page's policy (CSP,
 * framing, permissions) comes with the document, so these answers carry only what applies to
 * them, some 500 bytes less on each of the page's twenty-odd requests. */
static const char lean_security_headers[] = "x-content-type-options: nosniff\r\n"
                                            "referrer-policy: no-referrer\r\n";

static char *
static_headers(const WebRootAnswer *a, gboolean lean)
{
  GString *s = g_string_new(lean ? lean_security_headers : http_security_headers());
  g_string_append_printf(s, "etag: %s\r\ncache-control: %s\r\n", a->etag, a->cache_control);
  if (a->varies)
    g_string_append(s, "vary: Accept-Encoding\r\n");
  if (a->encoding)
    g_string_append_printf(s, "content-encoding: %s\r\n", a->encoding);
  return g_string_free(s, FALSE);
}

static char *
header_copy(struct lws *wsi, enum lws_token_indexes token)
{
  int len = lws_hdr_total_length(wsi, token);
  if (len <= 0 || len > 4096)
    return NULL;
  char *value = g_malloc(len + 1);
  if (lws_hdr_copy(wsi, value, len + 1, token) != len) {
    g_free(value);
    return NULL;
  }
  return value;
}

/* 304: the browser's copy is current; the validators again and no body. */
static int
respond_not_modified(HttpReq *req, const WebRootAnswer *a)
{
  req->state = REQ_ANSWERED;
  struct lws *wsi = req->wsi;
  guint8 head[LWS_PRE + 1024];
  guint8 *start = head + LWS_PRE, *p = start, *end = head + sizeof head - 1;
  const char *const pairs[][2] = {
      {"etag:", a->etag},
      {"cache-control:", a->cache_control},
      {"vary:", a->varies ? "Accept-Encoding" : NULL},
  };
  if (lws_add_http_header_status(wsi, HTTP_STATUS_NOT_MODIFIED, &p, end))
    return -1;
  for (guint i = 0; i < G_N_ELEMENTS(pairs); i++)
    if (pairs[i][1] && lws_add_http_header_by_name(wsi, (const unsigned char *)pairs[i][0],
                                                   (const unsigned char *)pairs[i][1],
                                                   (int)strlen(pairs[i][1]), &p, end))
      return -1;
  if (lws_add_http_header_content_length(wsi, 0, &p, end) ||
      lws_finalize_write_http_header(wsi, start, &p, end))
    return -1;
  return lws_http_transaction_completed(wsi) ? -1 : 0;
}

static int
serve_static(HttpReq *req, const char *uri)
{
  g_autofree char *accept_encoding = header_copy(req->wsi, WSI_TOKEN_HTTP_ACCEPT_ENCODING);
  g_autofree char *if_none_match = header_copy(req->wsi, WSI_TOKEN_HTTP_IF_NONE_MATCH);
  WebRootAnswer a;
  if (!web_root_answer(req->hub->config->web_root, uri, accept_encoding, if_none_match, &a))
    return respond_error(req, 404, "not_found", "There is no such page.");
  gboolean lean = a.immutable && (g_str_has_prefix(a.mime, "text/javascript") ||
                                  g_str_has_prefix(a.mime, "text/css"));
  int rc;
  if (a.not_modified) {
    rc = respond_not_modified(req, &a);
  } else {
    g_autofree char *headers = static_headers(&a, lean);
    rc = serve_file_with(req, a.path, a.mime, headers);
  }
  web_root_answer_clear(&a);
  return rc;
}

static int
serve_healthz(HttpReq *req)
{
  g_autofree char *body =
      g_strdup_printf("{\"status\":\"ok\",\"version\":\"%s\",\"connections\":%u}", HUB_VERSION,
                      hub_connection_count(req->hub));
  return respond(req, 200, "application/json", body);
}

/* Who is the bearer? Sets req->uploader; FALSE if the credential is wrong. */
static gboolean
bearer_subject(HttpReq *req, gboolean *is_kiosk, char **household_of_kiosk)
{
  Hub *hub = req->hub;
  int len = lws_hdr_total_length(req->wsi, WSI_TOKEN_HTTP_AUTHORIZATION);
  if (len <= 7 || len > 512)
    return FALSE;
  g_autofree char *auth = g_malloc(len + 1);
  if (lws_hdr_copy(req->wsi, auth, len + 1, WSI_TOKEN_HTTP_AUTHORIZATION) != len)
    return FALSE;
  if (g_ascii_strncasecmp(auth, "Bearer ", 7) != 0)
    return FALSE;
  const char *cred = auth + 7;
  const char *colon = strchr(cred, ':');
  if (colon) {
    g_autofree char *kiosk = g_strndup(cred, colon - cred);
    if (!hub_auth_device(hub->db, kiosk, colon + 1, household_of_kiosk, NULL))
      return FALSE;
    *is_kiosk = TRUE;
    req->uploader = g_steal_pointer(&kiosk);
    return TRUE;
  }
  *is_kiosk = FALSE;
  HubNewSession who = {0};
  if (!hub_auth_session(hub->db, cred, &who, NULL))
    return FALSE;
  req->uploader = g_steal_pointer(&who.person);
  hub_new_session_clear(&who);
  return TRUE;
}

/* Authenticate and check membership; on failure the response is already under way. */
static gboolean
files_authorise(HttpReq *req, gboolean upload, int *rc)
{
  Hub *hub = req->hub;
  gint64 now = hub_clock_now_s();
  char address[64];
  lws_get_peer_simple(req->wsi, address, sizeof address);
  char buf[128];
  const char *household = lws_get_urlarg_by_name(req->wsi, "household=", buf, sizeof buf);
  if (!household || !vp_is_identifier(household)) {
    *rc = respond_error(req, 400, "missing_field", "Say which household (?household=…).");
    return FALSE;
  }
  req->household = g_strdup(household);
  gboolean is_kiosk = FALSE;
  g_autofree char *kiosk_household = NULL;
  /* A valid credential is never refused for what others at its address got wrong (auth.c). */
  if (!bearer_subject(req, &is_kiosk, &kiosk_household)) {
    hub_failures_add(hub->signin_failures, address, now);
    *rc =
        hub_failures_blocked(hub->signin_failures, address, now)
            ? respond_error(req, 429, "rate_limited",
                            "Too many failed sign-ins from this network; wait a minute.")
            : respond_error(req, 401, "bad_credentials", "Sign in again: the credential is wrong.");
    return FALSE;
  }
  gboolean allowed;
  if (is_kiosk) {
    allowed = g_strcmp0(kiosk_household, req->household) == 0;
  } else {
    HubMembership *m = hub_membership_get(hub->db, req->household, req->uploader);
    allowed = m != NULL;
    /* a right that sends files; `admin` for the faces on the kiosk's tiles (faces.h) */
    if (m && upload)
      allowed = (m->rights & (HUB_RIGHT_MESSAGE | HUB_RIGHT_MEMORY_BOOK | HUB_RIGHT_ACTIVITIES |
                              HUB_RIGHT_REMINDERS | HUB_RIGHT_ADMIN)) != 0;
    hub_membership_free(m);
  }
  if (!allowed) {
    *rc = upload ? respond_error(req, 403, "forbidden", "You may not send files to this household.")
                 : respond_error(req, 404, "not_found", "There is no such file.");
    return FALSE;
  }
  return TRUE;
}

/* One way to tell where a request ends: Transfer-Encoding (never needed by our clients) is
 * refused, so a body's length is only ever its Content-Length, given once, in digits. */
static gboolean
framing_unambiguous(struct lws *wsi)
{
  if (lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_TRANSFER_ENCODING) > 0)
    return FALSE;
  int len = lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_CONTENT_LENGTH);
  if (len == 0)
    return TRUE;
  char cl[32];
  if (len >= (int)sizeof cl ||
      lws_hdr_copy(wsi, cl, sizeof cl, WSI_TOKEN_HTTP_CONTENT_LENGTH) != len)
    return FALSE;
  for (int i = 0; i < len; i++)
    if (!g_ascii_isdigit(cl[i]))
      return FALSE;
  return TRUE;
}

static gboolean
has_body(struct lws *wsi)
{
  char cl[32];
  return lws_hdr_copy(wsi, cl, sizeof cl, WSI_TOKEN_HTTP_CONTENT_LENGTH) > 0 &&
         g_ascii_strtoull(cl, NULL, 10) > 0;
}

/* A file that could not be kept: 507 `storage_full` when the disk is full, else 500 `internal`. */
static int
respond_store_error(HttpReq *req, const GError *error)
{
  if (storage_full_error(error))
    return respond_error(req, 507, vp_error_code_name(VP_ERROR_STORAGE_FULL),
                         storage_full_sentence);
  return respond_error(req, 500, "internal", "The hub could not store the file; try again.");
}

static int
start_upload(HttpReq *req)
{
  struct lws *wsi = req->wsi;
  int rc = 0;
  req->close_after = TRUE; /* until the body is in, any answer ends the connection */
  char cl[32];
  if (lws_hdr_copy(wsi, cl, sizeof cl, WSI_TOKEN_HTTP_CONTENT_LENGTH) <= 0)
    return respond_error(req, 411, "missing_field", "Say how long the file is (Content-Length).");
  if (g_ascii_strtoull(cl, NULL, 10) > UPLOAD_MAX)
    return respond_error(req, 413, "too_large", "A file can be at most 20 MB.");
  if (!files_authorise(req, TRUE, &rc))
    return rc;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = files_incoming_dir(req->hub);
  req->upload = hub_upload_new(dir, &error);
  if (!req->upload) {
    g_warning("upload: %s", error->message);
    return respond_store_error(req, error);
  }
  req->state = REQ_RECEIVING;
  return 0;
}

int
http_request(Hub *hub, struct lws *wsi, HttpReq **slot, const char *uri)
{
  HttpReq *req = g_new0(HttpReq, 1);
  req->hub = hub;
  req->wsi = wsi;
  if (*slot)
    http_req_free(*slot);
  *slot = req;
  gboolean post = lws_hdr_total_length(wsi, WSI_TOKEN_POST_URI) > 0;
  gboolean get = lws_hdr_total_length(wsi, WSI_TOKEN_GET_URI) > 0;
  int rc = 0;

  if (!framing_unambiguous(wsi)) {
    req->close_after = TRUE;
    return respond_error(req, 400, "bad_format",
                         "Give the length of the body once, as Content-Length, and nothing else.");
  }
  if (post && g_strcmp0(uri, "/api/files") == 0)
    return start_upload(req);
  if (has_body(wsi)) {
    /* lws 4.1 would discard it from the buffer the headers are still in and then, with a request
     * pipelined behind, spin in lws_http_action() for ever (found by fuzz-http-request) */
    req->close_after = TRUE;
    return respond_error(req, 400, "bad_format", "Only an upload may carry a body.");
  }
  if (!get) {
    req->close_after = TRUE;
    return respond_error(req, 405, "forbidden", "That method is not supported here.");
  }
  if (g_strcmp0(uri, "/healthz") == 0)
    return serve_healthz(req);
  if (g_str_has_prefix(uri, "/api/files/")) {
    const char *hash = uri + strlen("/api/files/");
    if (!files_authorise(req, FALSE, &rc))
      return rc;
    g_autofree char *path = NULL, *mime = NULL;
    if (!files_lookup(hub, hash, req->household, &path, &mime))
      return respond_error(req, 404, "not_found", "There is no such file.");
    g_autofree char *headers = g_strconcat(
        http_security_headers(), "Cache-Control: private, max-age=31536000, immutable\r\n", NULL);
    return serve_file_with(req, path, mime, headers);
  }
  if (g_str_has_prefix(uri, "/api/"))
    return respond_error(req, 404, "not_found", "There is no such page.");
  return serve_static(req, uri);
}

/* lws 4.1 hands a POST that was pipelined behind another request its own header block as the
 * start of its body (it reads the body from the buffer the headers are still in) and drops as
 * much of the real body's end. No photo or recording starts with "POST ": refuse and close. */
static gboolean
body_misframed(HttpReq *req, const void *in, size_t len)
{
  return hub_upload_size(req->upload) == 0 && len >= 5 && memcmp(in, "POST ", 5) == 0;
}

int
http_body(HttpReq *req, const void *in, size_t len)
{
  if (req->state != REQ_RECEIVING)
    return 0; /* already answered: the rest is read and dropped */
  if (body_misframed(req, in, len))
    return respond_error(req, 400, "bad_format",
                         "Send an upload only after the answer to the request before it.");
  g_autoptr(GError) error = NULL;
  if (!hub_upload_write(req->upload, in, len, UPLOAD_MAX, &error)) {
    g_warning("upload: %s", error->message);
    return respond_store_error(req, error);
  }
  return 0;
}

int
http_body_complete(HttpReq *req)
{
  if (req->state != REQ_RECEIVING)
    return 0; /* answered already (lws may call this again while requests are pipelined) */
  /* a refused upload ends the connection (close_after stays set since start_upload): lws 4.1,
   * going on to bytes sent after a refused body, spins in its rx flow for ever (found by
   * fuzz-http-request); a stored one keeps it for the next request */
  HubUpload *up = req->upload;
  if (hub_upload_over(up))
    return respond_error(req, 413, "too_large", "A file can be at most 20 MB.");
  FileKind kind;
  const char *mime = NULL, *sentence = NULL;
  VpErrorCode code;
  if (!files_check_fd(hub_upload_fd(up), hub_upload_size(up), &kind, &mime, &code, &sentence)) {
    unsigned int status = code == VP_ERROR_TOO_LARGE ? 413 : code == VP_ERROR_INTERNAL ? 500 : 415;
    return respond_error(req, status, vp_error_code_name(code), sentence);
  }
  if (!quota_storage_ok(req->hub, req->household, req->uploader, hub_upload_size(up), &sentence))
    return respond_error(req, 413, vp_error_code_name(VP_ERROR_QUOTA_STORAGE), sentence);
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;
  if (!files_store_upload(req->hub, up, kind, mime, req->household, req->uploader, &hash, &error)) {
    g_warning("upload failed: %s", error->message);
    return respond_store_error(req, error);
  }
  req->close_after = FALSE;
  g_autofree char *body =
      g_strdup_printf("{\"file\":\"%s\",\"kind\":\"%s\",\"size\":%" G_GUINT64_FORMAT "}", hash,
                      kind == FILE_KIND_PHOTO ? "photo" : "voice", hub_upload_size(up));
  return respond(req, 201, "application/json", body);
}
