#include "call_pair.h"

#include <check.h>

static int
side_of(CallPair *pair, VinduCall *call)
{
  return call == pair->call[0] ? 0 : 1;
}

static void
on_description(VinduCall *call, const char *type, const char *sdp, gpointer user_data)
{
  CallPair *pair = user_data;
  VinduCall *other = pair->call[1 - side_of(pair, call)];
  g_autoptr(GError) error = NULL;
  g_autofree char *altered = g_strdup(sdp);
  if (other && pair->corrupt_fingerprint_to >= 0 &&
      other == pair->call[pair->corrupt_fingerprint_to]) {
    /* Flip the first hex digit of each fingerprint: still well-formed, no longer the peer's. */
    for (char *at = altered; (at = strstr(at, "a=fingerprint:")) != NULL; at++) {
      char *digits = strchr(at, ' ');
      if (digits && g_ascii_isxdigit(digits[1]))
        digits[1] = digits[1] == '0' ? '1' : '0';
    }
  }
  sdp = altered;
  if (other && !vindu_call_set_remote_description(other, type, sdp, &error))
    ck_abort_msg("remote %s refused: %s", type, error->message);
}

static void
on_candidate(VinduCall *call, guint mline, const char *candidate, gpointer user_data)
{
  CallPair *pair = user_data;
  VinduCall *other = pair->call[1 - side_of(pair, call)];
  if (!other || !pair->forward_candidates)
    return;
  if (pair->candidate_port > 0) {
    /* "candidate:F C udp PRIO ADDRESS PORT typ ...": the address and port moved elsewhere. */
    g_auto(GStrv) f = g_strsplit(candidate, " ", -1);
    if (g_strv_length(f) < 6)
      return;
    g_free(f[4]);
    f[4] = g_strdup("127.0.0.1");
    g_free(f[5]);
    f[5] = g_strdup_printf("%d", pair->candidate_port);
    g_autofree char *moved = g_strjoinv(" ", f);
    vindu_call_add_remote_candidate(other, mline, moved);
    return;
  }
  vindu_call_add_remote_candidate(other, mline, candidate);
}

static void
on_state(VinduCall *call, VinduCallState state, const GError *reason, gpointer user_data)
{
  CallPair *pair = user_data;
  int side = side_of(pair, call);
  pair->state[side] = state;
  pair->ever_connected[side] |= state == VINDU_CALL_STATE_CONNECTED;
  if (reason && !pair->reason[side])
    pair->reason[side] = g_error_copy(reason);
}

static void
on_frame(VinduCall *call, gpointer user_data)
{
  CallPair *pair = user_data;
  int side = side_of(pair, call);
  g_autoptr(VinduFrame) local = vindu_call_take_local_frame(call);
  if (local) {
    pair->local_frames_taken[side]++;
    pair->last_local[side] = *local;
    pair->last_local[side].plane[0] = pair->last_local[side].plane[1] =
        pair->last_local[side].plane[2] = NULL;
    volatile guint8 sink = local->plane[0][local->stride[0] * (local->height - 1)] +
                           local->plane[2][local->stride[2] * (local->height / 2 - 1)];
    (void)sink;
  }
  g_autoptr(VinduFrame) frame = vindu_call_take_frame(call);
  if (frame) {
    pair->frames_ready[side]++;
    pair->last_frame[side] = *frame;
    pair->last_frame[side].plane[0] = pair->last_frame[side].plane[1] =
        pair->last_frame[side].plane[2] = NULL;
    /* Every plane readable: touch the last byte of each. */
    volatile guint8 sink = frame->plane[0][frame->stride[0] * (frame->height - 1)] +
                           frame->plane[1][frame->stride[1] * (frame->height / 2 - 1)] +
                           frame->plane[2][frame->stride[2] * (frame->height / 2 - 1)];
    (void)sink;
  }
}

void
call_pair_settings(VinduCallSettings *s)
{
  vindu_call_settings_init(s);
  s->video_source = VINDU_VIDEO_SOURCE_TEST;
  s->audio_source = VINDU_AUDIO_SOURCE_TEST;
  s->audio_sink = VINDU_AUDIO_SINK_TEST;
  /* Small and slow enough to stay real time on a loaded 2-core CI machine; the full
   * 640x480@30 is covered by test_connect_both_ways, the interop test and the bench. */
  s->width = 320;
  s->height = 240;
  s->fps = 15;
  s->peer_lost_ms = 3000;
  s->connect_timeout_ms = 20000;
}

