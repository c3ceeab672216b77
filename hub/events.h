/* The events the admin command and the server record for the running server (events.c). */
#pragma once

#include "hub.h"

G_BEGIN_DECLS

/* Apply events recorded since the last call (after this process changed the directory too). */
void hub_events_process(Hub *hub);

G_END_DECLS
