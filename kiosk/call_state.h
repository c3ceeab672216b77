/* The call state machine of the kiosk: pure logic, no SDL, no sockets, no clock of its own.
 *
 * The caller feeds events with the current monotonic time in milliseconds and receives the
 * actions to carry out (ring, send an answer, start the media session, ...). Timers are
 * deadlines: call_state_next_deadline() says when call_state_tick() must be called next.
 * This keeps every timing rule (ring ≥ 45 s, auto-answer countdown, redial backoff) testable
 * without waiting for real time. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  CALL_STATE_IDLE,
  CALL_STATE_CALLING_OUT, /* we asked the hub to ring someone */
  CALL_STATE_RINGING,     /* someone rings us; Answer / Not now */
  CALL_STATE_AUTO_ANSWER, /* ringing with a visible, audible countdown to answer */
  CALL_STATE_CONNECTING,  /* both agreed; media being set up */
  CALL_STATE_IN_CALL,
  CALL_STATE_RECONNECTING, /* network dropped; redialling while both still want the call */
  CALL_STATE_ENDED,        /* a short plain sentence ("Anna is busy"), then home */
} CallStateId;

typedef enum {
  CALL_END_NONE,
  CALL_END_HUNG_UP, /* we hung up */
  CALL_END_REMOTE_HUNG_UP,
  CALL_END_CANCELLED, /* we cancelled before an answer */
  CALL_END_DECLINED,  /* we said "Not now" */
  CALL_END_REMOTE_DECLINED,
  CALL_END_BUSY,                 /* the other side is in another call */
  CALL_END_NO_ANSWER,            /* our outgoing call rang out */
  CALL_END_MISSED,               /* an incoming call rang out or the caller gave up */
  CALL_END_LOST,                 /* reconnecting gave up */
  CALL_END_NO_MICROPHONE,        /* we wanted to call, but there is no microphone: nobody rung */
  CALL_END_MISSED_NO_MICROPHONE, /* someone called while there is no microphone: declined */
  CALL_END_REMOTE_NO_WEBRTC,     /* we called; their browser cannot make video calls */
  CALL_END_NOT_CONNECTED,  /* the kiosk cannot reach the hub: nobody was rung (never "declined") */
  CALL_END_NO_ANSWER_TOLD, /* our call rang out and the hub told the person we called */
} CallEndReason;

typedef enum {
  CALL_EVENT_USER_CALL, /* resident touched a tile; arg: person id */
  CALL_EVENT_USER_CANCEL,
  CALL_EVENT_USER_ANSWER,
  CALL_EVENT_USER_DECLINE,
  CALL_EVENT_USER_HANGUP,
  CALL_EVENT_USER_TOUCH,    /* any touch: stops an auto-answer countdown */
  CALL_EVENT_REMOTE_INVITE, /* arg: person id; auto_answer: consent recorded */
  CALL_EVENT_REMOTE_ACCEPTED,
  CALL_EVENT_REMOTE_DECLINED,
  CALL_EVENT_REMOTE_BUSY,
  CALL_EVENT_REMOTE_CANCELLED,
  CALL_EVENT_REMOTE_HANGUP,
  CALL_EVENT_MEDIA_CONNECTED,
  CALL_EVENT_MEDIA_FAILED, /* network lost or ICE failed */
  /* USER_CALL and REMOTE_INVITE when the kiosk has no microphone: say so, never ring */
  CALL_EVENT_USER_CALL_NO_MICROPHONE,
  CALL_EVENT_REMOTE_INVITE_NO_MICROPHONE,
  /* The microphone could not be known when the call began (the media engine was still
   * starting, the kiosk's first second) and has now been found missing: a ringing call is
   * declined as REMOTE_INVITE_NO_MICROPHONE would have, a call going out is cancelled. */
  CALL_EVENT_MICROPHONE_MISSING,
  /* The person we call declined at once with `no_webrtc`: their browser cannot make video
   * calls, so nobody there was asked to answer. */
  CALL_EVENT_REMOTE_DECLINED_NO_WEBRTC,
  /* USER_CALL while the kiosk cannot reach the hub: nobody can be rung, say so at once */
  CALL_EVENT_USER_CALL_NOT_CONNECTED,
  /* the hub connection went away: a call still going out cannot reach anyone */
  CALL_EVENT_HUB_LOST,
  /* the hub: our call rang out (call.missed); _TOLD: the person was told (pushed or shown) */
  CALL_EVENT_REMOTE_RANG_OUT,
  CALL_EVENT_REMOTE_RANG_OUT_TOLD,
  /* the hub says the call is over while we are still in it (the other side never came back
   * after a blackout or a hub restart, or the call ended while we were away): "cut off" */
  CALL_EVENT_CALL_GONE,
} CallEventId;

