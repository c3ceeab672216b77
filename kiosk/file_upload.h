/* One file sent to the hub over HTTPS (POST /api/files?household=H, docs/protocol.md), on the
 * hub client's libwebsockets context. The hub answers with the file's content hash. */
#pragma once

#include <glib.h>
#include <libwebsockets.h>

#include "kiosk/hub_address.h"

G_BEGIN_DECLS

#define VK_FILE_UPLOAD_PROTOCOL "vindu-upload"
/* A voice note is at most 5 minutes of Opus; nothing bigger is sent. */
#define VK_FILE_UPLOAD_MAX_BYTES (8 * 1024 * 1024)

/* The hub's answer. status 201 with file_hash on success; otherwise the HTTP status (0 when
 * no answer came: no connection) and the hub's error code, if it gave one. */
typedef void (*VkUploadDone)(gpointer data, int status, const char *file_hash,
                             const char *error_code);

/* Reads path and starts sending it. FALSE with error if the file cannot be read or is too big
 * (done() is then never called); otherwise done() is called exactly once, also when the
 * context is destroyed first. bearer is "KIOSK_ID:SECRET". */
gboolean vk_file_upload_start(const VkHubAddress *hub, const char *household, const char *bearer,
                              const char *path, VkUploadDone done, gpointer data, GError **error);

/* The protocol callback for VK_FILE_UPLOAD_PROTOCOL in the context's protocol list. */
int vk_file_upload_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                            size_t len);

G_END_DECLS
