#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/outbox.h"

#include <glib/gstdio.h>

/* After a failed upload or post that may work later (no connection, hub busy), try again this
 * much later. */
#define RETRY_S VK_OUTBOX_RETRY_S

/* Answers that say the message itself is not acceptable: sending it again cannot help. Any
 * other error (internal, rate_limited, not_authenticated, ...) is tried again later. */
static const char *const permanent_refusals[] = {
    "forbidden",  "not_found",    "out_of_range", "bad_format", "too_large",    "missing_field",
    "wrong_type", "unknown_type", "bad_json",     "bad_utf8",   "unknown_kind",
};

gboolean
vk_outbox_refusal_is_final(const char *code)
{
  for (gsize i = 0; i < G_N_ELEMENTS(permanent_refusals); i++) {
    if (g_strcmp0(code, permanent_refusals[i]) == 0)
      return TRUE;
  }
  return FALSE;
}

struct VkOutbox {
  VkCache *cache;
  VkOutboxTransport t;
  char *household;         /* NULL while offline */
  char *in_flight;         /* client_msg_id posted and not yet answered: one at a time, in order */
  char *in_flight_request; /* its request id, to match an error to it */
  char *uploading;         /* client_msg_id whose file is on its way, or NULL */
  guint retry_id;
  guint next_request;
  gboolean *alive; /* cleared on free: an upload finishing later must not touch us */
};

static void pump(VkOutbox *o);

VkOutbox *
vk_outbox_new(VkCache *cache, const VkOutboxTransport *transport)
{
  VkOutbox *o = g_new0(VkOutbox, 1);
  o->cache = cache;
  o->t = *transport;
  return o;
}

void
vk_outbox_free(VkOutbox *o)
{
  if (!o)
    return;
  g_clear_handle_id(&o->retry_id, g_source_remove);
  g_free(o->in_flight);
  g_free(o->in_flight_request);
  g_free(o->household);
  g_free(o->uploading);
  if (o->alive)
    *o->alive = FALSE; /* the upload's callback frees it */
  g_free(o);
}

static char *
new_client_msg_id(void)
{
  return g_strdup_printf("k-%" G_GINT64_FORMAT "-%08x", g_get_real_time(), g_random_int());
}

static gboolean
add(VkOutbox *o, VkOutboxItem *it, GError **error)
{
  it->client_msg_id = new_client_msg_id();
  gboolean ok = vk_cache_outbox_add(o->cache, it, error);
  g_free(it->client_msg_id);
  if (ok)
    pump(o);
  return ok;
}

gboolean
vk_outbox_add_text(VkOutbox *o, const char *to_id, const char *text, GError **error)
{
  VkOutboxItem it = {.to_id = (char *)to_id, .kind = (char *)"text", .text = (char *)text};
  return add(o, &it, error);
}

gboolean
vk_outbox_add_voice(VkOutbox *o, const char *to_id, const char *path, guint duration_ms,
                    GError **error)
{
  if (vk_cache_outbox_keeps(o->cache, path)) { /* held since recording began: now it may go */
    if (!vk_cache_outbox_hold(o->cache, path, VK_OUTBOX_READY, duration_ms, error))
      return FALSE;
    pump(o);
    return TRUE;
  }
  VkOutboxItem it = {.to_id = (char *)to_id,
                     .kind = (char *)"voice",
                     .path = (char *)path,
                     .duration_ms = duration_ms};
  return add(o, &it, error);
}

gboolean
vk_outbox_hold_voice(VkOutbox *o, const char *to_id, const char *path, GError **error)
{
  VkOutboxItem it = {.client_msg_id = new_client_msg_id(),
                     .to_id = (char *)to_id,
                     .kind = (char *)"voice",
                     .path = (char *)path,
                     .held = VK_OUTBOX_RECORDING};
  gboolean ok = vk_cache_outbox_add(o->cache, &it, error);
  g_free(it.client_msg_id);
  return ok;
}

gboolean
vk_outbox_voice_stopped(VkOutbox *o, const char *path, guint elapsed_ms, GError **error)
{
  return vk_cache_outbox_hold(o->cache, path, VK_OUTBOX_STOPPED, elapsed_ms, error);
}

void
vk_outbox_drop_voice(VkOutbox *o, const char *path)
{
  g_autoptr(GError) err = NULL;
  if (!vk_cache_outbox_remove_path(o->cache, path, &err))
    g_warning("%s", err->message);
  g_unlink(path);
}

char *
vk_outbox_new_recording_path(VkOutbox *o)
{
  g_autofree char *dir = g_build_filename(vk_cache_dir(o->cache), "outbox", NULL);
  g_mkdir_with_parents(dir, 0700);
  g_autofree char *name = g_strdup_printf("voice-%" G_GINT64_FORMAT ".ogg", g_get_real_time());
  return g_build_filename(dir, name, NULL);
}

static void
post(VkOutbox *o, const VkOutboxItem *it)
{
  VpMessage *m = vp_message_new(VP_MSG_POST);
  g_autofree char *id = g_strdup_printf("ob-%u", ++o->next_request);
  vp_message_set_string(m, "id", id);
  vp_message_set_string(m, "household", o->household);
  vp_message_set_string(m, "client_msg_id", it->client_msg_id);
  vp_message_set_string(m, "to", it->to_id);
  vp_message_set_string(m, "kind", it->kind);
  if (it->file_hash) {
    vp_message_set_string(m, "file", it->file_hash);
    vp_message_set_int(m, "duration_ms", MAX(it->duration_ms, 1));
  } else {
    vp_message_set_string(m, "text", it->text ? it->text : "");
  }
  g_free(o->in_flight);
  g_free(o->in_flight_request);
  o->in_flight = g_strdup(it->client_msg_id);
  o->in_flight_request = g_steal_pointer(&id);
  o->t.post(o->t.data, m);
}