void
call_pair_start(CallPair *pair, const VinduCallSettings *offerer, const VinduCallSettings *answerer)
{
  VinduCallSettings defaults[2];
  call_pair_settings(&defaults[0]);
  call_pair_settings(&defaults[1]);
  /* Different tones, or each side's echo canceller would take the other's tone for echo. */
  defaults[1].test_tone_hz = 660;
  static const VinduCallCallbacks callbacks = {
      .local_description = on_description,
      .local_candidate = on_candidate,
      .state_changed = on_state,
      .frame_ready = on_frame,
  };
  *pair = (CallPair){.forward_candidates = TRUE, .peer_gone = -1, .corrupt_fingerprint_to = -1};
  VinduCallSettings settings[2] = {offerer ? *offerer : defaults[0],
                                   answerer ? *answerer : defaults[1]};
  if (settings[0].test_tone_hz == settings[1].test_tone_hz)
    settings[1].test_tone_hz = settings[0].test_tone_hz * 3 / 2;
  for (int i = 0; i < 2; i++) {
    g_autoptr(GError) error = NULL;
    pair->call[i] =
        vindu_call_new(&settings[i], i == 0 ? VINDU_CALL_ROLE_OFFERER : VINDU_CALL_ROLE_ANSWERER,
                       &callbacks, pair, NULL, &error);
    ck_assert_msg(pair->call[i], "session %d: %s", i, error ? error->message : "?");
  }
  /* The answerer is ready before the offer can reach it, as a ringing kiosk would be. */
  for (int i = 1; i >= 0; i--) {
    g_autoptr(GError) error = NULL;
    ck_assert_msg(vindu_call_start(pair->call[i], &error), "start %d: %s", i,
                  error ? error->message : "?");
  }
}

static gboolean
on_timeout(gpointer user_data)
{
  *(gboolean *)user_data = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
call_pair_wait(CallPair *pair, gboolean (*cond)(CallPair *, gpointer), gpointer data,
               int timeout_ms)
{
  gboolean expired = FALSE;
  guint timer = g_timeout_add(timeout_ms, on_timeout, &expired);
  gboolean met = FALSE;
  while (!(met = cond ? cond(pair, data) : FALSE) && !expired)
    g_main_context_iteration(NULL, TRUE);
  if (!expired)
    g_source_remove(timer);
  return met;
}

static gboolean
plain_cond(CallPair *pair, gpointer data)
{
  gboolean (*cond)(CallPair *) = (gboolean(*)(CallPair *))data;
  return cond(pair);
}

gboolean
call_pair_run_until(CallPair *pair, gboolean (*cond)(CallPair *), int timeout_ms)
{
  return call_pair_wait(pair, cond ? plain_cond : NULL, (gpointer)cond, timeout_ms);
}

void
call_pair_run_for(CallPair *pair, int ms)
{
  call_pair_run_until(pair, NULL, ms);
}

gboolean
call_pair_both_connected(CallPair *pair)
{
  return pair->state[0] == VINDU_CALL_STATE_CONNECTED &&
         pair->state[1] == VINDU_CALL_STATE_CONNECTED;
}

gboolean
call_pair_both_flowing(CallPair *pair)
{
  for (int i = 0; i < 2; i++) {
    VinduCallStats stats;
    vindu_call_get_stats(pair->call[i], &stats);
    if (stats.frames_decoded < 10 || stats.audio_buffers_played < 10)
      return FALSE;
  }
  return TRUE;
}

const char *
call_pair_describe(CallPair *pair)
{
  static char text[512];
  int at = 0;
  for (int i = 0; i < 2 && at < (int)sizeof text; i++) {
    VinduCallStats stats = {0};
    if (pair->call[i])
      vindu_call_get_stats(pair->call[i], &stats);
    at += g_snprintf(text + at, sizeof text - at,
                     "%s[%s frames %" G_GUINT64_FORMAT " audio %" G_GUINT64_FORMAT
                     " level %.1f dB%s%s]",
                     i ? " / " : "", vindu_call_state_name(pair->state[i]), stats.frames_decoded,
                     stats.audio_buffers_played, stats.remote_audio_level_db,
                     pair->reason[i] ? ": " : "", pair->reason[i] ? pair->reason[i]->message : "");
  }
  return text;
}

void
call_pair_drop(CallPair *pair, int side)
{
  g_clear_pointer(&pair->call[side], vindu_call_free);
  pair->peer_gone = side;
}

void
call_pair_stop(CallPair *pair)
{
  for (int i = 0; i < 2; i++) {
    g_clear_pointer(&pair->call[i], vindu_call_free);
    g_clear_error(&pair->reason[i]);
  }
  /* Let hops that were queued before the free run (they do nothing) and drop their refs. */
  while (g_main_context_iteration(NULL, FALSE))
    ;
}