typedef enum {
  CALL_ACTION_START_RING = 1 << 0,
  CALL_ACTION_STOP_RING = 1 << 1,
  CALL_ACTION_SEND_INVITE = 1 << 2,
  CALL_ACTION_SEND_CANCEL = 1 << 3,
  CALL_ACTION_SEND_ACCEPT = 1 << 4,
  CALL_ACTION_SEND_DECLINE = 1 << 5,
  CALL_ACTION_SEND_BUSY = 1 << 6,
  CALL_ACTION_SEND_HANGUP = 1 << 7,
  CALL_ACTION_START_MEDIA = 1 << 8,
  CALL_ACTION_STOP_MEDIA = 1 << 9,
  CALL_ACTION_RECORD_MISSED = 1 << 10,  /* store "X called at HH:MM" for the messages screen */
  CALL_ACTION_COUNTDOWN_TICK = 1 << 11, /* a second of the auto-answer countdown passed: beep */
  CALL_ACTION_REDIAL = 1 << 12,         /* set up a new session with the same person */
  CALL_ACTION_SCREEN_CHANGED = 1 << 13,
} CallActions;

typedef struct {
  gint64 ring_timeout_ms;      /* incoming ring before it counts as missed (≥ 45 000) */
  gint64 outgoing_timeout_ms;  /* our outgoing call rings this long */
  gint64 auto_answer_ms;       /* countdown length (default 10 000) */
  gint64 connect_timeout_ms;   /* media must connect within this */
  gint64 reconnect_give_up_ms; /* stop redialling after this long */
  gint64 ended_display_ms;     /* how long the "ended" sentence stays */
  gint64 problem_display_ms;   /* a longer sentence about a problem (no microphone) stays longer */
} CallTimings;

typedef struct {
  CallStateId state;
  CallEndReason end_reason;
  char *peer_id; /* the other person; NULL when idle */
  gboolean outgoing;
  gboolean peer_auto_answer; /* consent recorded for this caller */
  gint64 state_since_ms;
  gint64 deadline_ms;      /* 0: none */
  gint64 countdown_end_ms; /* auto-answer */
  int countdown_shown_s;   /* last whole second announced */
  gint64 reconnect_started_ms;
  int redial_attempt;
  char *busy_peer_id; /* last caller we answered "busy" to (for the missed record) */
  CallTimings timings;
} CallState;

void call_timings_default(CallTimings *t);
void call_state_init(CallState *cs, const CallTimings *timings);
void call_state_clear(CallState *cs);

/* Feeds one event. peer_id is for USER_CALL and REMOTE_INVITE (else NULL); auto_answer only
 * for REMOTE_INVITE. Returns the CallActions to perform, in bit order. */
guint call_state_handle(CallState *cs, CallEventId ev, const char *peer_id, gboolean auto_answer,
                        gint64 now_ms);

/* The resident left the "call ended" sentence early (Home): back to idle. */
void call_state_dismiss(CallState *cs);

/* Fires due timers. Returns CallActions. */
guint call_state_tick(CallState *cs, gint64 now_ms);

/* When call_state_tick must next run (absolute ms), or 0 if no timer is pending. */
gint64 call_state_next_deadline(const CallState *cs);

/* Whole seconds left on the auto-answer countdown (rounded up), or -1. */
int call_state_countdown_left_s(const CallState *cs, gint64 now_ms);

const char *call_state_name(CallStateId s);
const char *call_end_reason_name(CallEndReason r);

G_END_DECLS
