/* The call state machine: every path the resident can meet, with time fed by hand. */
#include "check_main.h"

#include "kiosk/call_state.h"

static CallState cs;

static void
setup(void)
{
  call_state_init(&cs, NULL);
}

static void
teardown(void)
{
  call_state_clear(&cs);
}

START_TEST(ring_answer_in_call_hang_up)
{
  guint a = call_state_handle(&cs, CALL_EVENT_REMOTE_INVITE, "anna", FALSE, 1000);
  ck_assert_int_eq(cs.state, CALL_STATE_RINGING);
  ck_assert(a & CALL_ACTION_START_RING);
  ck_assert_str_eq(cs.peer_id, "anna");
  a = call_state_handle(&cs, CALL_EVENT_USER_ANSWER, NULL, FALSE, 3000);
  ck_assert_int_eq(cs.state, CALL_STATE_CONNECTING);
  ck_assert(a & CALL_ACTION_STOP_RING);
  ck_assert(a & CALL_ACTION_SEND_ACCEPT);
  ck_assert(a & CALL_ACTION_START_MEDIA);
  a = call_state_handle(&cs, CALL_EVENT_MEDIA_CONNECTED, NULL, FALSE, 4000);
  ck_assert_int_eq(cs.state, CALL_STATE_IN_CALL);
  ck_assert_int_eq(call_state_next_deadline(&cs), 0);
  a = call_state_handle(&cs, CALL_EVENT_USER_HANGUP, NULL, FALSE, 60000);
  ck_assert_int_eq(cs.state, CALL_STATE_ENDED);
  ck_assert_int_eq(cs.end_reason, CALL_END_HUNG_UP);
  ck_assert(a & CALL_ACTION_SEND_HANGUP);
  ck_assert(a & CALL_ACTION_STOP_MEDIA);
  /* the "ended" sentence goes home by itself */
  gint64 d = call_state_next_deadline(&cs);
  ck_assert_int_gt(d, 60000);
  call_state_tick(&cs, d);
  ck_assert_int_eq(cs.state, CALL_STATE_IDLE);
  ck_assert_ptr_null(cs.peer_id);
}
END_TEST

START_TEST(decline)
{
  call_state_handle(&cs, CALL_EVENT_REMOTE_INVITE, "jonas", FALSE, 0);
  guint a = call_state_handle(&cs, CALL_EVENT_USER_DECLINE, NULL, FALSE, 2000);
  ck_assert_int_eq(cs.state, CALL_STATE_ENDED);
  ck_assert_int_eq(cs.end_reason, CALL_END_DECLINED);
  ck_assert(a & CALL_ACTION_SEND_DECLINE);
  ck_assert(a & CALL_ACTION_STOP_RING);
  ck_assert(!(a & CALL_ACTION_START_MEDIA));
  ck_assert(!(a & CALL_ACTION_RECORD_MISSED));
}
END_TEST

START_TEST(busy_both_ways)
{
  /* outgoing: the other side is busy */
  guint a = call_state_handle(&cs, CALL_EVENT_USER_CALL, "anna", FALSE, 0);
  ck_assert(a & CALL_ACTION_SEND_INVITE);
  ck_assert_int_eq(cs.state, CALL_STATE_CALLING_OUT);
  call_state_handle(&cs, CALL_EVENT_REMOTE_BUSY, NULL, FALSE, 500);
  ck_assert_int_eq(cs.state, CALL_STATE_ENDED);
  ck_assert_int_eq(cs.end_reason, CALL_END_BUSY);
  call_state_tick(&cs, call_state_next_deadline(&cs));
  ck_assert_int_eq(cs.state, CALL_STATE_IDLE);

  /* incoming while in a call: the newcomer hears "busy", we keep a missed-call card */
  call_state_handle(&cs, CALL_EVENT_REMOTE_INVITE, "anna", FALSE, 10000);
  call_state_handle(&cs, CALL_EVENT_USER_ANSWER, NULL, FALSE, 11000);
  call_state_handle(&cs, CALL_EVENT_MEDIA_CONNECTED, NULL, FALSE, 12000);
  a = call_state_handle(&cs, CALL_EVENT_REMOTE_INVITE, "per", FALSE, 13000);
  ck_assert(a & CALL_ACTION_SEND_BUSY);
  ck_assert(a & CALL_ACTION_RECORD_MISSED);
  ck_assert_str_eq(cs.busy_peer_id, "per");
  ck_assert_int_eq(cs.state, CALL_STATE_IN_CALL);
  ck_assert_str_eq(cs.peer_id, "anna");
}
END_TEST

