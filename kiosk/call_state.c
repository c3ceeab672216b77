#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/call_state.h"

#include <string.h>

void
call_timings_default(CallTimings *t)
{
  t->ring_timeout_ms = 60000;
  t->outgoing_timeout_ms = 60000;
  t->auto_answer_ms = 10000;
  t->connect_timeout_ms = 20000;
  t->reconnect_give_up_ms = 90000;
  t->ended_display_ms = 5000;
  t->problem_display_ms = 30000;
}

void
call_state_init(CallState *cs, const CallTimings *timings)
{
  memset(cs, 0, sizeof *cs);
  if (timings)
    cs->timings = *timings;
  else
    call_timings_default(&cs->timings);
  /* UX.md: ringing loud and long, at least 45 s. */
  if (cs->timings.ring_timeout_ms < 45000)
    cs->timings.ring_timeout_ms = 45000;
  cs->state = CALL_STATE_IDLE;
}

void
call_state_clear(CallState *cs)
{
  g_clear_pointer(&cs->peer_id, g_free);
  g_clear_pointer(&cs->busy_peer_id, g_free);
}

static guint
enter(CallState *cs, CallStateId s, gint64 now_ms, gint64 timeout_ms)
{
  cs->state = s;
  cs->state_since_ms = now_ms;
  cs->deadline_ms = timeout_ms > 0 ? now_ms + timeout_ms : 0;
  return CALL_ACTION_SCREEN_CHANGED;
}

static guint
end_call(CallState *cs, CallEndReason why, gint64 now_ms)
{
  cs->end_reason = why;
  cs->countdown_end_ms = 0;
  return enter(cs, CALL_STATE_ENDED, now_ms, cs->timings.ended_display_ms);
}

/* Ended by a problem the resident should read and a helper fix: the sentence stays longer. */
static guint
problem(CallState *cs, CallEndReason why, gint64 now_ms)
{
  guint a = end_call(cs, why, now_ms);
  cs->deadline_ms = now_ms + MAX(cs->timings.problem_display_ms, cs->timings.ended_display_ms);
  return a;
}

static guint
ringing_actions_stop(CallState *cs)
{
  (void)cs;
  return CALL_ACTION_STOP_RING;
}

static guint
answer(CallState *cs, gint64 now_ms)
{
  guint a = ringing_actions_stop(cs) | CALL_ACTION_SEND_ACCEPT | CALL_ACTION_START_MEDIA;
  cs->countdown_end_ms = 0;
  return a | enter(cs, CALL_STATE_CONNECTING, now_ms, cs->timings.connect_timeout_ms);
}

/* A call answered or accepted while the engine was still starting, and the microphone is then
 * found missing: the session was never started (the kiosk drops the pending one), so no media
 * failure would ever come. End it with the plain sentence rather than "Connecting…" for ever,
 * and tell the other side, who has already taken the call. */
static guint
connecting_no_microphone(CallState *cs, gint64 now_ms)
{
  guint a = CALL_ACTION_SEND_HANGUP | CALL_ACTION_STOP_MEDIA;
  if (cs->outgoing)
    return a | problem(cs, CALL_END_NO_MICROPHONE, now_ms);
  return a | CALL_ACTION_RECORD_MISSED | problem(cs, CALL_END_MISSED_NO_MICROPHONE, now_ms);
}

static gboolean
is_ringing(const CallState *cs)
{
  return cs->state == CALL_STATE_RINGING || cs->state == CALL_STATE_AUTO_ANSWER;
}

static gboolean
is_busy(const CallState *cs)
{
  return cs->state != CALL_STATE_IDLE && cs->state != CALL_STATE_ENDED;
}

/* The hub says our call rang out: nobody answered — not "cannot talk", which is a decline. */
static guint
rang_out(CallState *cs, gboolean told, gint64 now_ms)
{
  if (cs->state != CALL_STATE_CALLING_OUT)
    return 0;
  return end_call(cs, told ? CALL_END_NO_ANSWER_TOLD : CALL_END_NO_ANSWER, now_ms);
}

