/* The hub's event loop: libuv (epoll) runs libwebsockets, and GLib's default main context is
 * embedded in it, so GLib timeouts, idles and signal sources keep working.
 *
 * Why not LWS_SERVER_OPTION_GLIB: with the glib event lib every socket is a GSource, and each
 * turn of GMainLoop prepares, queries and checks every source and polls every descriptor —
 * O(connections) work per event. Measured on this machine: a request round trip went from
 * 1.3 ms with no other connections to 12 ms with 2,000 idle ones, and connecting 10,000 took
 * 200 s. With libuv the kernel's epoll reports only the ready sockets. */
#pragma once

#include <glib.h>
#include <uv.h>

G_BEGIN_DECLS

typedef struct _HubLoop HubLoop;

HubLoop *hub_loop_new(void);
uv_loop_t *hub_loop_uv(HubLoop *loop);
/* Run until hub_loop_quit(). */
void hub_loop_run(HubLoop *loop);
void hub_loop_quit(HubLoop *loop);
/* Stop driving GLib and run libuv until every handle has closed (after lws_context_destroy(),
 * before its second, final call). */
void hub_loop_drain(HubLoop *loop);
/* Drain if not done yet, close the libuv loop, free. */
void hub_loop_free(HubLoop *loop);

G_END_DECLS
