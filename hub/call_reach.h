/* Reaching a called person whose pages are closed: a kiosk's call to a person rings their open
 * devices and is pushed to all their subscribed browsers (push.h); a ring nobody answered is
 * pushed as a missed call. Calls to kiosks are not pushed. */
#pragma once

#include "hub.h"

G_BEGIN_DECLS

/* Can a call from `caller` reach the person `callee` by push alone (no open connection)? */
gboolean call_reach_by_push(Hub *hub, Conn *caller, const char *callee);
/* The ring began: push it (it is worth delivering only while it rings). */
void call_reach_ring(Hub *hub, const char *call, const char *household, const char *callee,
                     const char *from);
/* Nobody answered before the ring timed out. */
/* Returns TRUE when the person was told: pushed to at least one browser, or rung on an open page
 * (which now shows the missed call). */
gboolean call_reach_missed(Hub *hub, const char *call, const char *household, const char *callee,
                           const char *from);

G_END_DECLS