/* One event as call_state_handle() receives it. */
typedef struct {
  CallEventId id;
  const char *peer_id;
  gboolean auto_answer;
  gint64 now_ms;
} Event;

/* connecting, connected, or redialling: a call with a media session */
static gboolean
has_media(const CallState *cs)
{
  return cs->state == CALL_STATE_CONNECTING || cs->state == CALL_STATE_IN_CALL ||
         cs->state == CALL_STATE_RECONNECTING;
}

static guint
on_rang_out(CallState *cs, const Event *e)
{
  return rang_out(cs, e->id == CALL_EVENT_REMOTE_RANG_OUT_TOLD, e->now_ms);
}

static guint
on_user_call(CallState *cs, const Event *e)
{
  if (is_busy(cs) || !e->peer_id)
    return 0;
  g_free(cs->peer_id);
  cs->peer_id = g_strdup(e->peer_id);
  cs->outgoing = TRUE;
  cs->end_reason = CALL_END_NONE;
  cs->redial_attempt = 0;
  return CALL_ACTION_SEND_INVITE |
         enter(cs, CALL_STATE_CALLING_OUT, e->now_ms, cs->timings.outgoing_timeout_ms);
}

/* no microphone, or no hub */
static guint
on_user_call_impossible(CallState *cs, const Event *e)
{
  if (is_busy(cs) || !e->peer_id)
    return 0;
  g_free(cs->peer_id);
  cs->peer_id = g_strdup(e->peer_id);
  cs->outgoing = TRUE;
  cs->redial_attempt = 0;
  /* no invite: nobody rung for nothing, and the resident told why at once */
  return problem(cs,
                 e->id == CALL_EVENT_USER_CALL_NO_MICROPHONE ? CALL_END_NO_MICROPHONE
                                                             : CALL_END_NOT_CONNECTED,
                 e->now_ms);
}

/* Not "did not answer" a minute later: the call never reached anyone. A ringing call keeps
 * ringing (the hub may be back in a moment; if not it rings out as missed, which is true), and a
 * connected call lives on its media. */
static guint
on_hub_lost(CallState *cs, const Event *e)
{
  if (cs->state != CALL_STATE_CALLING_OUT)
    return 0;
  return problem(cs, CALL_END_NOT_CONNECTED, e->now_ms);
}

static guint
on_remote_invite(CallState *cs, const Event *e)
{
  if (!e->peer_id)
    return 0;
  if (is_busy(cs)) {
    /* Someone else rings while we are busy: tell them, and keep a "missed" card. */
    if (cs->peer_id && g_strcmp0(cs->peer_id, e->peer_id) == 0)
      return 0; /* the same peer redialling: handled by the session layer */
    g_free(cs->busy_peer_id);
    cs->busy_peer_id = g_strdup(e->peer_id);
    return CALL_ACTION_SEND_BUSY | CALL_ACTION_RECORD_MISSED;
  }
  g_free(cs->peer_id);
  cs->peer_id = g_strdup(e->peer_id);
  cs->outgoing = FALSE;
  cs->peer_auto_answer = e->auto_answer;
  cs->end_reason = CALL_END_NONE;
  cs->redial_attempt = 0;
  if (e->id == CALL_EVENT_REMOTE_INVITE_NO_MICROPHONE) /* not rung: the caller hears at once */
    return CALL_ACTION_SEND_DECLINE | CALL_ACTION_RECORD_MISSED |
           problem(cs, CALL_END_MISSED_NO_MICROPHONE, e->now_ms);
  if (e->auto_answer) {
    cs->countdown_end_ms = e->now_ms + cs->timings.auto_answer_ms;
    cs->countdown_shown_s = (int)((cs->timings.auto_answer_ms + 999) / 1000);
    return CALL_ACTION_START_RING |
           enter(cs, CALL_STATE_AUTO_ANSWER, e->now_ms, cs->timings.ring_timeout_ms);
  }
  return CALL_ACTION_START_RING |
         enter(cs, CALL_STATE_RINGING, e->now_ms, cs->timings.ring_timeout_ms);
}