START_TEST(ring_timeout_at_least_45_s)
{
  CallTimings t;
  call_timings_default(&t);
  t.ring_timeout_ms = 5000; /* too short: the machine must refuse to ring less than 45 s */
  call_state_clear(&cs);
  call_state_init(&cs, &t);
  call_state_handle(&cs, CALL_EVENT_REMOTE_INVITE, "anna", FALSE, 0);
  ck_assert_int_ge(call_state_next_deadline(&cs), 45000);
  ck_assert_int_eq(call_state_tick(&cs, 44999) & CALL_ACTION_STOP_RING, 0);
  ck_assert_int_eq(cs.state, CALL_STATE_RINGING);
  guint a = call_state_tick(&cs, call_state_next_deadline(&cs));
  ck_assert_int_eq(cs.state, CALL_STATE_ENDED);
  ck_assert_int_eq(cs.end_reason, CALL_END_MISSED);
  ck_assert(a & CALL_ACTION_STOP_RING);
  ck_assert(a & CALL_ACTION_RECORD_MISSED);
  ck_assert(a & CALL_ACTION_SEND_DECLINE);
}
END_TEST

START_TEST(default_ring_is_long)
{
  call_state_handle(&cs, CALL_EVENT_REMOTE_INVITE, "anna", FALSE, 0);
  ck_assert_int_ge(call_state_next_deadline(&cs), 45000);
}
END_TEST

START_TEST(outgoing_no_answer)
{
  call_state_handle(&cs, CALL_EVENT_USER_CALL, "kari", FALSE, 0);
  guint a = call_state_tick(&cs, call_state_next_deadline(&cs));
  ck_assert_int_eq(cs.state, CALL_STATE_ENDED);
  ck_assert_int_eq(cs.end_reason, CALL_END_NO_ANSWER);
  ck_assert(a & CALL_ACTION_SEND_CANCEL);
}
END_TEST

START_TEST(hub_rang_out_is_no_answer_not_a_decline)
{
  call_state_handle(&cs, CALL_EVENT_USER_CALL, "anna", FALSE, 0);
  call_state_handle(&cs, CALL_EVENT_REMOTE_RANG_OUT_TOLD, NULL, FALSE, 1000);
  ck_assert_int_eq(cs.state, CALL_STATE_ENDED);
  ck_assert_int_eq(cs.end_reason, CALL_END_NO_ANSWER_TOLD);
  ck_assert_str_eq(call_end_reason_name(cs.end_reason), "no-answer-told");
  call_state_handle(&cs, CALL_EVENT_USER_CALL, "anna", FALSE, 20000);
  call_state_handle(&cs, CALL_EVENT_REMOTE_RANG_OUT, NULL, FALSE, 21000);
  ck_assert_int_eq(cs.end_reason, CALL_END_NO_ANSWER);
}
END_TEST

START_TEST(cancel_outgoing)
{
  call_state_handle(&cs, CALL_EVENT_USER_CALL, "kari", FALSE, 0);
  guint a = call_state_handle(&cs, CALL_EVENT_USER_CANCEL, NULL, FALSE, 100);
  ck_assert(a & CALL_ACTION_SEND_CANCEL);
  ck_assert_int_eq(cs.end_reason, CALL_END_CANCELLED);
  /* a late accept from the far side must not start media */
  a = call_state_handle(&cs, CALL_EVENT_REMOTE_ACCEPTED, NULL, FALSE, 200);
  ck_assert_int_eq(a, 0);
}
END_TEST

START_TEST(auto_answer_countdown_runs_out)
{
  guint a = call_state_handle(&cs, CALL_EVENT_REMOTE_INVITE, "anna", TRUE, 0);
  ck_assert_int_eq(cs.state, CALL_STATE_AUTO_ANSWER);
  ck_assert(a & CALL_ACTION_START_RING);
  ck_assert_int_eq(call_state_countdown_left_s(&cs, 0), 10);
  int beeps = 0;
  gint64 now = 0;
  while (cs.state == CALL_STATE_AUTO_ANSWER) {
    now = call_state_next_deadline(&cs);
    ck_assert_int_gt(now, 0);
    a = call_state_tick(&cs, now);
    beeps += !!(a & CALL_ACTION_COUNTDOWN_TICK);
  }
  /* audible: one beep per second; answered at 10 s exactly */
  ck_assert_int_eq(beeps, 9);
  ck_assert_int_eq(now, 10000);
  ck_assert_int_eq(cs.state, CALL_STATE_CONNECTING);
  ck_assert(a & CALL_ACTION_SEND_ACCEPT);
  ck_assert(a & CALL_ACTION_START_MEDIA);
}
END_TEST

