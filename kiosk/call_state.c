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

guint
call_state_handle(CallState *cs, CallEventId ev, const char *peer_id, gboolean auto_answer,
                  gint64 now_ms)
{
  switch (ev) {
  case CALL_EVENT_REMOTE_RANG_OUT:
  case CALL_EVENT_REMOTE_RANG_OUT_TOLD:
    return rang_out(cs, ev == CALL_EVENT_REMOTE_RANG_OUT_TOLD, now_ms);
  case CALL_EVENT_USER_CALL:
    if (is_busy(cs) || !peer_id)
      return 0;
    g_free(cs->peer_id);
    cs->peer_id = g_strdup(peer_id);
    cs->outgoing = TRUE;
    cs->end_reason = CALL_END_NONE;
    cs->redial_attempt = 0;
    return CALL_ACTION_SEND_INVITE |
           enter(cs, CALL_STATE_CALLING_OUT, now_ms, cs->timings.outgoing_timeout_ms);

  case CALL_EVENT_USER_CALL_NO_MICROPHONE:
  case CALL_EVENT_USER_CALL_NOT_CONNECTED:
    if (is_busy(cs) || !peer_id)
      return 0;
    g_free(cs->peer_id);
    cs->peer_id = g_strdup(peer_id);
    cs->outgoing = TRUE;
    cs->redial_attempt = 0;
    /* no invite: nobody rung for nothing, and the resident told why at once */
    return problem(cs,
                   ev == CALL_EVENT_USER_CALL_NO_MICROPHONE ? CALL_END_NO_MICROPHONE
                                                            : CALL_END_NOT_CONNECTED,
                   now_ms);

  case CALL_EVENT_HUB_LOST:
    /* Not "did not answer" a minute later: the call never reached anyone. A ringing call
     * keeps ringing (the hub may be back in a moment; if not it rings out as missed, which is
     * true), and a connected call lives on its media. */
    if (cs->state != CALL_STATE_CALLING_OUT)
      return 0;
    return problem(cs, CALL_END_NOT_CONNECTED, now_ms);

  case CALL_EVENT_REMOTE_INVITE_NO_MICROPHONE:
  case CALL_EVENT_REMOTE_INVITE:
    if (!peer_id)
      return 0;
    if (is_busy(cs)) {
      /* Someone else rings while we are busy: tell them, and keep a "missed" card. */
      if (cs->peer_id && g_strcmp0(cs->peer_id, peer_id) == 0)
        return 0; /* the same peer redialling: handled by the session layer */
      g_free(cs->busy_peer_id);
      cs->busy_peer_id = g_strdup(peer_id);
      return CALL_ACTION_SEND_BUSY | CALL_ACTION_RECORD_MISSED;
    }
    g_free(cs->peer_id);
    cs->peer_id = g_strdup(peer_id);
    cs->outgoing = FALSE;
    cs->peer_auto_answer = auto_answer;
    cs->end_reason = CALL_END_NONE;
    cs->redial_attempt = 0;
    if (ev == CALL_EVENT_REMOTE_INVITE_NO_MICROPHONE) /* not rung: the caller hears at once */
      return CALL_ACTION_SEND_DECLINE | CALL_ACTION_RECORD_MISSED |
             problem(cs, CALL_END_MISSED_NO_MICROPHONE, now_ms);
    if (auto_answer) {
      cs->countdown_end_ms = now_ms + cs->timings.auto_answer_ms;
      cs->countdown_shown_s = (int)((cs->timings.auto_answer_ms + 999) / 1000);
      return CALL_ACTION_START_RING |
             enter(cs, CALL_STATE_AUTO_ANSWER, now_ms, cs->timings.ring_timeout_ms);
    }
    return CALL_ACTION_START_RING |
           enter(cs, CALL_STATE_RINGING, now_ms, cs->timings.ring_timeout_ms);

  case CALL_EVENT_USER_TOUCH:
    if (cs->state == CALL_STATE_AUTO_ANSWER) {
      /* One touch stops the countdown; the call keeps ringing with Answer / Not now. */
      gint64 ring_deadline = cs->deadline_ms;
      cs->countdown_end_ms = 0;
      guint a = enter(cs, CALL_STATE_RINGING, now_ms, 0);
      cs->deadline_ms = ring_deadline;
      return a;
    }
    return 0;

  case CALL_EVENT_USER_ANSWER:
    if (!is_ringing(cs))
      return 0;
    return answer(cs, now_ms);

  case CALL_EVENT_USER_DECLINE:
    if (!is_ringing(cs))
      return 0;
    return ringing_actions_stop(cs) | CALL_ACTION_SEND_DECLINE |
           end_call(cs, CALL_END_DECLINED, now_ms);

  case CALL_EVENT_MICROPHONE_MISSING:
    if (is_ringing(cs))
      return ringing_actions_stop(cs) | CALL_ACTION_SEND_DECLINE | CALL_ACTION_RECORD_MISSED |
             problem(cs, CALL_END_MISSED_NO_MICROPHONE, now_ms);
    if (cs->state == CALL_STATE_CALLING_OUT)
      return CALL_ACTION_SEND_CANCEL | problem(cs, CALL_END_NO_MICROPHONE, now_ms);
    if (cs->state == CALL_STATE_CONNECTING)
      return connecting_no_microphone(cs, now_ms);
    return 0;

  case CALL_EVENT_USER_CANCEL:
    if (cs->state != CALL_STATE_CALLING_OUT)
      return 0;
    return CALL_ACTION_SEND_CANCEL | end_call(cs, CALL_END_CANCELLED, now_ms);

  case CALL_EVENT_USER_HANGUP:
    if (cs->state == CALL_STATE_CALLING_OUT)
      return CALL_ACTION_SEND_CANCEL | end_call(cs, CALL_END_CANCELLED, now_ms);
    if (cs->state != CALL_STATE_CONNECTING && cs->state != CALL_STATE_IN_CALL &&
        cs->state != CALL_STATE_RECONNECTING)
      return 0;
    return CALL_ACTION_SEND_HANGUP | CALL_ACTION_STOP_MEDIA |
           end_call(cs, CALL_END_HUNG_UP, now_ms);

  case CALL_EVENT_REMOTE_ACCEPTED:
    if (cs->state != CALL_STATE_CALLING_OUT)
      return 0;
    return CALL_ACTION_START_MEDIA |
           enter(cs, CALL_STATE_CONNECTING, now_ms, cs->timings.connect_timeout_ms);

  case CALL_EVENT_REMOTE_DECLINED:
    if (cs->state != CALL_STATE_CALLING_OUT)
      return 0;
    return end_call(cs, CALL_END_REMOTE_DECLINED, now_ms);

  case CALL_EVENT_REMOTE_DECLINED_NO_WEBRTC:
    if (cs->state != CALL_STATE_CALLING_OUT)
      return 0;
    return problem(cs, CALL_END_REMOTE_NO_WEBRTC, now_ms);

  case CALL_EVENT_REMOTE_BUSY:
    if (cs->state != CALL_STATE_CALLING_OUT)
      return 0;
    return end_call(cs, CALL_END_BUSY, now_ms);

  case CALL_EVENT_REMOTE_CANCELLED:
    if (!is_ringing(cs))
      return 0;
    return ringing_actions_stop(cs) | CALL_ACTION_RECORD_MISSED |
           end_call(cs, CALL_END_MISSED, now_ms);

  case CALL_EVENT_REMOTE_HANGUP:
    if (is_ringing(cs))
      return ringing_actions_stop(cs) | CALL_ACTION_RECORD_MISSED |
             end_call(cs, CALL_END_MISSED, now_ms);
    if (cs->state == CALL_STATE_CALLING_OUT)
      return end_call(cs, CALL_END_REMOTE_DECLINED, now_ms);
    if (cs->state != CALL_STATE_CONNECTING && cs->state != CALL_STATE_IN_CALL &&
        cs->state != CALL_STATE_RECONNECTING)
      return 0;
    return CALL_ACTION_STOP_MEDIA | end_call(cs, CALL_END_REMOTE_HUNG_UP, now_ms);

  case CALL_EVENT_CALL_GONE:
    if (cs->state != CALL_STATE_CONNECTING && cs->state != CALL_STATE_IN_CALL &&
        cs->state != CALL_STATE_RECONNECTING)
      return 0;
    /* nothing to send: the hub has already ended it */
    return CALL_ACTION_STOP_MEDIA | end_call(cs, CALL_END_LOST, now_ms);

  case CALL_EVENT_MEDIA_CONNECTED:
    if (cs->state != CALL_STATE_CONNECTING && cs->state != CALL_STATE_RECONNECTING)
      return 0;
    cs->redial_attempt = 0;
    cs->reconnect_started_ms = 0;
    return enter(cs, CALL_STATE_IN_CALL, now_ms, 0);

  case CALL_EVENT_MEDIA_FAILED:
    if (cs->state == CALL_STATE_IN_CALL || cs->state == CALL_STATE_CONNECTING) {
      cs->reconnect_started_ms = now_ms;
      cs->redial_attempt = 0;
      /* Tear the old session down whole; redial after a short pause. */
      return CALL_ACTION_STOP_MEDIA | enter(cs, CALL_STATE_RECONNECTING, now_ms, 1000);
    }
    if (cs->state == CALL_STATE_RECONNECTING) {
      guint a = CALL_ACTION_STOP_MEDIA;
      gint64 backoff = MIN((gint64)1000 << MIN(cs->redial_attempt, 4), 10000);
      cs->deadline_ms = now_ms + backoff;
      return a;
    }
    return 0;
  }
  return 0;
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