static guint
on_user_touch(CallState *cs, const Event *e)
{
  if (cs->state != CALL_STATE_AUTO_ANSWER)
    return 0;
  /* One touch stops the countdown; the call keeps ringing with Answer / Not now. */
  gint64 ring_deadline = cs->deadline_ms;
  cs->countdown_end_ms = 0;
  guint a = enter(cs, CALL_STATE_RINGING, e->now_ms, 0);
  cs->deadline_ms = ring_deadline;
  return a;
}

static guint
on_user_answer(CallState *cs, const Event *e)
{
  if (!is_ringing(cs))
    return 0;
  return answer(cs, e->now_ms);
}

static guint
on_user_decline(CallState *cs, const Event *e)
{
  if (!is_ringing(cs))
    return 0;
  return ringing_actions_stop(cs) | CALL_ACTION_SEND_DECLINE |
         end_call(cs, CALL_END_DECLINED, e->now_ms);
}

static guint
on_microphone_missing(CallState *cs, const Event *e)
{
  if (is_ringing(cs))
    return ringing_actions_stop(cs) | CALL_ACTION_SEND_DECLINE | CALL_ACTION_RECORD_MISSED |
           problem(cs, CALL_END_MISSED_NO_MICROPHONE, e->now_ms);
  if (cs->state == CALL_STATE_CALLING_OUT)
    return CALL_ACTION_SEND_CANCEL | problem(cs, CALL_END_NO_MICROPHONE, e->now_ms);
  if (cs->state == CALL_STATE_CONNECTING)
    return connecting_no_microphone(cs, e->now_ms);
  return 0;
}

static guint
on_user_cancel(CallState *cs, const Event *e)
{
  if (cs->state != CALL_STATE_CALLING_OUT)
    return 0;
  return CALL_ACTION_SEND_CANCEL | end_call(cs, CALL_END_CANCELLED, e->now_ms);
}

static guint
on_user_hangup(CallState *cs, const Event *e)
{
  if (cs->state == CALL_STATE_CALLING_OUT)
    return CALL_ACTION_SEND_CANCEL | end_call(cs, CALL_END_CANCELLED, e->now_ms);
  if (!has_media(cs))
    return 0;
  return CALL_ACTION_SEND_HANGUP | CALL_ACTION_STOP_MEDIA |
         end_call(cs, CALL_END_HUNG_UP, e->now_ms);
}

static guint
on_remote_accepted(CallState *cs, const Event *e)
{
  if (cs->state != CALL_STATE_CALLING_OUT)
    return 0;
  return CALL_ACTION_START_MEDIA |
         enter(cs, CALL_STATE_CONNECTING, e->now_ms, cs->timings.connect_timeout_ms);
}

/* declined, declined for want of WebRTC, or busy: the call going out ends */
static guint
on_remote_refused(CallState *cs, const Event *e)
{
  if (cs->state != CALL_STATE_CALLING_OUT)
    return 0;
  if (e->id == CALL_EVENT_REMOTE_DECLINED_NO_WEBRTC)
    return problem(cs, CALL_END_REMOTE_NO_WEBRTC, e->now_ms);
  return end_call(cs, e->id == CALL_EVENT_REMOTE_BUSY ? CALL_END_BUSY : CALL_END_REMOTE_DECLINED,
                  e->now_ms);
}

static guint
on_remote_cancelled(CallState *cs, const Event *e)
{
  if (!is_ringing(cs))
    return 0;
  return ringing_actions_stop(cs) | CALL_ACTION_RECORD_MISSED |
         end_call(cs, CALL_END_MISSED, e->now_ms);
}

static guint
on_remote_hangup(CallState *cs, const Event *e)
{
  if (is_ringing(cs))
    return ringing_actions_stop(cs) | CALL_ACTION_RECORD_MISSED |
           end_call(cs, CALL_END_MISSED, e->now_ms);
  if (cs->state == CALL_STATE_CALLING_OUT)
    return end_call(cs, CALL_END_REMOTE_DECLINED, e->now_ms);
  if (!has_media(cs))
    return 0;
  return CALL_ACTION_STOP_MEDIA | end_call(cs, CALL_END_REMOTE_HUNG_UP, e->now_ms);
}