START_TEST(auto_answer_countdown_stopped)
{
  call_state_handle(&cs, CALL_EVENT_REMOTE_INVITE, "anna", TRUE, 0);
  call_state_tick(&cs, 3000);
  ck_assert_int_eq(call_state_countdown_left_s(&cs, 3000), 7);
  guint a = call_state_handle(&cs, CALL_EVENT_USER_TOUCH, NULL, FALSE, 3500);
  ck_assert_int_eq(cs.state, CALL_STATE_RINGING);
  ck_assert(!(a & CALL_ACTION_START_MEDIA));
  ck_assert_int_eq(call_state_countdown_left_s(&cs, 3500), -1);
  /* long past the countdown: still ringing, nothing streams */
  a = call_state_tick(&cs, 20000);
  ck_assert_int_eq(cs.state, CALL_STATE_RINGING);
  ck_assert(!(a & CALL_ACTION_START_MEDIA));
  /* and the ring keeps its full length from the invite */
  ck_assert_int_ge(call_state_next_deadline(&cs), 45000);
  a = call_state_handle(&cs, CALL_EVENT_USER_ANSWER, NULL, FALSE, 21000);
  ck_assert(a & CALL_ACTION_START_MEDIA);
}
END_TEST

START_TEST(no_auto_answer_without_consent)
{
  call_state_handle(&cs, CALL_EVENT_REMOTE_INVITE, "jonas", FALSE, 0);
  guint a = call_state_tick(&cs, 15000);
  ck_assert_int_eq(cs.state, CALL_STATE_RINGING);
  ck_assert(!(a & CALL_ACTION_START_MEDIA));
}
END_TEST

START_TEST(caller_gives_up)
{
  call_state_handle(&cs, CALL_EVENT_REMOTE_INVITE, "per", FALSE, 0);
  guint a = call_state_handle(&cs, CALL_EVENT_REMOTE_CANCELLED, NULL, FALSE, 8000);
  ck_assert_int_eq(cs.end_reason, CALL_END_MISSED);
  ck_assert(a & CALL_ACTION_RECORD_MISSED);
  ck_assert(a & CALL_ACTION_STOP_RING);
}
END_TEST

START_TEST(network_drop_redials_then_recovers)
{
  call_state_handle(&cs, CALL_EVENT_USER_CALL, "anna", FALSE, 0);
  call_state_handle(&cs, CALL_EVENT_REMOTE_ACCEPTED, NULL, FALSE, 1000);
  call_state_handle(&cs, CALL_EVENT_MEDIA_CONNECTED, NULL, FALSE, 2000);
  guint a = call_state_handle(&cs, CALL_EVENT_MEDIA_FAILED, NULL, FALSE, 30000);
  ck_assert_int_eq(cs.state, CALL_STATE_RECONNECTING);
  ck_assert(a & CALL_ACTION_STOP_MEDIA);
  a = call_state_tick(&cs, call_state_next_deadline(&cs));
  ck_assert(a & CALL_ACTION_REDIAL);
  /* the new session fails too: back off, then redial again */
  a = call_state_handle(&cs, CALL_EVENT_MEDIA_FAILED, NULL, FALSE, 32000);
  ck_assert_int_eq(cs.state, CALL_STATE_RECONNECTING);
  a = call_state_tick(&cs, call_state_next_deadline(&cs));
  ck_assert(a & CALL_ACTION_REDIAL);
  a = call_state_handle(&cs, CALL_EVENT_MEDIA_CONNECTED, NULL, FALSE, 40000);
  ck_assert_int_eq(cs.state, CALL_STATE_IN_CALL);
}
END_TEST

