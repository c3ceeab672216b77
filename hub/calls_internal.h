/* One call as the hub keeps it in memory (call.c), shared by calls.c (signalling) and
 * call_survival.c (a call outliving a kiosk's dropped socket and a hub restart); presence.c reads
 * whether a subject is in an answered call. Not for other files. */
#pragma once

#include "hub.h"

typedef enum { CALL_RINGING, CALL_ACTIVE } CallState;

struct _Call {
  Hub *hub;
  char *id;
  char *household;
  char *caller;
  char *callee;
  char *caller_name; /* for pushes to a callee whose page is closed (call_reach.c) */
  Conn *caller_conn;
  Conn *callee_conn;    /* set on accept; while ringing every callee connection rings */
  GPtrArray *no_webrtc; /* callee connections that declined `no_webrtc`: they cannot answer */
  CallState state;
  guint ring_timer;
  guint resume_timer; /* a side is away (call_survival.c): the call ends if it is not back */
};

/* call.c. Ends the call: logs the outcome, forgets it and frees it. */
void calls_end_call(Call *call, const char *outcome);
/* A new message of `type` naming the call. (transfer full) */
VpMessage *calls_new_msg(VpType type, Call *call);
/* Sends to the callee side: the accepted connection, or all of the callee's connections. */
void calls_send_to_callee(Call *call, VpMessage *m, Conn *except);