static guint
on_call_gone(CallState *cs, const Event *e)
{
  if (!has_media(cs))
    return 0;
  /* nothing to send: the hub has already ended it */
  return CALL_ACTION_STOP_MEDIA | end_call(cs, CALL_END_LOST, e->now_ms);
}

static guint
on_media_connected(CallState *cs, const Event *e)
{
  if (cs->state != CALL_STATE_CONNECTING && cs->state != CALL_STATE_RECONNECTING)
    return 0;
  cs->redial_attempt = 0;
  cs->reconnect_started_ms = 0;
  return enter(cs, CALL_STATE_IN_CALL, e->now_ms, 0);
}

static guint
on_media_failed(CallState *cs, const Event *e)
{
  if (cs->state == CALL_STATE_IN_CALL || cs->state == CALL_STATE_CONNECTING) {
    cs->reconnect_started_ms = e->now_ms;
    cs->redial_attempt = 0;
    /* Tear the old session down whole; redial after a short pause. */
    return CALL_ACTION_STOP_MEDIA | enter(cs, CALL_STATE_RECONNECTING, e->now_ms, 1000);
  }
  if (cs->state == CALL_STATE_RECONNECTING) {
    gint64 backoff = MIN((gint64)1000 << MIN(cs->redial_attempt, 4), 10000);
    cs->deadline_ms = e->now_ms + backoff;
    return CALL_ACTION_STOP_MEDIA;
  }
  return 0;
}

/* Each event's transitions, in the order of call_state.h. */
static guint (*const on_event[])(CallState *cs, const Event *e) = {
    [CALL_EVENT_USER_CALL] = on_user_call,
    [CALL_EVENT_USER_CANCEL] = on_user_cancel,
    [CALL_EVENT_USER_ANSWER] = on_user_answer,
    [CALL_EVENT_USER_DECLINE] = on_user_decline,
    [CALL_EVENT_USER_HANGUP] = on_user_hangup,
    [CALL_EVENT_USER_TOUCH] = on_user_touch,
    [CALL_EVENT_REMOTE_INVITE] = on_remote_invite,
    [CALL_EVENT_REMOTE_ACCEPTED] = on_remote_accepted,
    [CALL_EVENT_REMOTE_DECLINED] = on_remote_refused,
    [CALL_EVENT_REMOTE_BUSY] = on_remote_refused,
    [CALL_EVENT_REMOTE_CANCELLED] = on_remote_cancelled,
    [CALL_EVENT_REMOTE_HANGUP] = on_remote_hangup,
    [CALL_EVENT_MEDIA_CONNECTED] = on_media_connected,
    [CALL_EVENT_MEDIA_FAILED] = on_media_failed,
    [CALL_EVENT_USER_CALL_NO_MICROPHONE] = on_user_call_impossible,
    [CALL_EVENT_REMOTE_INVITE_NO_MICROPHONE] = on_remote_invite,
    [CALL_EVENT_MICROPHONE_MISSING] = on_microphone_missing,
    [CALL_EVENT_REMOTE_DECLINED_NO_WEBRTC] = on_remote_refused,
    [CALL_EVENT_USER_CALL_NOT_CONNECTED] = on_user_call_impossible,
    [CALL_EVENT_HUB_LOST] = on_hub_lost,
    [CALL_EVENT_REMOTE_RANG_OUT] = on_rang_out,
    [CALL_EVENT_REMOTE_RANG_OUT_TOLD] = on_rang_out,
    [CALL_EVENT_CALL_GONE] = on_call_gone,
};

guint
call_state_handle(CallState *cs, CallEventId ev, const char *peer_id, gboolean auto_answer,
                  gint64 now_ms)
{
  Event e = {ev, peer_id, auto_answer, now_ms};
  if ((guint)ev >= G_N_ELEMENTS(on_event) || !on_event[ev])
    return 0;
  return on_event[ev](cs, &e);
}

void
call_state_dismiss(CallState *cs)
{
  if (cs->state != CALL_STATE_ENDED)
    return;
  cs->state = CALL_STATE_IDLE;
  cs->deadline_ms = 0;
  cs->end_reason = CALL_END_NONE;
  g_clear_pointer(&cs->peer_id, g_free);
}