START_TEST(network_drop_gives_up)
{
  call_state_handle(&cs, CALL_EVENT_REMOTE_INVITE, "anna", FALSE, 0);
  call_state_handle(&cs, CALL_EVENT_USER_ANSWER, NULL, FALSE, 1000);
  call_state_handle(&cs, CALL_EVENT_MEDIA_CONNECTED, NULL, FALSE, 2000);
  call_state_handle(&cs, CALL_EVENT_MEDIA_FAILED, NULL, FALSE, 10000);
  int redials = 0;
  while (cs.state == CALL_STATE_RECONNECTING) {
    gint64 d = call_state_next_deadline(&cs);
    guint a = call_state_tick(&cs, d);
    if (a & CALL_ACTION_REDIAL) {
      redials++;
      call_state_handle(&cs, CALL_EVENT_MEDIA_FAILED, NULL, FALSE, d + 500);
    }
    ck_assert_int_lt(redials, 100);
  }
  ck_assert_int_gt(redials, 1);
  ck_assert_int_eq(cs.end_reason, CALL_END_LOST);
}
END_TEST

START_TEST(remote_hangup_while_reconnecting_stops_redial)
{
  call_state_handle(&cs, CALL_EVENT_USER_CALL, "anna", FALSE, 0);
  call_state_handle(&cs, CALL_EVENT_REMOTE_ACCEPTED, NULL, FALSE, 1000);
  call_state_handle(&cs, CALL_EVENT_MEDIA_CONNECTED, NULL, FALSE, 2000);
  call_state_handle(&cs, CALL_EVENT_MEDIA_FAILED, NULL, FALSE, 3000);
  call_state_handle(&cs, CALL_EVENT_REMOTE_HANGUP, NULL, FALSE, 3500);
  ck_assert_int_eq(cs.state, CALL_STATE_ENDED);
  ck_assert_int_eq(cs.end_reason, CALL_END_REMOTE_HUNG_UP);
  ck_assert_int_eq(call_state_tick(&cs, 4000) & CALL_ACTION_REDIAL, 0);
}
END_TEST

/* The hub says the call is over (the other side never came back after a blackout or a hub
 * restart): no more redialling, "cut off", and no hang-up sent for a call the hub has ended. */
START_TEST(call_gone_while_reconnecting_ends_as_cut_off)
{
  call_state_handle(&cs, CALL_EVENT_REMOTE_INVITE, "anna", FALSE, 0);
  call_state_handle(&cs, CALL_EVENT_USER_ANSWER, NULL, FALSE, 1000);
  call_state_handle(&cs, CALL_EVENT_MEDIA_CONNECTED, NULL, FALSE, 2000);
  call_state_handle(&cs, CALL_EVENT_MEDIA_FAILED, NULL, FALSE, 3000);
  guint a = call_state_handle(&cs, CALL_EVENT_CALL_GONE, NULL, FALSE, 40000);
  ck_assert_int_eq(cs.state, CALL_STATE_ENDED);
  ck_assert_int_eq(cs.end_reason, CALL_END_LOST);
  ck_assert(a & CALL_ACTION_STOP_MEDIA);
  ck_assert_int_eq(a & CALL_ACTION_SEND_HANGUP, 0);
  ck_assert_int_eq(call_state_tick(&cs, 41000) & CALL_ACTION_REDIAL, 0);
  /* out of a call it means nothing */
  call_state_dismiss(&cs);
  ck_assert_int_eq(call_state_handle(&cs, CALL_EVENT_CALL_GONE, NULL, FALSE, 50000), 0);
  ck_assert_int_eq(cs.state, CALL_STATE_IDLE);
}
END_TEST

START_TEST(events_out_of_place_do_nothing)
{
  ck_assert_int_eq(call_state_handle(&cs, CALL_EVENT_USER_ANSWER, NULL, FALSE, 0), 0);
  ck_assert_int_eq(call_state_handle(&cs, CALL_EVENT_USER_HANGUP, NULL, FALSE, 0), 0);
  ck_assert_int_eq(call_state_handle(&cs, CALL_EVENT_REMOTE_ACCEPTED, NULL, FALSE, 0), 0);
  ck_assert_int_eq(call_state_handle(&cs, CALL_EVENT_MEDIA_CONNECTED, NULL, FALSE, 0), 0);
  ck_assert_int_eq(call_state_handle(&cs, CALL_EVENT_USER_CALL, NULL, FALSE, 0), 0);
  ck_assert_int_eq(cs.state, CALL_STATE_IDLE);
  /* a second tile touch while calling does not start a second call */
  call_state_handle(&cs, CALL_EVENT_USER_CALL, "anna", FALSE, 0);
  ck_assert_int_eq(call_state_handle(&cs, CALL_EVENT_USER_CALL, "per", FALSE, 10), 0);
  ck_assert_str_eq(cs.peer_id, "anna");
}
END_TEST

