#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/hub_client.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <libwebsockets.h>
#include <string.h>

#include "kiosk/call_media.h"
#include "kiosk/call_resume.h"
#include "kiosk/checkins.h"
#include "kiosk/durable_file.h"
#include "kiosk/file_upload.h"
#include "kiosk/i18n.h"
#include "kiosk/outbox.h"
#include "kiosk/plugin_reports.h"
#include "kiosk/plugins_glue.h"
#include "kiosk/speech.h"
#include "protocol/protocol.h"
#include "kiosk/call_about.h"

typedef struct {
  VkHubClient *client;
  char *hash;
  char *message_id; /* the message waiting for this file, or NULL */
  char *person_id;  /* the person whose photo this is, or NULL */
  GByteArray *body;
  int status;
  struct lws *wsi;
} Download;

struct VkHubClient {
  VkApp *app;
  VkCache *cache;
  GMainLoop *loop;
  struct lws_context *ctx;
  struct lws *wsi;
  char *host, *path;
  char *address;           /* the host's IP, resolved off the main loop before each connect */
  GCancellable *resolving; /* the lookup under way */
  int port;
  gboolean tls, insecure;
  char *pair_code;
  gboolean connected; /* the socket is up */
  gboolean signed_in; /* welcome received */
  gboolean reconnect_now;
  guint reconnect_id;
  int attempt;
  guint connections;
  GQueue out; /* char* JSON frames */
  GString *rx;
  guint next_id;
  char *household;
  char *call_id;
  char *call_peer;
  char *invite_req; /* id of our outstanding call.invite */
  GList *downloads;
  gboolean closing;
  guint refetch_id; /* a failed download is tried again */
  VkOutbox *outbox; /* what the resident sends, until the hub has it */
};

static VkHubAddress
hub_address(VkHubClient *c)
{
  return (VkHubAddress){c->ctx, c->host, c->address, c->port, c->tls, c->insecure};
}

/* "KIOSK_ID:SECRET", how the kiosk signs its file requests (docs/protocol.md), or NULL before
 * pairing. transfer full */
static char *
device_credential(VkHubClient *c)
{
  g_autofree char *kiosk = vk_cache_get(c->cache, "kiosk");
  g_autofree char *secret = vk_cache_get(c->cache, "secret");
  return kiosk && secret ? g_strconcat(kiosk, ":", secret, NULL) : NULL;
}

/* After a failed download, try the missing files again this much later. */
#define REFETCH_S 30

static void schedule_reconnect(VkHubClient *c);
static void schedule_refetch(VkHubClient *c);
static void on_call_signal(gpointer data, const char *what, const char *peer_id);

/* --- sending ------------------------------------------------------------------------- */

static void
send_msg(VkHubClient *c, VpMessage *msg /* transfer full */)
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

/* The plugin reports' way to the hub (plugin_reports.c). */
static void
reports_send(gpointer data, VpMessage *m)
{
  send_msg(data, m);
}

static char *
new_id(VkHubClient *c)
{
  return g_strdup_printf("%u", ++c->next_id);
}

static void
send_hello(VkHubClient *c)
{
  VpMessage *m = vp_message_new(VP_HELLO);
  g_autofree char *id = new_id(c);
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
  send_msg(c, m);
}

static void
send_call_simple(VkHubClient *c, VpType type, const char *reason)
{
  if (!c->call_id)
    return;
  VpMessage *m = vp_message_new(type);
  vp_message_set_string(m, "call", c->call_id);
  if (reason)
    vp_message_set_string(m, "reason", reason);
  send_msg(c, m);
}

void
vk_hub_client_send_sdp(VkHubClient *c, const char *sdp_type, const char *sdp)
{
  if (!c->call_id)
    return;
  VpMessage *m = vp_message_new(VP_CALL_SDP);
  vp_message_set_string(m, "call", c->call_id);
  vp_message_set_string(m, "sdp_type", sdp_type);
  vp_message_set_string(m, "sdp", sdp);
  send_msg(c, m);
}

void
vk_hub_client_send_ice(VkHubClient *c, guint mline_index, const char *candidate)
{
  if (!c->call_id)
    return;
  VpMessage *m = vp_message_new(VP_CALL_ICE);
  vp_message_set_string(m, "call", c->call_id);
  vp_message_set_string(m, "candidate", candidate ? candidate : "");
  vp_message_set_int(m, "sdp_mline_index", mline_index);
  send_msg(c, m);
}

/* --- files over HTTPS ------------------------------------------------------------------ */

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

static void
fetch_file(VkHubClient *c, const char *hash, const char *message_id, const char *person_id)
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
  VkHubAddress hub = hub_address(c);
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
  vk_ui_flush_textures(c->app->ui);
  vk_plugins_refresh(c->app); /* a memory-book photo may have been waiting for this file */
  vk_app_invalidate(c->app);
}