static gboolean
retry_cb(gpointer data)
{
  VkOutbox *o = data;
  o->retry_id = 0;
  pump(o);
  return G_SOURCE_REMOVE;
}

static void
retry_later(VkOutbox *o)
{
  if (!o->retry_id)
    o->retry_id = g_timeout_add_seconds(RETRY_S, retry_cb, o);
}

static void
refuse(VkOutbox *o, const char *client_msg_id, const char *code)
{
  /* kept in the cache (and its recording on disk) for the helpers, never sent again */
  g_message("the hub refused a message from the resident: %s", code ? code : "?");
  vk_cache_outbox_refuse(o->cache, client_msg_id, code, NULL);
}

typedef struct {
  VkOutbox *outbox;
  gboolean alive;
} UploadCtx;

static void
upload_done(gpointer data, int status, const char *file_hash, const char *error_code)
{
  UploadCtx *u = data;
  VkOutbox *o = u->alive ? u->outbox : NULL;
  g_free(u);
  if (!o)
    return;
  o->alive = NULL;
  g_autofree char *id = g_steal_pointer(&o->uploading);
  if (status == 201 && file_hash) {
    g_autoptr(GError) err = NULL;
    if (!vk_cache_outbox_set_file(o->cache, id, file_hash, &err)) {
      g_warning("%s", err->message); /* not uploading it again at once: later */
      retry_later(o);
      return;
    }
  } else if (status >= 400 && status < 500 && status != 401 && status != 408 && status != 429) {
    refuse(o, id, error_code); /* the file itself is not acceptable: do not knock forever */
  } else {
    g_message("a voice message waits to be sent (upload answered %d)", status);
    retry_later(o);
    return;
  }
  pump(o);
}

static void
start_upload(VkOutbox *o, const VkOutboxItem *it)
{
  UploadCtx *u = g_new0(UploadCtx, 1);
  u->outbox = o;
  u->alive = TRUE;
  o->alive = &u->alive;
  o->uploading = g_strdup(it->client_msg_id);
  g_autoptr(GError) err = NULL;
  if (!o->t.upload(o->t.data, it->path, upload_done, u, &err)) {
    o->alive = NULL;
    g_free(u);
    g_clear_pointer(&o->uploading, g_free);
    if (err->domain == G_FILE_ERROR) {
      /* the recording is gone or unreadable: nothing could ever send it */
      g_warning("cannot send a voice message: %s", err->message);
      refuse(o, it->client_msg_id, "unreadable");
      pump(o);
    } else {
      g_message("a voice message waits to be sent: %s", err->message);
      retry_later(o);
    }
  }
}

/* Sends the oldest item that waits, one at a time: the next goes when the hub has accepted (or
 * for good refused) this one. A voice note's message waits for its file, and so does everything
 * after it, so the person hears and reads the replies in the order they were made. */
static void
pump(VkOutbox *o)
{
  if (!o->household || o->uploading || o->retry_id || o->in_flight)
    return;
  g_autoptr(GPtrArray) items = vk_cache_outbox_waiting(o->cache);
  if (!items->len)
    return;
  VkOutboxItem *it = items->pdata[0];
  if (g_strcmp0(it->kind, "voice") == 0 && !it->file_hash)
    start_upload(o, it);
  else
    post(o, it);
}

static void
forget_in_flight(VkOutbox *o)
{
  g_clear_pointer(&o->in_flight, g_free);
  g_clear_pointer(&o->in_flight_request, g_free);
}

void
vk_outbox_online(VkOutbox *o, const char *household)
{
  g_free(o->household);
  o->household = g_strdup(household);
  forget_in_flight(o); /* posted again: the same client_msg_id, so never twice at the hub */
  g_clear_handle_id(&o->retry_id, g_source_remove);
  pump(o);
}

void
vk_outbox_offline(VkOutbox *o)
{
  g_clear_pointer(&o->household, g_free);
  forget_in_flight(o);
}

void
vk_outbox_accepted(VkOutbox *o, const char *client_msg_id)
{
  if (!client_msg_id)
    return;
  g_autoptr(GPtrArray) items = vk_cache_outbox_waiting(o->cache);
  for (guint i = 0; i < items->len; i++) {
    VkOutboxItem *it = items->pdata[i];
    if (g_strcmp0(it->client_msg_id, client_msg_id) != 0)
      continue;
    g_autoptr(GError) err = NULL;
    if (!vk_cache_outbox_remove(o->cache, client_msg_id, &err)) {
      g_warning("%s", err->message);
      return;
    }
    if (it->path)
      g_unlink(it->path); /* the hub keeps it now */
  }
  if (g_strcmp0(o->in_flight, client_msg_id) == 0) {
    forget_in_flight(o);
    pump(o); /* the next one */
  }
}

gboolean
vk_outbox_refused(VkOutbox *o, const char *request_id, const char *code)
{
  if (!request_id || g_strcmp0(request_id, o->in_flight_request) != 0)
    return FALSE;
  g_autofree char *client_msg_id = g_strdup(o->in_flight);
  forget_in_flight(o);
  if (vk_outbox_refusal_is_final(code)) {
    refuse(o, client_msg_id, code);
    pump(o);
  } else {
    retry_later(o); /* not a no: the same message again later, still first in line */
  }
  return TRUE;
}

guint
vk_outbox_waiting(VkOutbox *o)
{
  g_autoptr(GPtrArray) items = vk_cache_outbox_waiting(o->cache);
  return items->len;
}