/* No microphone: a call the resident starts rings nobody; one coming in is declined at once
 * (a missed card kept) and never rings here; the sentence stays long enough to be read. */
START_TEST(no_microphone_rings_nobody)
{
  guint a = call_state_handle(&cs, CALL_EVENT_USER_CALL_NO_MICROPHONE, "anna", FALSE, 1000);
  ck_assert_int_eq(cs.state, CALL_STATE_ENDED);
  ck_assert_int_eq(cs.end_reason, CALL_END_NO_MICROPHONE);
  ck_assert_str_eq(cs.peer_id, "anna");
  ck_assert(!(a & (CALL_ACTION_SEND_INVITE | CALL_ACTION_START_MEDIA | CALL_ACTION_START_RING)));
  ck_assert(a & CALL_ACTION_SCREEN_CHANGED);
  ck_assert_int_ge(call_state_next_deadline(&cs), 1000 + 30000);
  call_state_tick(&cs, call_state_next_deadline(&cs));
  ck_assert_int_eq(cs.state, CALL_STATE_IDLE);

  a = call_state_handle(&cs, CALL_EVENT_REMOTE_INVITE_NO_MICROPHONE, "per", TRUE, 50000);
  ck_assert_int_eq(cs.state, CALL_STATE_ENDED);
  ck_assert_int_eq(cs.end_reason, CALL_END_MISSED_NO_MICROPHONE);
  ck_assert(a & CALL_ACTION_SEND_DECLINE);
  ck_assert(a & CALL_ACTION_RECORD_MISSED);
  ck_assert(!(a & (CALL_ACTION_START_RING | CALL_ACTION_SEND_ACCEPT | CALL_ACTION_START_MEDIA)));
  ck_assert_str_eq(call_end_reason_name(cs.end_reason), "missed-no-microphone");

  /* while in a call (so not these), someone else ringing is busy as always */
  call_state_dismiss(&cs);
  call_state_handle(&cs, CALL_EVENT_REMOTE_INVITE, "anna", FALSE, 90000);
  call_state_handle(&cs, CALL_EVENT_USER_ANSWER, NULL, FALSE, 91000);
  a = call_state_handle(&cs, CALL_EVENT_REMOTE_INVITE_NO_MICROPHONE, "per", FALSE, 92000);
  ck_assert_int_eq(cs.state, CALL_STATE_CONNECTING);
  ck_assert(a & CALL_ACTION_SEND_BUSY);
  ck_assert_int_eq(call_state_handle(&cs, CALL_EVENT_USER_CALL_NO_MICROPHONE, "per", FALSE, 93000),
                   0);
}
END_TEST

/* The person called declines with `no_webrtc` (their browser cannot make video calls): the
 * call going out ends at once with its own reason, kept on screen as long as a problem, and
 * nothing is sent back or started; the same event outside a call going out changes nothing. */
START_TEST(remote_without_webrtc_is_said_plainly)
{
  call_state_handle(&cs, CALL_EVENT_USER_CALL, "anna", FALSE, 1000);
  ck_assert_int_eq(cs.state, CALL_STATE_CALLING_OUT);
  guint a = call_state_handle(&cs, CALL_EVENT_REMOTE_DECLINED_NO_WEBRTC, NULL, FALSE, 1200);
  ck_assert_int_eq(cs.state, CALL_STATE_ENDED);
  ck_assert_int_eq(cs.end_reason, CALL_END_REMOTE_NO_WEBRTC);
  ck_assert_str_eq(call_end_reason_name(cs.end_reason), "remote-no-webrtc");
  ck_assert(a & CALL_ACTION_SCREEN_CHANGED);
  ck_assert(!(a & (CALL_ACTION_SEND_CANCEL | CALL_ACTION_SEND_HANGUP | CALL_ACTION_START_MEDIA |
                   CALL_ACTION_RECORD_MISSED)));
  ck_assert_int_ge(call_state_next_deadline(&cs), 1200 + 30000);

  call_state_dismiss(&cs);
  call_state_handle(&cs, CALL_EVENT_REMOTE_INVITE, "anna", FALSE, 40000);
  ck_assert_int_eq(call_state_handle(&cs, CALL_EVENT_REMOTE_DECLINED_NO_WEBRTC, NULL, FALSE, 41000),
                   0);
  ck_assert_int_eq(cs.state, CALL_STATE_RINGING);
}
END_TEST