static int
files_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
  Download *d = lws_get_opaque_user_data(wsi);
  switch (reason) {
  case LWS_CALLBACK_CLIENT_APPEND_HANDSHAKE_HEADER: {
    if (!d)
      break;
    unsigned char **p = (unsigned char **)in, *end = (*p) + len;
    g_autofree char *credential = device_credential(d->client);
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
static void
fetch_missing_files(VkHubClient *c)
{
  g_autoptr(GPtrArray) missing = vk_cache_messages_missing_files(c->cache);
  for (guint i = 0; i + 1 < missing->len; i += 2)
    fetch_file(c, missing->pdata[i + 1], missing->pdata[i], NULL);
}

static gboolean
refetch_cb(gpointer data)
{
  VkHubClient *c = data;
  c->refetch_id = 0;
  if (c->signed_in)
    fetch_missing_files(c);
  return G_SOURCE_REMOVE;
}

static void
schedule_refetch(VkHubClient *c)
{
  if (!c->refetch_id && c->ctx)
    c->refetch_id = g_timeout_add_seconds(REFETCH_S, refetch_cb, c);
}

/* --- what the hub says ----------------------------------------------------------------- */

static void
on_welcome(VkHubClient *c, VpMessage *m)
{
  const char *role = vp_message_get_string(m, "role");
  c->signed_in = TRUE;
  c->attempt = 0;
  vk_app_set_connected(c->app, TRUE);
  VkModel *model = c->app->model;
  if (g_strcmp0(role, "unpaired") == 0) {
    const char *code = vp_message_get_string(m, "pairing_code");
    g_free(model->pair_code);
    model->pair_code = g_strdup(code);
    model->paired = FALSE;
    vk_app_show(c->app, VK_SCREEN_PAIRING);
    return;
  }
  JsonArray *hh = vp_message_get_array(m, "households");
  if (hh && json_array_get_length(hh) > 0) {
    JsonObject *h = json_array_get_object_element(hh, 0);
    g_free(c->household);
    c->household = g_strdup(json_object_get_string_member_with_default(h, "id", NULL));
    vk_cache_set(c->cache, "household", c->household, NULL);
  }
  if (!model->paired) {
    model->paired = TRUE;
    vk_app_show(c->app, VK_SCREEN_HOME);
  }
  if (c->household) {
    vk_outbox_online(c->outbox, c->household);
    vk_plugin_reports_online(c->app, c->household, reports_send, c);
  }
  fetch_missing_files(c);
  VpMessage *resume = vk_call_resume_on_signed_in(&c->app->call, c->call_id);
  if (resume) /* mid-call: does the call still live? (call_resume.h) */
    send_msg(c, resume);
  VpMessage *get = vp_message_new(VP_HOUSEHOLD_GET);
  g_autofree char *id = new_id(c);
  vp_message_set_string(get, "id", id);
  vp_message_set_string(get, "household", c->household);
  send_msg(c, get);
}

static void
on_paired(VkHubClient *c, VpMessage *m)
{
  g_autoptr(GError) err = NULL;
  if (!vk_cache_set(c->cache, "kiosk", vp_message_get_string(m, "kiosk"), &err) ||
      !vk_cache_set(c->cache, "secret", vp_message_get_string(m, "secret"), &err) ||
      !vk_cache_set(c->cache, "household", vp_message_get_string(m, "household"), &err)) {
    g_warning("cannot keep the pairing: %s", err->message);
    return;
  }
  g_message("paired with a household");
  /* sign in again with the device secret */
  c->reconnect_now = TRUE;
  c->closing = TRUE;
  if (c->wsi)
    lws_callback_on_writable(c->wsi);
}

static gboolean
has_right(JsonObject *person, const char *right)
{
  JsonArray *r = json_object_has_member(person, "rights")
                     ? json_object_get_array_member(person, "rights")
                     : NULL;
  for (guint i = 0; r && i < json_array_get_length(r); i++)
    if (g_strcmp0(json_array_get_string_element(r, i), right) == 0)
      return TRUE;
  return FALSE;
}

static void
on_household_state(VkHubClient *c, VpMessage *m)
{
  JsonObject *h = vp_message_get_object(m, "household");
  if (!h)
    return;
  VkModel *model = c->app->model;
  const char *lang = json_object_get_string_member_with_default(h, "language", NULL);
  g_autofree char *by_helper = vk_cache_get(c->cache, "language_by_helper");
  if (lang && !by_helper && !c->app->opts->lang && g_strcmp0(lang, vk_i18n_language()) != 0 &&
      vk_i18n_set_language(lang))
    vk_cache_set(c->cache, "language", lang, NULL);
  g_free(model->resident);
  model->resident = g_strdup(json_object_get_string_member_with_default(h, "resident", NULL));
  g_clear_pointer(&model->quiet_start, g_free);
  g_clear_pointer(&model->quiet_end, g_free);
  JsonNode *qn = json_object_get_member(h, "quiet_hours");
  if (qn && JSON_NODE_HOLDS_OBJECT(qn)) {
    JsonObject *q = json_node_get_object(qn);
    const char *qs = json_object_get_string_member_with_default(q, "start", NULL);
    const char *qe = json_object_get_string_member_with_default(q, "end", NULL);
    if (vp_is_clock_time(qs) && vp_is_clock_time(qe)) {
      model->quiet_start = g_strdup(qs);
      model->quiet_end = g_strdup(qe);
    }
  }
  JsonArray *people =
      json_object_has_member(h, "people") ? json_object_get_array_member(h, "people") : NULL;
  g_autoptr(GPtrArray) fresh = g_ptr_array_new_with_free_func((GDestroyNotify)vk_person_free);
  g_autoptr(GPtrArray) photos = g_ptr_array_new(); /* JsonObject* with a photo to fetch */
  for (guint i = 0; people && i < json_array_get_length(people) && fresh->len < VK_MAX_PEOPLE_KEPT;
       i++) {
    JsonObject *po = json_array_get_object_element(people, i);
    if (!po || !has_right(po, "call"))
      continue; /* the home screen shows the people one touch can call */
    const char *id = json_object_get_string_member_with_default(po, "id", NULL);
    VkPerson *p =
        vk_person_new(id, json_object_get_string_member_with_default(po, "name", ""),
                      json_object_get_string_member_with_default(po, "relationship", NULL));
    p->reachable =
        g_strcmp0(json_object_get_string_member_with_default(po, "presence", ""), "online") == 0;
    JsonNode *consent = json_object_get_member(po, "auto_answer_consent");
    p->may_auto_answer = has_right(po, "auto_answer");
    p->auto_answer = p->may_auto_answer && consent && !JSON_NODE_HOLDS_NULL(consent);
    const char *photo = json_object_get_string_member_with_default(po, "photo", NULL);
    if (photo && vp_is_file_hash(photo)) {
      g_autofree char *path = vk_cache_file_path(c->cache, photo);
      if (g_file_test(path, G_FILE_TEST_EXISTS))
        p->photo_path = g_strdup(path);
      else
        g_ptr_array_add(photos, po);
    }
    g_ptr_array_add(fresh, p);
  }
  g_ptr_array_set_size(model->people, 0);
  for (guint i = 0; i < fresh->len; i++)
    g_ptr_array_add(model->people, g_steal_pointer(&fresh->pdata[i]));
  g_ptr_array_set_size(fresh, 0);
  vk_cache_set_people(c->cache, model->people, NULL);
  for (guint i = 0; i < photos->len; i++) {
    JsonObject *po = photos->pdata[i];
    fetch_file(c, json_object_get_string_member(po, "photo"), NULL,
               json_object_get_string_member(po, "id"));
  }
  /* the household's other kiosks can be callers too */
  JsonArray *kiosks =
      json_object_has_member(h, "kiosks") ? json_object_get_array_member(h, "kiosks") : NULL;
  for (guint i = 0; kiosks && i < json_array_get_length(kiosks); i++) {
    JsonObject *ko = json_array_get_object_element(kiosks, i);
    const char *id = ko ? json_object_get_string_member_with_default(ko, "id", NULL) : NULL;
    if (id && !vk_model_find_person(model, id))
      g_ptr_array_add(model->others, /* the resident's other screen: her name, not "Someone" */
                      vk_person_new(id, model->resident ? model->resident : _("Someone"), NULL));
  }
  vk_app_invalidate(c->app);
}

static void
on_presence(VkHubClient *c, VpMessage *m)
{
  const char *who = vp_message_get_string(m, "subject");
  VkPerson *p = vk_model_find_person(c->app->model, who);
  if (!p)
    return;
  gboolean now = g_strcmp0(vp_message_get_string(m, "state"), "online") == 0;
  if (now != p->reachable) {
    p->reachable = now;
    vk_cache_set_presence(c->cache, who, now, NULL);
    if (c->app->screen == VK_SCREEN_HOME)
      vk_app_invalidate(c->app);
  }
}

static void
on_msg_deliver(VkHubClient *c, VpMessage *m)
{
  gint64 seq = vp_message_get_int(m, "seq", 0);
  JsonObject *mo = vp_message_get_object(m, "msg");
  if (!mo || seq <= 0)
    return;
  const char *kind = json_object_get_string_member_with_default(mo, "kind", "text");
  JsonObject *from =
      json_object_has_member(mo, "from") ? json_object_get_object_member(mo, "from") : NULL;
  const char *from_id = from ? json_object_get_string_member_with_default(from, "id", NULL) : NULL;
  VkMessageKind k = g_strcmp0(kind, "photo") == 0   ? VK_MSG_PHOTO
                    : g_strcmp0(kind, "voice") == 0 ? VK_MSG_VOICE
                                                    : VK_MSG_TEXT;
  VkMessage *msg =
      vk_message_new(json_object_get_string_member_with_default(mo, "id", NULL), k, from_id);
  const char *text = json_object_get_string_member_with_default(mo, "text", NULL);
  if (!text)
    text = json_object_get_string_member_with_default(mo, "caption", NULL);
  msg->text = g_strdup(text);
  msg->sent_at = json_object_get_int_member_with_default(mo, "sent_at", 0);
  msg->seq = seq;
  const char *file = json_object_get_string_member_with_default(mo, "file", NULL);
  if (file && vp_is_file_hash(file)) {
    g_autofree char *path = vk_cache_file_path(c->cache, file);
    if (g_file_test(path, G_FILE_TEST_EXISTS))
      msg->media_path = g_strdup(path);
  }
  gboolean is_new = FALSE;
  g_autoptr(GError) err = NULL;
  if (!msg->id || !vk_cache_store_message(c->cache, msg, file, &is_new, &err)) {
    /* not stored: not acknowledged; the hub sends it again on the next sign-in */
    g_warning("cannot store a message: %s", err ? err->message : "no id");
    vk_message_free(msg);
    return;
  }
  g_autofree char *id = g_strdup(msg->id);
  gboolean needs_file = file && !msg->media_path;
  if (is_new && from && !vk_model_find_person(c->app->model, from_id))
    g_ptr_array_add(
        c->app->model->others,
        vk_person_new(from_id, json_object_get_string_member_with_default(from, "name", ""), NULL));
  if (is_new && vk_model_add_message(c->app->model, msg)) {
    g_autofree char *say = g_strdup_printf(
        _("A new message from %s"), json_object_get_string_member_with_default(from, "name", ""));
    vk_speech_say(say);
    vk_app_invalidate(c->app);
  } else if (!is_new) {
    vk_message_free(msg);
  }
  /* stored: now, and only now, acknowledge it */
  VpMessage *ack = vp_message_new(VP_MSG_ACK);
  vp_message_set_int(ack, "up_to", seq);
  send_msg(c, ack);
  if (needs_file)
    fetch_file(c, file, id, NULL);
}

static void
on_doc_deliver(VkHubClient *c, VpMessage *m)
{
  gint64 seq = vp_message_get_int(m, "seq", 0);
  JsonObject *body = vp_message_get_object(m, "body");
  g_autofree char *body_json = NULL;
  if (body) {
    g_autoptr(JsonNode) n = json_node_init_object(json_node_alloc(), body);
    body_json = json_to_string(n, FALSE);
  }
  g_autoptr(GError) err = NULL;
  if (!vk_cache_put_doc(c->cache, vp_message_get_string(m, "kind"), vp_message_get_string(m, "doc"),
                        vp_message_get_int(m, "rev", 0), body_json,
                        vp_message_get_bool(m, "deleted", FALSE), &err)) {
    g_warning("cannot store a document: %s", err->message);
    return;
  }
  VpMessage *ack = vp_message_new(VP_DOC_ACK);
  vp_message_set_int(ack, "up_to", seq);
  send_msg(c, ack);
  const char *kind = vp_message_get_string(m, "kind");
  if (g_strcmp0(kind, "checkin") == 0) {
    vk_checkins_load(c->cache, c->app->model);
    vk_app_invalidate(c->app);
  } else {
    vk_plugins_put(c->app, kind, vp_message_get_string(m, "doc"), vp_message_get_int(m, "rev", 0),
                   vp_message_get_bool(m, "deleted", FALSE) ? NULL : body_json);
  }
}

static void
set_call(VkHubClient *c, const char *call_id, const char *peer)
{
  g_free(c->call_id);
  g_free(c->call_peer);
  c->call_id = g_strdup(call_id);
  c->call_peer = g_strdup(peer);
}

static gboolean
is_our_call(VkHubClient *c, VpMessage *m)
{
  return c->call_id && g_strcmp0(vp_message_get_string(m, "call"), c->call_id) == 0;
}

static void
on_call_invite(VkHubClient *c, VpMessage *m)
{
  VkApp *app = c->app;
  const char *call = vp_message_get_string(m, "call");
  JsonObject *from = vp_message_get_object(m, "from");
  const char *from_id = from ? json_object_get_string_member_with_default(from, "id", NULL) : NULL;
  if (!call || !from_id)
    return;
  if (app->call.state != CALL_STATE_IDLE && app->call.state != CALL_STATE_ENDED) {
    /* already in a call: say so, and keep a "missed call" card */
    VpMessage *d = vp_message_new(VP_CALL_DECLINE);
    vp_message_set_string(d, "call", call);
    send_msg(c, d);
    vk_app_call_event(app, CALL_EVENT_REMOTE_INVITE, from_id, FALSE);
    return;
  }
  if (!vk_model_find_person(app->model, from_id))
    g_ptr_array_add(
        app->model->others,
        vk_person_new(from_id, json_object_get_string_member_with_default(from, "name", ""),
                      json_object_get_string_member_with_default(from, "relationship", NULL)));
  gint64 after = vp_message_get_int(m, "auto_answer_after_s", 0);
  if (after > 0)
    app->call.timings.auto_answer_ms = after * 1000;
  call_state_dismiss(&app->call);
  set_call(c, call, from_id);
  vk_app_call_event(app, CALL_EVENT_REMOTE_INVITE, from_id, after > 0);
  /* not when it was declined at once (no microphone) */
  if (app->call.state == CALL_STATE_RINGING || app->call.state == CALL_STATE_AUTO_ANSWER) {
    VpMessage *r = vp_message_new(VP_CALL_RINGING);
    vp_message_set_string(r, "call", call);
    send_msg(c, r);
  }
}

static void
on_error(VkHubClient *c, VpMessage *m)
{
  const char *re = vp_message_re(m);
  const char *code = vp_message_get_string(m, "code");
  g_message("hub error %s", code ? code : "?");
  if (vk_outbox_refused(c->outbox, re, code) || vk_plugin_reports_refused(c->app, re, code))
    return;
  gboolean gone = FALSE;
  if (vk_call_resume_refused(&c->app->call, c->call_id, re, code, &gone)) {
    if (gone) /* the hub ended the call while we were away */
      vk_app_call_event(c->app, CALL_EVENT_CALL_GONE, NULL, FALSE);
    return;
  }
  if (re && c->invite_req && g_strcmp0(re, c->invite_req) == 0) {
    g_clear_pointer(&c->invite_req, g_free);
    vk_app_call_event(
        c->app, g_strcmp0(code, "busy") == 0 ? CALL_EVENT_REMOTE_BUSY : CALL_EVENT_REMOTE_DECLINED,
        NULL, FALSE);
  }
  if (g_strcmp0(code, "bad_credentials") == 0 || g_strcmp0(code, "revoked") == 0) {
    /* the hub forgot us, or an admin removed this screen: start pairing again with a new code
     * that an admin must accept. The provisioning code pairs once; it is never tried again. */
    vk_cache_set(c->cache, "secret", NULL, NULL);
    vk_cache_set(c->cache, "kiosk", NULL, NULL);
    g_clear_pointer(&c->pair_code, g_free);
    c->app->model->paired = FALSE;
    g_clear_pointer(&c->app->model->pair_code, g_free); /* "Getting ready" until the new one */
    vk_app_show(c->app, VK_SCREEN_PAIRING);
  }
}

static void
handle(VkHubClient *c, const char *data, gsize len)
{
  g_autoptr(GError) err = NULL;
  g_autoptr(VpMessage) m = vp_message_parse(data, len, &err);
  if (!m) {
    g_message("ignoring a frame from the hub: %s", err->message);
    return;
  }
  VkApp *app = c->app;
  VkCallMedia *media = app->media;
  VpMessage *bye = vk_call_resume_answer_stale(&app->call, c->call_id, m);
  if (bye) { /* a redial for a call that ended here: the other side stops at once */
    send_msg(c, bye);
    return;
  }
  switch (vp_message_type(m)) {
  case VP_WELCOME:
    on_welcome(c, m);
    break;
  case VP_PAIRED:
    on_paired(c, m);
    break;
  case VP_HOUSEHOLD_STATE:
    on_household_state(c, m);
    break;
  case VP_PRESENCE:
    on_presence(c, m);
    break;
  case VP_MSG_DELIVER:
    on_msg_deliver(c, m);
    break;
  case VP_DOC_DELIVER:
    on_doc_deliver(c, m);
    break;
  case VP_MSG_ACCEPTED:
    vk_outbox_accepted(c->outbox, vp_message_get_string(m, "client_msg_id"));
    break;
  case VP_PLUGIN_ANSWER_ACCEPTED:
    vk_plugin_reports_accepted(app, vp_message_get_string(m, "answer"));
    break;
  case VP_ERROR_MSG:
    on_error(c, m);
    break;
  case VP_CALL_INVITE:
    on_call_invite(c, m);
    break;
  case VP_CALL_PLACED:
    if (c->invite_req && g_strcmp0(vp_message_re(m), c->invite_req) == 0) {
      g_clear_pointer(&c->invite_req, g_free);
      set_call(c, vp_message_get_string(m, "call"), app->call.peer_id);
    }
    break;
  case VP_CALL_ACCEPT:
    if (is_our_call(c, m))
      vk_app_call_event(app, CALL_EVENT_REMOTE_ACCEPTED, NULL, FALSE);
    break;
  case VP_CALL_DECLINE:
    if (is_our_call(c, m))
      vk_app_call_event(app,
                        g_strcmp0(vp_message_get_string(m, "reason"), "no_webrtc") == 0
                            ? CALL_EVENT_REMOTE_DECLINED_NO_WEBRTC
                            : CALL_EVENT_REMOTE_DECLINED,
                        NULL, FALSE);
    break;
  case VP_CALL_BUSY:
    if (is_our_call(c, m))
      vk_app_call_event(app, CALL_EVENT_REMOTE_BUSY, NULL, FALSE);
    break;
  case VP_CALL_CANCEL:
    if (is_our_call(c, m))
      vk_app_call_event(app, CALL_EVENT_REMOTE_CANCELLED, NULL, FALSE);
    break;
  case VP_CALL_MISSED:
    if (is_our_call(c, m))
      vk_app_call_event(app,
                        !app->call.outgoing                     ? CALL_EVENT_REMOTE_CANCELLED
                        : vp_message_get_bool(m, "told", FALSE) ? CALL_EVENT_REMOTE_RANG_OUT_TOLD
                                                                : CALL_EVENT_REMOTE_RANG_OUT,
                        NULL, FALSE);
    break;
  case VP_CALL_HANGUP:
    if (is_our_call(c, m))
      vk_app_call_event(app, vk_call_resume_hangup_event(m), NULL, FALSE);
    break;
  case VP_CALL_SDP:
    if (is_our_call(c, m) && media)
      vk_call_media_remote_sdp(media, vp_message_get_string(m, "sdp_type"),
                               vp_message_get_string(m, "sdp"));
    break;
  case VP_CALL_ICE:
    if (is_our_call(c, m) && media)
      vk_call_media_remote_ice(media, (guint)vp_message_get_int(m, "sdp_mline_index", 0),
                               vp_message_get_string(m, "candidate"));
    break;
  case VP_CALL_TURN:
    if (is_our_call(c, m) && media) {
      JsonArray *servers = vp_message_get_array(m, "ice_servers");
      for (guint i = 0; servers && i < json_array_get_length(servers); i++) {
        JsonObject *s = json_array_get_object_element(servers, i);
        JsonArray *urls =
            s && json_object_has_member(s, "urls") ? json_object_get_array_member(s, "urls") : NULL;
        const char *url =
            urls && json_array_get_length(urls) ? json_array_get_string_element(urls, 0) : NULL;
        const char *user = json_object_get_string_member_with_default(s, "username", NULL);
        const char *cred = json_object_get_string_member_with_default(s, "credential", NULL);
        if (url && user && cred && g_str_has_prefix(url, "turn:")) {
          g_autofree char *u = g_uri_escape_string(user, NULL, FALSE);
          g_autofree char *p = g_uri_escape_string(cred, NULL, FALSE);
          g_autofree char *hostport = g_strdup(url + 5);
          char *q = strchr(hostport, '?');
          if (q)
            *q = 0;
          g_autofree char *turn = g_strdup_printf("turn://%s:%s@%s", u, p, hostport);
          vk_call_media_set_turn(
              media, turn,
              g_strcmp0(vp_message_get_string(m, "ice_transport_policy"), "relay") == 0);
          break;
        }
      }
    }
    break;
  default:
    break;
  }
}

/* --- the app's outward calls ----------------------------------------------------------- */

static void
on_call_signal(gpointer data, const char *what, const char *peer_id)
{
  VkHubClient *c = data;
  VkApp *app = c->app;
  if (g_str_equal(what, "invite")) {
    if (!c->signed_in || !c->household) {
      /* not signed in: nobody can be rung; "not connected", never "declined" */
      vk_app_call_event(app, CALL_EVENT_HUB_LOST, NULL, FALSE);
      return;
    }
    set_call(c, NULL, peer_id);
    VpMessage *m = vp_message_new(VP_CALL_INVITE);
    g_free(c->invite_req);
    c->invite_req = new_id(c);
    vp_message_set_string(m, "id", c->invite_req);
    vp_message_set_string(m, "household", c->household);
    vp_message_set_string(m, "to", peer_id);
    g_autofree char *about = vk_call_about_take(peer_id); /* "Call Anna about this photo" */
    if (about)
      vp_message_set_string(m, "about_photo", about);
    send_msg(c, m);
  } else if (g_str_equal(what, "cancel")) {
    send_call_simple(c, VP_CALL_CANCEL, NULL);
  } else if (g_str_equal(what, "accept")) {
    send_call_simple(c, VP_CALL_ACCEPT, NULL);
  } else if (g_str_equal(what, "decline")) {
    /* The caller's page says why: "its microphone is not working", rather than "not now". */
    gboolean no_mic = app->call.state == CALL_STATE_ENDED &&
                      app->call.end_reason == CALL_END_MISSED_NO_MICROPHONE;
    send_call_simple(c, VP_CALL_DECLINE, no_mic ? "no_microphone" : "not_now");
  } else if (g_str_equal(what, "hangup")) {
    send_call_simple(c, VP_CALL_HANGUP,
                     app->call.state == CALL_STATE_ENDED && app->call.end_reason == CALL_END_LOST
                         ? "peer_lost"
                         : NULL);
  }
  /* "busy" needs nothing: on_call_invite already declined the newcomer */
}

static void
on_media_start(gpointer data, const char *peer_id)
{
  VkHubClient *c = data;
  VkApp *app = c->app;
  if (!app->media) {
    vk_app_call_event(app, CALL_EVENT_MEDIA_FAILED, NULL, FALSE);
    return;
  }
  /* The kiosk offers towards browsers; between two kiosks, the caller offers. */
  gboolean peer_is_kiosk = peer_id && g_str_has_prefix(peer_id, "k_");
  gboolean offerer = !peer_is_kiosk || app->call.outgoing;
  vk_call_media_start(app->media, offerer);
}

static gboolean
on_has_microphone(gpointer data)
{
  VkHubClient *c = data;
  return !c->app->media || vk_call_media_has_microphone(c->app->media);
}

static void
on_media_stop(gpointer data)
{
  VkHubClient *c = data;
  if (c->app->media)
    vk_call_media_stop(c->app->media);
}

static void
on_quick_reply(gpointer data, const char *to_id, const char *reply)
{
  VkHubClient *c = data;
  if (!to_id || g_str_has_prefix(to_id, "k_"))
    return; /* replies go to people; another kiosk has nobody to read them */
  const char *text = g_strcmp0(reply, "thanks") == 0 ? _("Thank you!") : _("Call me");
  g_autoptr(GError) err = NULL;
  if (!vk_outbox_add_text(c->outbox, to_id, text, &err))
    g_warning("cannot keep a reply: %s", err->message);
}

static gboolean
on_send_voice(gpointer data, const char *to_id, const char *path, guint duration_ms)
{
  VkHubClient *c = data;
  g_autoptr(GError) err = NULL;
  if (!to_id || g_str_has_prefix(to_id, "k_") ||
      !vk_outbox_add_voice(c->outbox, to_id, path, duration_ms, &err)) {
    g_warning("cannot keep a voice message: %s", err ? err->message : "not a person");
    return FALSE;
  }
  return TRUE;
}

static void
on_hold_voice(gpointer data, const char *to_id, const char *path, VkVoiceHeld state,
              guint elapsed_ms)
{
  VkHubClient *c = data;
  g_autoptr(GError) err = NULL;
  if (state == VK_VOICE_HELD_DROP)
    vk_outbox_drop_voice(c->outbox, path);
  else if (!(state == VK_VOICE_HELD_RECORDING
                 ? vk_outbox_hold_voice(c->outbox, to_id, path, &err)
                 : vk_outbox_voice_stopped(c->outbox, path, elapsed_ms, &err)))
    g_warning("cannot keep a voice message being recorded: %s", err->message);
}

static void
on_outbox_counts(gpointer data, guint *waiting, guint *refused)
{
  VkHubClient *c = data;
  *waiting = vk_outbox_waiting(c->outbox);
  *refused = vk_cache_outbox_refused_count(c->cache);
}

static char *
on_new_recording_path(gpointer data)
{
  return vk_outbox_new_recording_path(((VkHubClient *)data)->outbox);
}

/* The helpers' settings: the kiosk speaks for its own household only (docs/protocol.md). */
static void
on_set_quiet_hours(gpointer data, const char *start, const char *end)
{
  VkHubClient *c = data;
  if (!c->signed_in || !c->household)
    return;
  VpMessage *m = vp_message_new(VP_HOUSEHOLD_SET_QUIET_HOURS);
  g_autofree char *id = new_id(c);
  vp_message_set_string(m, "id", id);
  vp_message_set_string(m, "household", c->household);
  if (start && end) {
    JsonObject *q = json_object_new();
    json_object_set_string_member(q, "start", start);
    json_object_set_string_member(q, "end", end);
    vp_message_take_object(m, "quiet_hours", q);
  } else {
    vp_message_set_null(m, "quiet_hours");
  }
  send_msg(c, m);
}

static void
on_set_consent(gpointer data, const char *person_id, gboolean on, const char *agreed_by)
{
  VkHubClient *c = data;
  if (!c->signed_in || !c->household || !person_id)
    return;
  VpMessage *m = vp_message_new(VP_HOUSEHOLD_CONSENT);
  g_autofree char *id = new_id(c);
  vp_message_set_string(m, "id", id);
  vp_message_set_string(m, "household", c->household);
  vp_message_set_string(m, "person", person_id);
  vp_message_set_bool(m, "auto_answer", on);
  if (on)
    vp_message_set_string(m, "agreed_by", agreed_by);
  send_msg(c, m);
}

static void
on_fetch_file(gpointer data, const char *hash)
{
  fetch_file(data, hash, NULL, NULL);
}

static gboolean
on_hub_connected(gpointer data)
{
  return ((VkHubClient *)data)->signed_in;
}

static void
on_message_seen(gpointer data, const char *message_id)
{
  VkHubClient *c = data;
  vk_cache_set_message_seen(c->cache, message_id, NULL);
  if (!c->signed_in || !message_id || !g_str_has_prefix(message_id, "m_"))
    return;
  VpMessage *m = vp_message_new(VP_MSG_SEEN);
  vp_message_set_string(m, "msg", message_id);
  send_msg(c, m);
}

/* --- the socket ------------------------------------------------------------------------ */

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
  vk_app_set_connected(c->app, FALSE);
  if (was) {
    g_message("the hub connection closed");
    /* a call cannot continue without signalling only if media also fails; leave it be */
  }
  schedule_reconnect(c);
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
      handle(c, frame, flen);
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
    {"vindu-files", files_callback, 0, 16384, 0, NULL, 0},
    {VK_FILE_UPLOAD_PROTOCOL, vk_file_upload_callback, 0, 4096, 0, NULL, 0},
    {NULL, NULL, 0, 0, 0, NULL, 0},
};

static void
connect_socket(VkHubClient *c)
{
  VkHubAddress hub = hub_address(c);
  struct lws_client_connect_info ci;
  vk_hub_address_connect_info(&hub, c->path, "vindu.v1", &ci);
  struct lws *wsi = NULL;
  ci.pwsi = &wsi;
  if (!lws_client_connect_via_info(&ci) && !c->reconnect_id)
    schedule_reconnect(c);
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
    schedule_reconnect(c);
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

static void
schedule_reconnect(VkHubClient *c)
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

/* The outbox's way to the hub: frames on the socket, files over HTTPS with the device secret. */
static void
outbox_post(gpointer data, VpMessage *m)
{
  send_msg(data, m);
}

static gboolean
outbox_upload(gpointer data, const char *path, VkUploadDone done, gpointer done_data,
              GError **error)
{
  VkHubClient *c = data;
  g_autofree char *credential = device_credential(c);
  if (!c->ctx || !c->household || !credential) {
    g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED, "not paired");
    return FALSE;
  }
  VkHubAddress hub = hub_address(c);
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
  c->ctx = lws_create_context(&info);
  if (!c->ctx) {
    g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED,
                "cannot start the hub client (is libwebsockets-evlib-glib installed?)");
    vk_hub_client_free(c);
    return NULL;
  }
  app->hooks.call_signal = on_call_signal;
  app->hooks.media_start = on_media_start;
  app->hooks.has_microphone = on_has_microphone;
  app->hooks.media_stop = on_media_stop;
  app->hooks.quick_reply = on_quick_reply;
  app->hooks.message_seen = on_message_seen;
  app->hooks.hub_connected = on_hub_connected;
  app->hooks.fetch_file = on_fetch_file;
  app->hooks.set_quiet_hours = on_set_quiet_hours;
  app->hooks.set_consent = on_set_consent;
  app->hooks.send_voice = on_send_voice;
  app->hooks.hold_voice = on_hold_voice;
  app->hooks.new_recording_path = on_new_recording_path;
  app->hooks.outbox_counts = on_outbox_counts;
  app->hooks.data = c;
  c->reconnect_now = TRUE;
  schedule_reconnect(c);
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
  g_list_free_full(c->downloads, (GDestroyNotify)download_free);
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
