/* What the resident sends (quick replies, recorded voice replies) goes through the outbox: kept
 * in the cache first, then sent when the hub is reachable — oldest first, voice files uploaded
 * before their message — and removed only when the hub has accepted it. A retried post carries
 * the same client_msg_id, so the hub never stores it twice. */
#pragma once

#include <glib.h>

#include "kiosk/cache.h"
#include "kiosk/file_upload.h"
#include "protocol/protocol.h"

G_BEGIN_DECLS

typedef struct VkOutbox VkOutbox;

/* How the outbox reaches the hub (the hub client). */
typedef struct {
  /* Sends one frame now. transfer full */
  void (*post)(gpointer data, VpMessage *m);
  /* Starts uploading a file; done() follows exactly once. FALSE with error if it cannot start. */
  gboolean (*upload)(gpointer data, const char *path, VkUploadDone done, gpointer done_data,
                     GError **error);
  gpointer data;
} VkOutboxTransport;

VkOutbox *vk_outbox_new(VkCache *cache, const VkOutboxTransport *transport);
void vk_outbox_free(VkOutbox *o);

gboolean vk_outbox_add_text(VkOutbox *o, const char *to_id, const char *text, GError **error);
/* The recording at path (under the data directory) now belongs to the outbox. */
gboolean vk_outbox_add_voice(VkOutbox *o, const char *to_id, const char *path, guint duration_ms,
                             GError **error);
/* A voice reply's row from the moment recording starts (held, not sent), marked stopped at Stop
 * and send (with the length so far), then made ready by vk_outbox_add_voice with the same path;
 * dropped (row and file) on cancel or when the recording failed. */
gboolean vk_outbox_hold_voice(VkOutbox *o, const char *to_id, const char *path, GError **error);
gboolean vk_outbox_voice_stopped(VkOutbox *o, const char *path, guint elapsed_ms, GError **error);
void vk_outbox_drop_voice(VkOutbox *o, const char *path);
/* Signed in to household: send what waits. Offline: wait for the next sign-in. */
void vk_outbox_online(VkOutbox *o, const char *household);
void vk_outbox_offline(VkOutbox *o);
/* msg.accepted: the hub has committed it. */
void vk_outbox_accepted(VkOutbox *o, const char *client_msg_id);
/* An error answering request_id: TRUE if that was one of our posts. */
gboolean vk_outbox_refused(VkOutbox *o, const char *request_id, const char *code);
/* Does this error code say the hub will never accept the same frame (forbidden, bad_format...)?
 * Any other (internal, rate_limited...) is worth trying again later. */
gboolean vk_outbox_refusal_is_final(const char *code);
/* How long to wait before sending again after a refusal that is not final. */
#define VK_OUTBOX_RETRY_S 20
/* Items still waiting (not accepted, not refused). */
guint vk_outbox_waiting(VkOutbox *o);
/* A fresh directory-local path for a new recording. transfer full */
char *vk_outbox_new_recording_path(VkOutbox *o);

G_END_DECLS