guint
call_state_tick(CallState *cs, gint64 now_ms)
{
  guint actions = 0;
  if (cs->state == CALL_STATE_AUTO_ANSWER && cs->countdown_end_ms) {
    if (now_ms >= cs->countdown_end_ms)
      return answer(cs, now_ms);
    int left = call_state_countdown_left_s(cs, now_ms);
    if (left < cs->countdown_shown_s) {
      cs->countdown_shown_s = left;
      actions |= CALL_ACTION_COUNTDOWN_TICK | CALL_ACTION_SCREEN_CHANGED;
    }
  }
  if (!cs->deadline_ms || now_ms < cs->deadline_ms)
    return actions;

  switch (cs->state) {
  case CALL_STATE_RINGING:
  case CALL_STATE_AUTO_ANSWER:
    return actions | CALL_ACTION_STOP_RING | CALL_ACTION_SEND_DECLINE | CALL_ACTION_RECORD_MISSED |
           end_call(cs, CALL_END_MISSED, now_ms);
  case CALL_STATE_CALLING_OUT:
    return actions | CALL_ACTION_SEND_CANCEL | end_call(cs, CALL_END_NO_ANSWER, now_ms);
  case CALL_STATE_CONNECTING:
    cs->reconnect_started_ms = now_ms;
    cs->redial_attempt = 0;
    return actions | CALL_ACTION_STOP_MEDIA | enter(cs, CALL_STATE_RECONNECTING, now_ms, 1000);
  case CALL_STATE_RECONNECTING:
    if (now_ms - cs->reconnect_started_ms >= cs->timings.reconnect_give_up_ms)
      return actions | CALL_ACTION_SEND_HANGUP | CALL_ACTION_STOP_MEDIA |
             end_call(cs, CALL_END_LOST, now_ms);
    cs->redial_attempt++;
    /* Wait for the new session to connect; a failure sets the next backoff. */
    cs->deadline_ms = now_ms + cs->timings.connect_timeout_ms;
    return actions | CALL_ACTION_REDIAL;
  case CALL_STATE_ENDED: {
    guint a = enter(cs, CALL_STATE_IDLE, now_ms, 0);
    g_clear_pointer(&cs->peer_id, g_free);
    cs->end_reason = CALL_END_NONE;
    return actions | a;
  }
  default:
    cs->deadline_ms = 0;
    return actions;
  }
}

gint64
call_state_next_deadline(const CallState *cs)
{
  gint64 d = cs->deadline_ms;
  if (cs->state == CALL_STATE_AUTO_ANSWER && cs->countdown_end_ms) {
    /* Wake at each whole second of the countdown so the screen and the beep follow it. */
    gint64 next = cs->countdown_end_ms - (gint64)(cs->countdown_shown_s - 1) * 1000;
    if (next > cs->countdown_end_ms)
      next = cs->countdown_end_ms;
    if (!d || next < d)
      d = next;
  }
  return d;
}

int
call_state_countdown_left_s(const CallState *cs, gint64 now_ms)
{
  if (cs->state != CALL_STATE_AUTO_ANSWER || !cs->countdown_end_ms)
    return -1;
  gint64 left = cs->countdown_end_ms - now_ms;
  if (left <= 0)
    return 0;
  return (int)((left + 999) / 1000);
}

const char *
call_state_name(CallStateId s)
{
  static const char *names[] = {"idle",       "calling-out", "ringing",      "auto-answer",
                                "connecting", "in-call",     "reconnecting", "ended"};
  return s <= CALL_STATE_ENDED ? names[s] : "?";
}

const char *
call_end_reason_name(CallEndReason r)
{
  static const char *names[] = {"none",
                                "hung-up",
                                "remote-hung-up",
                                "cancelled",
                                "declined",
                                "remote-declined",
                                "busy",
                                "no-answer",
                                "missed",
                                "lost",
                                "no-microphone",
                                "missed-no-microphone",
                                "remote-no-webrtc",
                                "not-connected",
                                "no-answer-told"};
  return r <= CALL_END_NO_ANSWER_TOLD ? names[r] : "?";
}
