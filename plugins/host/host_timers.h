/* Timers a plugin sets, due by the kiosk's clock (which tests and the tour move): one GLib
 * timeout for the soonest; a due timer is sent to its runner as a "timer" call. */
#pragma once

#include "host_private.h"

/* The "timer" service: {"timer": id, "at": seconds} sets or moves it, "at" < 0 clears it. */
void host_timers_set(Plugin *p, JsonObject *msg);
void host_timers_fire_due(VinduPluginHost *host);
void host_timers_arm(VinduPluginHost *host);
/* Forget every timer of `p` (its runner faulted: a restarted one sets its own again). */
void host_timers_drop(Plugin *p);
