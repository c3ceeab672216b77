/* The door: connections that have not signed in are few, short-lived and cost nothing lasting.
 *
 * A WebSocket is counted from its opening until it signs in (or closes): at most
 * `unauth_per_address` per address and `unauth_total` in all; one over either is closed at once
 * (1013, try again later). It must say `hello` within HUB_HELLO_TIMEOUT_S; an unpaired kiosk may
 * wait `pair_wait_s` for an admin, then it is closed and comes back with a new code. The whole
 * server stops accepting (calmly, lws's listen socket leaves the poll set) at `max_connections`,
 * below the descriptor limit, and lws's own "accept: errno" lines are logged once per interval. */
#pragma once

#include "hub.h"

G_BEGIN_DECLS

/* A new WebSocket: FALSE when over a cap (the caller closes it). */
gboolean gate_admit(Conn *c);
/* Signed in, or closed: no longer counted (idempotent). */
void gate_leave(Conn *c);
/* Close unpaired kiosks that waited longer than pair_wait_s (every second). */
void gate_sweep(Hub *hub, gint64 now_us);
/* How many connections lws may hold: the configured cap, or RLIMIT_NOFILE (raised to its hard
 * limit) minus a reserve for the database, uploads and files being served. */
int gate_max_connections(const HubConfig *config);
/* lws's log lines, into GLib's log; repeated accept failures summed up per interval. */
void gate_lws_log(int level, const char *line);
/* Counts for tests and /healthz. */
guint gate_unauth_count(Hub *hub);

G_END_DECLS
