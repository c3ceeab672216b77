/* Calls that outlive a kiosk's dropped hub socket and a hub restart.
 *
 * Media flows peer to peer, so neither a network blackout of the signalling socket nor a hub
 * restart need end a call. When a kiosk's socket drops mid-call the hub keeps the call for
 * `call_resume_grace_s` (the kiosk redials for as long); an answered call still open in the
 * call log when the hub starts is taken up again for as long. A side that comes back sends
 * `call.resume` (or any message of that call) and is attached again; if a side is still away
 * when the time is up, the call ends as `peer_lost` and whoever is connected is told. */
#pragma once

#include "hub.h"

/* At start: closes the call log's rows that can no longer be live (ringing, or older than a
 * few hours) as `hub_stopped`, and takes up the answered ones, waiting for both sides. */
void call_survival_restore(Hub *hub);

/* A connection of `call` went away. TRUE when the call is kept waiting for that side (an
 * answered call, a kiosk's connection); FALSE: calls.c ends it as before. */
gboolean call_survival_detach(Call *call, Conn *c);

/* A message of `call` (may be NULL) from `c`: if c's side is away, c takes its place. */
void call_survival_adopt(Call *call, Conn *c);

/* `call.resume`: ok when the call still lives and c is a side of it, else `not_found`. */
void call_survival_resume(Conn *c, VpMessage *m);
