/* A call that outlives the kiosk's hub connection (see hub/call_survival.c): when the kiosk is
 * signed in again mid-call it asks the hub whether the call still lives (`call.resume`), and a
 * call the hub has ended — `not_found` to that question, or `call.hangup` reason `peer_lost` —
 * ends here as "cut off" at once instead of redialling into nothing. A hang-up the resident gave
 * while the hub was away is sent again on the next sign-in, and signalling for a call that has
 * ended here is answered with a hang-up, so the other side is never left in the call. */
#pragma once

#include "kiosk/call_state.h"
#include "protocol/protocol.h"

G_BEGIN_DECLS

/* What to send right after sign-in for the call `call_id` (may be NULL) in state `cs`:
 * `call.resume` while in the call, `call.hangup` just after the resident hung up, else NULL.
 * (transfer full) */
VpMessage *vk_call_resume_on_signed_in(const CallState *cs, const char *call_id);

/* An `error` frame answering our resume / repeated hang-up: TRUE if it was one (consumed);
 * *gone is set when the call must end here (CALL_EVENT_CALL_GONE). */
gboolean vk_call_resume_refused(const CallState *cs, const char *call_id, const char *re,
                                const char *code, gboolean *gone);

/* The event for a `call.hangup` from the hub: CALL_GONE for peer_lost (the other side never
 * came back: "cut off", not "hung up"), else REMOTE_HANGUP. */
CallEventId vk_call_resume_hangup_event(VpMessage *hangup);

/* A `call.sdp` of our call (a redial's offer or answer) (or NULL) while the call has ended here:
 * the hang-up to answer it with, so the other side stops redialling. (transfer full) */
VpMessage *vk_call_resume_answer_stale(const CallState *cs, const char *call_id, VpMessage *m);

G_END_DECLS
