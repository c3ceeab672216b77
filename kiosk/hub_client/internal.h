/* What the files of the hub client (kiosk/hub_client/) share: the client's state and the calls
 * between its parts. Not for anyone outside this folder; the rest of the kiosk uses
 * kiosk/hub_client.h. */
#pragma once

#include <gio/gio.h>
#include <libwebsockets.h>

#include "kiosk/app.h"
#include "kiosk/cache.h"
#include "kiosk/hub_address.h"
#include "kiosk/hub_client/client.h"
#include "kiosk/outbox.h"
#include "protocol/protocol.h"

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

/* socket.c: the WebSocket, sign-in, reconnect with backoff. */
/* The lws context on the GLib loop, with the socket's, the downloads' and the uploads'
 * protocols; NULL if lws cannot run on GLib. */
struct lws_context *vk_hub_context_new(VkHubClient *c, GMainLoop *loop);
/* Queues a frame for the hub; dropped when offline. */
void vk_hub_send(VkHubClient *c, VpMessage *msg /* transfer full */);
/* A fresh request id. transfer full */
char *vk_hub_new_id(VkHubClient *c);
void vk_hub_schedule_reconnect(VkHubClient *c);
VkHubAddress vk_hub_address_of(VkHubClient *c);
/* "KIOSK_ID:SECRET", how the kiosk signs its file requests (docs/protocol.md), or NULL before
 * pairing. transfer full */
char *vk_hub_device_credential(VkHubClient *c);

/* downloads.c: photos and voice notes over HTTPS, checked against their SHA-256 name. */
void vk_hub_fetch_file(VkHubClient *c, const char *hash, const char *message_id,
                       const char *person_id);
void vk_hub_fetch_missing_files(VkHubClient *c);
int vk_hub_files_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                          size_t len);
void vk_hub_downloads_free(VkHubClient *c);

/* dispatch.c: a frame from the hub to its handler. */
void vk_hub_dispatch(VkHubClient *c, const char *data, gsize len);

/* household_sync.c: sign-in, pairing, people, presence, messages and documents. */
void vk_hub_on_welcome(VkHubClient *c, VpMessage *m);
void vk_hub_on_paired(VkHubClient *c, VpMessage *m);
void vk_hub_on_household_state(VkHubClient *c, VpMessage *m);
void vk_hub_on_presence(VkHubClient *c, VpMessage *m);
void vk_hub_on_msg_deliver(VkHubClient *c, VpMessage *m);
void vk_hub_on_doc_deliver(VkHubClient *c, VpMessage *m);

/* call_signalling.c: the call messages between the call state machine, the media session and
 * the hub. */
void vk_hub_on_call_invite(VkHubClient *c, VpMessage *m);
void vk_hub_on_call_placed(VkHubClient *c, VpMessage *m);
void vk_hub_on_call_accept(VkHubClient *c, VpMessage *m);
void vk_hub_on_call_decline(VkHubClient *c, VpMessage *m);
void vk_hub_on_call_busy(VkHubClient *c, VpMessage *m);
void vk_hub_on_call_cancel(VkHubClient *c, VpMessage *m);
void vk_hub_on_call_missed(VkHubClient *c, VpMessage *m);
void vk_hub_on_call_hangup(VkHubClient *c, VpMessage *m);
void vk_hub_on_call_sdp(VkHubClient *c, VpMessage *m);
void vk_hub_on_call_ice(VkHubClient *c, VpMessage *m);
void vk_hub_on_call_turn(VkHubClient *c, VpMessage *m);
/* An error answering a call request (a resume, our invite): TRUE when it was the resumed call's,
 * so nothing else is to be done with it. */
gboolean vk_hub_call_refused(VkHubClient *c, const char *re, const char *code);
/* The app's call hooks: signalling, the media session, the microphone. */
void vk_hub_call_hooks_install(VkAppHooks *hooks);

/* app_requests.c: the app's other hooks (replies, voice notes, helpers' settings, files). */
void vk_hub_request_hooks_install(VkAppHooks *hooks);
