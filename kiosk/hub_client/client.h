/* The kiosk's connection to the hub: a libwebsockets client on the GLib main loop.
 *
 * Signs in (device secret, or pairing), keeps people, presence, messages and documents in the
 * cache and the model, relays call signalling between the call state machine / media session
 * and the hub, and reconnects by itself with exponential backoff and jitter. Files (photos,
 * voice notes) are fetched over HTTPS from the same hub. */
#pragma once

#include <glib.h>

#include "kiosk/app.h"
#include "kiosk/cache.h"
#include "kiosk/call_media.h"

G_BEGIN_DECLS

typedef struct VkHubClient VkHubClient;

/* url: wss://host:port/ws (or ws:// for tests). pair_code: a household's provisioning code,
 * or NULL to ask the hub for a code to show. The client installs itself in app->hooks.
 * transfer full */
VkHubClient *vk_hub_client_new(VkApp *app, VkCache *cache, GMainLoop *loop, const char *url,
                               const char *pair_code, gboolean insecure, GError **error);
void vk_hub_client_free(VkHubClient *c);
gboolean vk_hub_client_is_connected(VkHubClient *c);
/* The media session's way to send call.sdp / call.ice for the current call. */
VkMediaSignalling vk_hub_client_media_signalling(VkHubClient *c);
/* Test and bench control: how many times it (re)connected so far. */
guint vk_hub_client_connections(VkHubClient *c);
/* This kiosk's id once paired, or NULL. transfer full */
char *vk_hub_client_kiosk_id(VkHubClient *c);
/* Replies and voice notes kept until the hub accepts them. */
guint vk_hub_client_outbox_waiting(VkHubClient *c);
/* The current call id, or NULL. transfer none */
const char *vk_hub_client_call_id(VkHubClient *c);

G_END_DECLS
