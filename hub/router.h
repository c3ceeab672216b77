/* The router (router.c): frames in, each message to its handler; a closed WebSocket out of the
 * handlers' state. Only the server (and tests that stand in for it) include this. */
#pragma once

#include "hub.h"

G_BEGIN_DECLS

/* One received fragment; handles whole frames. Returns -1 to close now. */
int router_receive(Conn *c, const void *in, size_t len, gboolean first, gboolean final,
                   gboolean binary);
/* The WebSocket is gone (LWS_CALLBACK_CLOSED): its calls end, it leaves the indexes and the
 * door's count, a kiosk's last seen is noted and its presence told, then it is freed. */
void router_conn_gone(Conn *c);

G_END_DECLS
