/* Servicing TLS data that OpenSSL has already read off a socket but libwebsockets has not yet
 * handed to the hub. See tls_pending.c for the library bug this works around. */
#pragma once

#include <libwebsockets.h>
#include <uv.h>

typedef struct _HubTlsPending HubTlsPending;

/* Start watching `ctx`'s pending work from `loop`. (transfer full) */
HubTlsPending *hub_tls_pending_start(uv_loop_t *loop, struct lws_context *ctx);
/* Stop and close the handles; the loop must run for them to finish closing. Frees itself. */
void hub_tls_pending_stop(HubTlsPending *pending);