/* Not connected to the hub: a touch on a face rings nobody and ends at once as "not
 * connected" (never "declined" or "did not answer"); a call already going out when the hub
 * goes away ends the same way at once, not a minute later as "no answer". */
START_TEST(not_connected_is_said_as_such)
{
  guint a = call_state_handle(&cs, CALL_EVENT_USER_CALL_NOT_CONNECTED, "anna", FALSE, 1000);
  ck_assert_int_eq(cs.state, CALL_STATE_ENDED);
  ck_assert_int_eq(cs.end_reason, CALL_END_NOT_CONNECTED);
  ck_assert_str_eq(call_end_reason_name(cs.end_reason), "not-connected");
  ck_assert_str_eq(cs.peer_id, "anna");
  ck_assert(!(a & (CALL_ACTION_SEND_INVITE | CALL_ACTION_START_MEDIA | CALL_ACTION_START_RING)));
  ck_assert_int_ge(call_state_next_deadline(&cs), 1000 + 30000); /* long enough to read */
  call_state_tick(&cs, call_state_next_deadline(&cs));
  ck_assert_int_eq(cs.state, CALL_STATE_IDLE);

  call_state_handle(&cs, CALL_EVENT_USER_CALL, "anna", FALSE, 40000);
  ck_assert_int_eq(cs.state, CALL_STATE_CALLING_OUT);
  call_state_handle(&cs, CALL_EVENT_HUB_LOST, NULL, FALSE, 41000);
  ck_assert_int_eq(cs.state, CALL_STATE_ENDED);
  ck_assert_int_eq(cs.end_reason, CALL_END_NOT_CONNECTED);

  /* a ringing call or a connected one is not ended by the hub going away */
  call_state_dismiss(&cs);
  call_state_handle(&cs, CALL_EVENT_REMOTE_INVITE, "per", FALSE, 80000);
  ck_assert_int_eq(call_state_handle(&cs, CALL_EVENT_HUB_LOST, NULL, FALSE, 81000), 0);
  ck_assert_int_eq(cs.state, CALL_STATE_RINGING);
  call_state_handle(&cs, CALL_EVENT_USER_ANSWER, NULL, FALSE, 82000);
  call_state_handle(&cs, CALL_EVENT_MEDIA_CONNECTED, NULL, FALSE, 83000);
  ck_assert_int_eq(call_state_handle(&cs, CALL_EVENT_HUB_LOST, NULL, FALSE, 84000), 0);
  ck_assert_int_eq(cs.state, CALL_STATE_IN_CALL);
}
END_TEST

/* The microphone could not be known when the call began (the engine's first second) and is
 * then found missing: a ringing call stops ringing and is declined with a missed card, a call
 * going out is cancelled, and a call already answered or accepted (connecting, its session
 * held back until the engine was ready) is hung up, each with the no-microphone sentence. */
