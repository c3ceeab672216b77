/* Where the hub is (host, port, TLS) and how every connection to it is set up: the WebSocket,
 * file downloads and uploads all go to the same origin with the same certificate rules. */
#pragma once

#include <glib.h>
#include <libwebsockets.h>

G_BEGIN_DECLS

typedef struct {
  struct lws_context *ctx;
  const char *host;    /* the name: Host header, TLS server name and certificate check */
  const char *address; /* the host's resolved IP, or NULL to let lws resolve (it blocks) */
  int port;
  gboolean tls, insecure; /* insecure: accept the hub's self-signed certificate (local use) */
} VkHubAddress;

/* Fills ci for a client connection to path on the hub, speaking protocol (an entry of the
 * context's protocol list). No Origin header: the kiosk is not a browser. */
void vk_hub_address_connect_info(const VkHubAddress *hub, const char *path, const char *protocol,
                                 struct lws_client_connect_info *ci);

/* LWS_CALLBACK_RECEIVE_CLIENT_HTTP: has lws read the waiting body, which then arrives in
 * RECEIVE_CLIENT_HTTP_READ callbacks. Returns what the callback returns. */
int vk_hub_http_read_body(struct lws *wsi);

G_END_DECLS