START_TEST(microphone_found_missing_late)
{
  call_state_handle(&cs, CALL_EVENT_REMOTE_INVITE, "anna", FALSE, 1000);
  ck_assert_int_eq(cs.state, CALL_STATE_RINGING);
  guint a = call_state_handle(&cs, CALL_EVENT_MICROPHONE_MISSING, NULL, FALSE, 1800);
  ck_assert_int_eq(cs.state, CALL_STATE_ENDED);
  ck_assert_int_eq(cs.end_reason, CALL_END_MISSED_NO_MICROPHONE);
  ck_assert(a & CALL_ACTION_STOP_RING);
  ck_assert(a & CALL_ACTION_SEND_DECLINE);
  ck_assert(a & CALL_ACTION_RECORD_MISSED);
  ck_assert_int_ge(call_state_next_deadline(&cs), 1800 + 30000);

  call_state_dismiss(&cs);
  call_state_handle(&cs, CALL_EVENT_USER_CALL, "per", FALSE, 40000);
  a = call_state_handle(&cs, CALL_EVENT_MICROPHONE_MISSING, NULL, FALSE, 40500);
  ck_assert_int_eq(cs.end_reason, CALL_END_NO_MICROPHONE);
  ck_assert(a & CALL_ACTION_SEND_CANCEL);

  /* answered while the engine was starting: the session never starts, so no media failure
   * would come; the call ends plainly, the caller is told, and a missed card is kept */
  call_state_dismiss(&cs);
  call_state_handle(&cs, CALL_EVENT_REMOTE_INVITE, "anna", FALSE, 80000);
  call_state_handle(&cs, CALL_EVENT_USER_ANSWER, NULL, FALSE, 80500);
  ck_assert_int_eq(cs.state, CALL_STATE_CONNECTING);
  a = call_state_handle(&cs, CALL_EVENT_MICROPHONE_MISSING, NULL, FALSE, 80900);
  ck_assert_int_eq(cs.state, CALL_STATE_ENDED);
  ck_assert_int_eq(cs.end_reason, CALL_END_MISSED_NO_MICROPHONE);
  ck_assert(a & CALL_ACTION_SEND_HANGUP);
  ck_assert(a & CALL_ACTION_STOP_MEDIA);
  ck_assert(a & CALL_ACTION_RECORD_MISSED);
  ck_assert(!(a & (CALL_ACTION_REDIAL | CALL_ACTION_START_MEDIA)));
  ck_assert_int_ge(call_state_next_deadline(&cs), 80900 + 30000);

  /* accepted by the other side while the engine was starting: the no-microphone sentence */
  call_state_dismiss(&cs);
  call_state_handle(&cs, CALL_EVENT_USER_CALL, "per", FALSE, 120000);
  call_state_handle(&cs, CALL_EVENT_REMOTE_ACCEPTED, NULL, FALSE, 120400);
  ck_assert_int_eq(cs.state, CALL_STATE_CONNECTING);
  a = call_state_handle(&cs, CALL_EVENT_MICROPHONE_MISSING, NULL, FALSE, 120600);
  ck_assert_int_eq(cs.state, CALL_STATE_ENDED);
  ck_assert_int_eq(cs.end_reason, CALL_END_NO_MICROPHONE);
  ck_assert(a & CALL_ACTION_SEND_HANGUP);
  ck_assert(a & CALL_ACTION_STOP_MEDIA);
  ck_assert(!(a & CALL_ACTION_RECORD_MISSED));

  /* in a call the microphone was known: nothing changes */
  call_state_dismiss(&cs);
  call_state_handle(&cs, CALL_EVENT_REMOTE_INVITE, "anna", FALSE, 160000);
  call_state_handle(&cs, CALL_EVENT_USER_ANSWER, NULL, FALSE, 160500);
  call_state_handle(&cs, CALL_EVENT_MEDIA_CONNECTED, NULL, FALSE, 161000);
  ck_assert_int_eq(call_state_handle(&cs, CALL_EVENT_MICROPHONE_MISSING, NULL, FALSE, 161500), 0);
  ck_assert_int_eq(cs.state, CALL_STATE_IN_CALL);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("call_state");
  TCase *tc = tcase_create("core");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, ring_answer_in_call_hang_up);
  tcase_add_test(tc, decline);
  tcase_add_test(tc, busy_both_ways);
  tcase_add_test(tc, ring_timeout_at_least_45_s);
  tcase_add_test(tc, default_ring_is_long);
  tcase_add_test(tc, outgoing_no_answer);
  tcase_add_test(tc, cancel_outgoing);
  tcase_add_test(tc, auto_answer_countdown_runs_out);
  tcase_add_test(tc, auto_answer_countdown_stopped);
  tcase_add_test(tc, no_auto_answer_without_consent);
  tcase_add_test(tc, caller_gives_up);
  tcase_add_test(tc, network_drop_redials_then_recovers);
  tcase_add_test(tc, network_drop_gives_up);
  tcase_add_test(tc, remote_hangup_while_reconnecting_stops_redial);
  tcase_add_test(tc, call_gone_while_reconnecting_ends_as_cut_off);
  tcase_add_test(tc, events_out_of_place_do_nothing);
  tcase_add_test(tc, no_microphone_rings_nobody);
  tcase_add_test(tc, not_connected_is_said_as_such);
  tcase_add_test(tc, microphone_found_missing_late);
  tcase_add_test(tc, remote_without_webrtc_is_said_plainly);
  tcase_add_test(tc, hub_rang_out_is_no_answer_not_a_decline);
  suite_add_tcase(s, tc);
  return vindu_check_run(s);
}
