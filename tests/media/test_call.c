/* Two sessions over loopback with test sources: connection, media both ways, mute,
 * camera-off, self-view, peer lost, failure, no camera, no microphone. */
#include "check_main.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gst/gst.h>

#include "call_pair.h"
#include "media/call_internal.h"
#include "media/devices.h"
#include "media/timestamp.h"

static void
setup(void)
{
  g_autoptr(GError) error = NULL;
  ck_assert_msg(vindu_media_init(&error), "init: %s", error ? error->message : "?");
}

static double
remote_level(CallPair *pair, int side)
{
  VinduCallStats stats;
  vindu_call_get_stats(pair->call[side], &stats);
  return stats.remote_audio_level_db;
}

/* Conditions polled while the loop runs: CI machines are shared, so wait for an outcome
 * (with a generous timeout) instead of sampling after a fixed time. */
typedef struct {
  int side;
  double db;
  guint64 frames;
} Want;

static gboolean
hears_above(CallPair *pair, gpointer data)
{
  Want *w = data;
  return remote_level(pair, w->side) > w->db;
}

static gboolean
hears_below(CallPair *pair, gpointer data)
{
  Want *w = data;
  return remote_level(pair, w->side) < w->db;
}

static gboolean
frames_reach(CallPair *pair, gpointer data)
{
  Want *w = data;
  return vindu_call_get_frames_decoded(pair->call[w->side]) >= w->frames;
}

/* Frames handed to the consumer (the kiosk's UI thread), not only decoded. */
static gboolean
frames_ready_reach(CallPair *pair, gpointer data)
{
  Want *w = data;
  return pair->frames_ready[w->side] >= w->frames;
}

/* The tone passes noise suppression attenuated, but far above silence (-100). */
#define HEARD_DB -60.0
#define SILENT_DB -90.0

START_TEST(test_connect_both_ways)
{
  VinduCallSettings s[2];
  for (int i = 0; i < 2; i++) {
    call_pair_settings(&s[i]);
    s[i].width = 640; /* the kiosk's default size */
    s[i].height = 480;
    s[i].fps = 30;
  }
  s[1].test_tone_hz = 660;
  CallPair pair;
  call_pair_start(&pair, &s[0], &s[1]);
  ck_assert_msg(call_pair_run_until(&pair, call_pair_both_connected, 30000),
                "not connected: %s / %s", vindu_call_state_name(pair.state[0]),
                vindu_call_state_name(pair.state[1]));
  ck_assert_msg(call_pair_run_until(&pair, call_pair_both_flowing, 30000),
                "media does not flow both ways");
  for (int i = 0; i < 2; i++) {
    Want heard = {i, HEARD_DB, 0};
    ck_assert_msg(call_pair_wait(&pair, hears_above, &heard, 30000), "side %d hears %.1f dB", i,
                  remote_level(&pair, i));
    /* a slow machine (sanitizers) may still be at the first frames: wait for them */
    Want ready = {i, 0, 6};
    ck_assert_msg(call_pair_wait(&pair, frames_ready_reach, &ready, 30000), "side %d: %u frames", i,
                  pair.frames_ready[i]);
    VinduCallStats stats;
    vindu_call_get_stats(pair.call[i], &stats);
    ck_assert(vindu_call_has_video(pair.call[i]));
    ck_assert_int_eq(vindu_call_get_frames_decoded(pair.call[i]), stats.frames_decoded);
  }
  /* The frames handed over are the size that was sent, in I420. */
  for (int i = 0; i < 2; i++) {
    VinduFrame *frame = &pair.last_frame[i];
    ck_assert_int_eq(frame->width, 640);
    ck_assert_int_eq(frame->height, 480);
    ck_assert_int_ge(frame->stride[0], 640);
    ck_assert_int_ge(frame->stride[1], 320);
    ck_assert_int_ge(frame->stride[2], 320);
    ck_assert_uint_ge(frame->number, 5);
    ck_assert_uint_le(frame->number, vindu_call_get_frames_decoded(pair.call[i]));
  }
  call_pair_stop(&pair);
}
END_TEST

static void
connect_pair(CallPair *pair, const VinduCallSettings *a, const VinduCallSettings *b)
{
  call_pair_start(pair, a, b);
  ck_assert_msg(call_pair_run_until(pair, call_pair_both_connected, 30000), "not connected: %s",
                call_pair_describe(pair));
  ck_assert_msg(call_pair_run_until(pair, call_pair_both_flowing, 30000), "no media both ways: %s",
                call_pair_describe(pair));
}

START_TEST(test_mute_stops_outgoing_audio)
{
  CallPair pair;
  connect_pair(&pair, NULL, NULL);
  Want heard = {1, HEARD_DB, 0}, silent = {1, SILENT_DB, 0}, other = {0, HEARD_DB, 0};
  ck_assert_msg(call_pair_wait(&pair, hears_above, &heard, 30000),
                "answerer hears only %.1f dB before mute", remote_level(&pair, 1));

  vindu_call_set_muted(pair.call[0], TRUE);
  ck_assert_msg(call_pair_wait(&pair, hears_below, &silent, 30000),
                "answerer still hears %.1f dB after mute", remote_level(&pair, 1));
  /* It stays silent, and only the muted direction goes quiet. */
  call_pair_run_for(&pair, 1000);
  ck_assert_msg(remote_level(&pair, 1) < SILENT_DB, "answerer hears %.1f dB while muted",
                remote_level(&pair, 1));
  ck_assert_msg(call_pair_wait(&pair, hears_above, &other, 30000),
                "offerer lost the answerer's audio");
  ck_assert_int_eq(vindu_call_get_state(pair.call[1]), VINDU_CALL_STATE_CONNECTED);

  vindu_call_set_muted(pair.call[0], FALSE);
  ck_assert_msg(call_pair_wait(&pair, hears_above, &heard, 30000),
                "answerer hears only %.1f dB after unmute", remote_level(&pair, 1));
  call_pair_stop(&pair);
}
END_TEST

/* Volume is local: at 0 the side's loudspeaker level goes silent while the call goes on and
 * the other side still hears; back at 1 it is heard again. */
START_TEST(test_volume_zero_silences_playback)
{
  CallPair pair;
  connect_pair(&pair, NULL, NULL);
  Want heard = {1, HEARD_DB, 0}, silent = {1, SILENT_DB, 0}, other = {0, HEARD_DB, 0};
  ck_assert_msg(call_pair_wait(&pair, hears_above, &heard, 30000), "answerer hears %.1f dB",
                remote_level(&pair, 1));

  vindu_call_set_volume(pair.call[1], 0.0);
  ck_assert_msg(call_pair_wait(&pair, hears_below, &silent, 30000),
                "answerer still plays %.1f dB at volume 0", remote_level(&pair, 1));
  VinduCallStats before, after;
  vindu_call_get_stats(pair.call[1], &before);
  call_pair_run_for(&pair, 1000);
  vindu_call_get_stats(pair.call[1], &after);
  ck_assert_msg(remote_level(&pair, 1) < SILENT_DB, "answerer plays %.1f dB at volume 0",
                remote_level(&pair, 1));
  /* Still playing (silence), not stopped; the other side is not affected. */
  ck_assert_uint_gt(after.audio_buffers_played, before.audio_buffers_played);
  ck_assert_msg(call_pair_wait(&pair, hears_above, &other, 30000), "offerer hears %.1f dB",
                remote_level(&pair, 0));

  vindu_call_set_volume(pair.call[1], 1.0);
  ck_assert_msg(call_pair_wait(&pair, hears_above, &heard, 30000),
                "answerer plays only %.1f dB at volume 1", remote_level(&pair, 1));
  call_pair_stop(&pair);
}
END_TEST

static gboolean
target_reaches(CallPair *pair, gpointer data)
{
  Want *w = data;
  VinduCallStats st;
  vindu_call_get_stats(pair->call[w->side], &st);
  return st.video_target_kbps >= w->db;
}

static gboolean
bytes_sent_known(CallPair *pair, gpointer data)
{
  VinduCallStats st;
  vindu_call_get_stats(pair->call[*(int *)data], &st);
  return st.bytes_sent > 0;
}

/* What one side sent (video and audio) over the next ms, from its byte count at both ends of
 * the span: one figure for the whole span, so key frames and the stats' sampling even out. */
static double
sent_kbps_over(CallPair *pair, int side, int ms)
{
  VinduCallStats a, b;
  vindu_call_get_stats(pair->call[side], &a);
  call_pair_run_for(pair, ms);
  vindu_call_get_stats(pair->call[side], &b);
  double seconds = (b.bytes_sent_at_us - a.bytes_sent_at_us) / 1e6;
  return seconds > 0 ? (b.bytes_sent - a.bytes_sent) * 8 / 1000.0 / seconds : 0;
}

/* Congestion control in a real call: started low on a clean path, the video target climbs and
 * what is sent follows it. What is sent is compared with what was sent at the start on the
 * same machine, not with a fixed figure: a starved CPU (2 cores, sanitizers) encodes fewer
 * frames all through, but still more once the encoder is given more. */
START_TEST(test_bitrate_grows_on_a_clean_path)
{
  VinduCallSettings s;
  call_pair_settings(&s);
  /* A moving zone plate: VP8 at this size gives ~300 kbit/s when asked for 300 and ~650 when
   * asked for more (snow would fill any rate whatever the encoder is asked for). */
  s.test_pattern = "zone-plate kx2=20 ky2=20 kt=1";
  s.video_bitrate_kbps = 300;
  CallPair pair;
  connect_pair(&pair, &s, NULL);
  int offerer = 0;
  ck_assert_msg(call_pair_wait(&pair, bytes_sent_known, &offerer, 30000), "no statistics");
  VinduCallStats st;
  vindu_call_get_stats(pair.call[0], &st);
  ck_assert_msg(st.video_target_kbps < 400, "target %.0f kbit/s at the start",
                st.video_target_kbps);
  double at_start = sent_kbps_over(&pair, 0, 3000);
  /* 8 % a second from 300: 600 after ~9 s of feedback. */
  Want grown = {0, 600, 0};
  if (!call_pair_wait(&pair, target_reaches, &grown, 60000)) {
    vindu_call_get_stats(pair.call[0], &st);
    ck_abort_msg("target %.0f kbit/s, sent %.0f kbit/s (%.0f at the start)", st.video_target_kbps,
                 st.bitrate_out_kbps, at_start);
  }
  /* What leaves follows only if the encoder takes the targets: from ~330 (300 of video and 32
   * of audio) to ~650 or more; 1.4 times leaves room for key frames and a busy machine. */
  double later = sent_kbps_over(&pair, 0, 4000);
  vindu_call_get_stats(pair.call[0], &st);
  ck_assert_msg(later > 1.4 * at_start,
                "target %.0f kbit/s, sent %.0f kbit/s over 4 s against %.0f over 3 s at the start",
                st.video_target_kbps, later, at_start);
  g_printerr("sent %.0f kbit/s at the start, %.0f with the target at %.0f kbit/s\n", at_start,
             later, st.video_target_kbps);
  call_pair_stop(&pair);
}
END_TEST

/* A picture that cannot be compressed (snow: what a webcam gives in a dim room, at its worst)
 * keeps to a fixed target: VP8 at its worst quantizer 56 sent about 7 times the target at 640x480
 * (14 Mbit/s against 2); now the quantizer may go to 63, frames are dropped and the size shrinks.
 * Measured from the bytes actually sent (video and audio) over 6 s, after 3 s to settle; the
 * other side must still decode new frames, so sending nothing cannot pass. */
START_TEST(test_snow_keeps_to_its_target)
{
  VinduCallSettings s;
  call_pair_settings(&s);
  s.test_pattern = "snow";
  s.video_bitrate_kbps = s.video_bitrate_min_kbps = s.video_bitrate_max_kbps = 300;
  /* What is measured is the sender's rate control. A starved receiver (sanitizers on a loaded
   * 2-core machine) holding packets past a 50 ms jitter buffer counts them lost and asks for a
   * key frame each second (a noisy key frame costs most of a second's budget, and 0 frames got
   * decoded): the receiver waits longer here. */
  VinduCallSettings receiver = s;
  receiver.jitter_latency_ms = 1000;
  CallPair pair;
  connect_pair(&pair, &s, &receiver);
  int offerer = 0;
  ck_assert_msg(call_pair_wait(&pair, bytes_sent_known, &offerer, 30000), "no statistics");
  call_pair_run_for(&pair, 3000);
  guint64 decoded_before = vindu_call_get_frames_decoded(pair.call[1]);
  double sent = sent_kbps_over(&pair, 0, 6000);
  guint64 decoded = vindu_call_get_frames_decoded(pair.call[1]) - decoded_before;
  double allowed = 1.2 * (s.video_bitrate_kbps + s.audio_bitrate_kbps);
  g_printerr(
      "snow at a %d kbit/s target (+%d of audio): sent %.0f kbit/s over 6 s, %" G_GUINT64_FORMAT
      " frames decoded\n",
      s.video_bitrate_kbps, s.audio_bitrate_kbps, sent, decoded);
  ck_assert_msg(sent <= allowed, "sent %.0f kbit/s, allowed %.0f", sent, allowed);
  ck_assert_msg(decoded >= 3, "only %" G_GUINT64_FORMAT " frames decoded in 6 s", decoded);
  call_pair_stop(&pair);
}
END_TEST

static gboolean
answerer_sees_width(CallPair *pair, gpointer data)
{
  return pair->last_frame[1].width == GPOINTER_TO_INT(data);
}

/* The size sent follows the target (media/send_size.h): a call started at 150 kbit/s sends
 * 480x360 of its 640x480 camera (640x480@15 would need 184), and once congestion control has
 * climbed past 1.25 times that on the clean path, the whole picture. */
START_TEST(test_size_steps_with_the_target)
{
  VinduCallSettings s;
  call_pair_settings(&s);
  s.width = 640;
  s.height = 480;
  s.video_bitrate_kbps = 150;
  /* a picture that fills what it is given: the target grows only while the encoder fills it */
  s.test_pattern = "zone-plate kx2=20 ky2=20 kt=1";
  CallPair pair;
  connect_pair(&pair, &s, NULL);
  ck_assert_msg(call_pair_wait(&pair, answerer_sees_width, GINT_TO_POINTER(480), 30000),
                "frames %dx%d at the start", pair.last_frame[1].width, pair.last_frame[1].height);
  ck_assert_int_eq(pair.last_frame[1].height, 360);
  if (!call_pair_wait(&pair, answerer_sees_width, GINT_TO_POINTER(640), 60000)) {
    VinduCallStats st;
    vindu_call_get_stats(pair.call[0], &st);
    ck_abort_msg("frames %dx%d with the target at %.0f kbit/s", pair.last_frame[1].width,
                 pair.last_frame[1].height, st.video_target_kbps);
  }
  ck_assert_int_eq(pair.last_frame[1].height, 480);
  call_pair_stop(&pair);
}
END_TEST

START_TEST(test_camera_off_stops_outgoing_video)
{
  CallPair pair;
  connect_pair(&pair, NULL, NULL);
  vindu_call_set_camera_enabled(pair.call[1], FALSE);
  call_pair_run_for(&pair, 1000); /* frames already in flight drain */
  guint64 at_off = vindu_call_get_frames_decoded(pair.call[0]);
  Want other = {1, 0, vindu_call_get_frames_decoded(pair.call[1]) + 20};
  /* The other direction carries on (20 frames) while this one stays still. */
  ck_assert_msg(call_pair_wait(&pair, frames_reach, &other, 30000),
                "the other direction stopped too");
  call_pair_run_for(&pair, 500);
  ck_assert_uint_le(vindu_call_get_frames_decoded(pair.call[0]), at_off + 2);
  ck_assert_int_eq(vindu_call_get_state(pair.call[0]), VINDU_CALL_STATE_CONNECTED);

  vindu_call_set_camera_enabled(pair.call[1], TRUE);
  Want back = {0, 0, vindu_call_get_frames_decoded(pair.call[0]) + 20};
  ck_assert_msg(call_pair_wait(&pair, frames_reach, &back, 30000), "video did not come back");
  call_pair_stop(&pair);
}
END_TEST

static gboolean
local_frames_reach(CallPair *pair, gpointer data)
{
  Want *w = data;
  return vindu_call_get_local_frames(pair->call[w->side]) >= w->frames &&
         pair->local_frames_taken[w->side] > 0;
}

/* The self-view: small frames of our own camera, only while the camera is on. */
START_TEST(test_self_view_follows_camera)
{
  VinduCallSettings s;
  call_pair_settings(&s);
  CallPair pair;
  connect_pair(&pair, &s, NULL);
  Want first = {1, 0, 10};
  ck_assert_msg(call_pair_wait(&pair, local_frames_reach, &first, 30000), "no self-view: %s",
                call_pair_describe(&pair));
  ck_assert_int_eq(pair.last_local[1].width, VINDU_PREVIEW_WIDTH);
  ck_assert_int_eq(pair.last_local[1].height, VINDU_PREVIEW_WIDTH * s.height / s.width & ~1);
  ck_assert_int_ge(pair.last_local[1].stride[0], VINDU_PREVIEW_WIDTH);

  vindu_call_set_camera_enabled(pair.call[1], FALSE);
  call_pair_run_for(&pair, 500); /* a frame already past the valve may still land */
  guint64 at_off = vindu_call_get_local_frames(pair.call[1]);
  /* Meanwhile the other side's self-view and the call go on. */
  Want other = {0, 0, vindu_call_get_local_frames(pair.call[0]) + 20};
  ck_assert_msg(call_pair_wait(&pair, local_frames_reach, &other, 30000),
                "the other side's self-view stopped too");
  ck_assert_uint_eq(vindu_call_get_local_frames(pair.call[1]), at_off);

  vindu_call_set_camera_enabled(pair.call[1], TRUE);
  Want back = {1, 0, at_off + 10};
  ck_assert_msg(call_pair_wait(&pair, local_frames_reach, &back, 30000),
                "the self-view did not come back");
  call_pair_stop(&pair);
}
END_TEST

/* Every figure on both sides; with data non-NULL, a round trip on one side is enough. */
static gboolean
stats_known(CallPair *pair, gpointer data)
{
  int round_trips = 0;
  for (int i = 0; i < 2; i++) {
    VinduCallStats st;
    vindu_call_get_stats(pair->call[i], &st);
    if (st.jitter_ms < 0 || st.loss_fraction < 0 || st.bitrate_in_kbps <= 0 ||
        st.bitrate_out_kbps <= 0 || st.frame_rate <= 0)
      return FALSE;
    round_trips += st.rtt_ms >= 0;
  }
  return round_trips == 2 || (data && round_trips == 1);
}

/* "rtt 5.6/-1.0 jitter ...": both sides' figures, to say which never came. transfer full */
static char *
stats_line(CallPair *pair)
{
  VinduCallStats a, b;
  vindu_call_get_stats(pair->call[0], &a);
  vindu_call_get_stats(pair->call[1], &b);
  return g_strdup_printf("rtt %.1f/%.1f jitter %.1f/%.1f loss %.3f/%.3f in %.0f/%.0f out "
                         "%.0f/%.0f fps %.1f/%.1f",
                         a.rtt_ms, b.rtt_ms, a.jitter_ms, b.jitter_ms, a.loss_fraction,
                         b.loss_fraction, a.bitrate_in_kbps, b.bitrate_in_kbps, a.bitrate_out_kbps,
                         b.bitrate_out_kbps, a.frame_rate, b.frame_rate);
}

START_TEST(test_statistics)
{
  CallPair pair;
  connect_pair(&pair, NULL, NULL);
  if (!call_pair_wait(&pair, stats_known, NULL, 30000)) {
    /* Seen on a busy VM under the sanitizer (once in six runs, then twice in a row in one CI
     * run, always side 0): one side's round trip stayed unknown for the whole call — webrtcbin
     * gave that side no remote-inbound round-trip-time; the kiosk then counts the round trip as
     * unknown, never as bad. Said in the log and tried with a new call, where a round trip on
     * one side suffices; none on either side, or any other figure missing, is a failure. */
    g_autofree char *first = stats_line(&pair);
    g_message("statistics incomplete, trying a new call: %s", first);
    call_pair_stop(&pair);
    connect_pair(&pair, NULL, NULL);
    if (!call_pair_wait(&pair, stats_known, GINT_TO_POINTER(1), 30000)) {
      g_autofree char *second = stats_line(&pair);
      ck_abort_msg("statistics never complete: %s", second);
    }
  }
  for (int i = 0; i < 2; i++) {
    VinduCallStats st;
    /* Video keeps flowing while we read: the snapshot lies between two live counts. */
    guint64 decoded_before = vindu_call_get_frames_decoded(pair.call[i]);
    vindu_call_get_stats(pair.call[i], &st);
    guint64 decoded_after = vindu_call_get_frames_decoded(pair.call[i]);
    /* Loopback: small round trip, little loss; media really flows at a sane rate. */
    ck_assert_msg(st.rtt_ms < 1000, "rtt %.1f", st.rtt_ms);
    ck_assert(st.loss_fraction >= 0 && st.loss_fraction <= 1);
    ck_assert_msg(st.bitrate_in_kbps > 20 && st.bitrate_in_kbps < 5000, "in %.1f kbit/s",
                  st.bitrate_in_kbps);
    ck_assert_msg(st.frame_rate > 0 && st.frame_rate < 100, "%.1f fps", st.frame_rate);
    ck_assert(st.video_target_kbps >= 150 && st.video_target_kbps <= 2000);
    ck_assert_uint_gt(decoded_before, 0);
    ck_assert_uint_ge(st.frames_decoded, decoded_before);
    ck_assert_uint_le(st.frames_decoded, decoded_after);
    ck_assert_uint_gt(st.audio_buffers_played, 0);
  }
  call_pair_stop(&pair);
}
END_TEST

static gboolean
offerer_lost(CallPair *pair)
{
  return pair->state[0] == VINDU_CALL_STATE_PEER_LOST || pair->state[0] == VINDU_CALL_STATE_FAILED;
}

START_TEST(test_peer_lost)
{
  VinduCallSettings s;
  call_pair_settings(&s);
  s.peer_lost_ms = 2000;
  CallPair pair;
  connect_pair(&pair, &s, &s);
  call_pair_drop(&pair, 1);
  gint64 gone = g_get_monotonic_time();
  ck_assert_msg(call_pair_run_until(&pair, offerer_lost, 8000), "peer loss not noticed");
  gint64 after_ms = (g_get_monotonic_time() - gone) / 1000;
  ck_assert_int_eq(pair.state[0], VINDU_CALL_STATE_PEER_LOST);
  ck_assert_ptr_nonnull(pair.reason[0]);
  ck_assert_int_ge(after_ms, 1500);
  ck_assert_int_le(after_ms, 6000);
  call_pair_stop(&pair);
}
END_TEST

static gboolean
both_failed(CallPair *pair)
{
  return pair->state[0] == VINDU_CALL_STATE_FAILED && pair->state[1] == VINDU_CALL_STATE_FAILED;
}

START_TEST(test_failed_without_path)
{
  VinduCallSettings s;
  call_pair_settings(&s);
  s.connect_timeout_ms = 3000;
  CallPair pair;
  call_pair_start(&pair, &s, &s);
  pair.forward_candidates = FALSE;
  ck_assert_msg(call_pair_run_until(&pair, both_failed, 30000), "states %s / %s",
                vindu_call_state_name(pair.state[0]), vindu_call_state_name(pair.state[1]));
  for (int i = 0; i < 2; i++) {
    ck_assert_ptr_nonnull(pair.reason[i]);
    ck_assert(pair.reason[i]->domain == VINDU_MEDIA_ERROR);
    ck_assert(pair.reason[i]->code == VINDU_MEDIA_ERROR_TIMEOUT ||
              pair.reason[i]->code == VINDU_MEDIA_ERROR_ICE);
  }
  call_pair_stop(&pair);
}
END_TEST

/* A UDP port on 127.0.0.1 that nothing listens on (bound, then closed). */
static int
closed_udp_port(void)
{
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  ck_assert_int_ge(fd, 0);
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  socklen_t len = sizeof addr;
  ck_assert_int_eq(bind(fd, (struct sockaddr *)&addr, sizeof addr), 0);
  ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&addr, &len), 0);
  close(fd);
  return ntohs(addr.sin_port);
}

/* Candidates arrive, but every one points at a closed port: the checks fail and the session
 * says so as an ICE failure, well before the connect timeout would. */
START_TEST(test_ice_failure_is_reported)
{
  VinduCallSettings s;
  call_pair_settings(&s);
  s.connect_timeout_ms = 120000; /* so a timeout cannot pass for an ICE failure */
  CallPair pair;
  call_pair_start(&pair, &s, &s);
  pair.candidate_port = closed_udp_port();
  ck_assert_msg(call_pair_run_until(&pair, both_failed, 100000), "%s", call_pair_describe(&pair));
  for (int i = 0; i < 2; i++) {
    ck_assert_ptr_nonnull(pair.reason[i]);
    ck_assert_msg(g_error_matches(pair.reason[i], VINDU_MEDIA_ERROR, VINDU_MEDIA_ERROR_ICE),
                  "side %d: %s", i, pair.reason[i]->message);
    ck_assert_int_eq(vindu_call_get_frames_decoded(pair.call[i]), 0);
  }
  call_pair_stop(&pair);
}
END_TEST

static gboolean
side_failed(CallPair *pair, gpointer data)
{
  return pair->state[*(int *)data] == VINDU_CALL_STATE_FAILED;
}

/* The same while the main thread is busy 100 ms a turn (a kiosk drawing on a slow screen):
 * the refusal must hold on the DTLS thread, not wait for the main loop to end the call. */
static gboolean
side_failed_busy(CallPair *pair, gpointer data)
{
  g_usleep(100 * 1000);
  return side_failed(pair, data);
}

/* One side is given fingerprints that do not match the certificate its peer then shows in the
 * handshake (what a stranger on the media path would present). That side refuses with a DTLS
 * error and nothing of ours reaches the stranger: not one SRTP or SRTCP packet arrives at the
 * other side, then or in the 1.5 s after (the refuser never had keys before it refused, so any
 * would have been sent after the refusal), and neither side shows or plays anything of the
 * other. Both ways round: the refusing side is the DTLS client once and the server once. */
START_TEST(test_dtls_fingerprint_mismatch_is_refused)
{
  for (int refuser = 0; refuser < 2; refuser++) {
    int other = 1 - refuser;
    VinduCallSettings s;
    call_pair_settings(&s);
    s.connect_timeout_ms = 120000; /* so a timeout cannot pass for a refusal */
    CallPair pair;
    call_pair_start(&pair, &s, &s);
    pair.corrupt_fingerprint_to = refuser;
    ck_assert_msg(call_pair_wait(&pair, side_failed_busy, &refuser, 90000), "side %d: %s", refuser,
                  call_pair_describe(&pair));
    ck_assert_msg(g_error_matches(pair.reason[refuser], VINDU_MEDIA_ERROR, VINDU_MEDIA_ERROR_DTLS),
                  "side %d: %s", refuser, pair.reason[refuser]->message);
    call_pair_run_for(&pair, 1500);
    ck_assert_msg(vindu_call_media_packets_arrived(pair.call[other]) == 0,
                  "refuser %d: %" G_GUINT64_FORMAT " media packets reached the other side", refuser,
                  vindu_call_media_packets_arrived(pair.call[other]));
    ck_assert_msg(!pair.ever_connected[other], "refuser %d: the other side connected: %s", refuser,
                  call_pair_describe(&pair));
    for (int i = 0; i < 2; i++) {
      VinduCallStats st;
      vindu_call_get_stats(pair.call[i], &st);
      ck_assert_uint_eq(st.frames_decoded, 0);
      ck_assert_uint_eq(st.audio_buffers_played, 0);
    }
    call_pair_stop(&pair);
  }
}
END_TEST

START_TEST(test_no_camera_goes_audio_only)
{
  VinduCallSettings a;
  call_pair_settings(&a);
  a.video_source = VINDU_VIDEO_SOURCE_CAMERA;
  a.camera_device = "/dev/vindu-no-such-camera";
  CallPair pair;
  call_pair_start(&pair, &a, NULL);
  ck_assert(!vindu_call_has_video(pair.call[0]));
  ck_assert(vindu_call_has_video(pair.call[1]));
  ck_assert_msg(call_pair_run_until(&pair, call_pair_both_connected, 30000), "not connected");
  /* The side without a camera still sees and hears the other; the other only hears. */
  Want frames = {0, 0, 20}, heard = {1, HEARD_DB, 0};
  ck_assert_msg(call_pair_wait(&pair, frames_reach, &frames, 30000), "no video at the side "
                                                                     "without a camera");
  ck_assert_msg(call_pair_wait(&pair, hears_above, &heard, 30000),
                "no audio from the camera-less side");
  ck_assert_uint_eq(vindu_call_get_frames_decoded(pair.call[1]), 0);
  ck_assert_uint_eq(vindu_call_get_local_frames(pair.call[0]), 0); /* nothing to preview */
  ck_assert_uint_gt(vindu_call_get_local_frames(pair.call[1]), 0);
  call_pair_stop(&pair);
}
END_TEST

static GError *
new_call_error(VinduAudioSource source)
{
  VinduCallSettings s;
  call_pair_settings(&s);
  s.audio_source = source;
  GError *error = NULL;
  VinduCall *call = vindu_call_new(&s, VINDU_CALL_ROLE_OFFERER, NULL, NULL, NULL, &error);
  vindu_call_free(call);
  return error;
}

/* Capture devices any provider lists (PulseAudio's monitors of outputs left out), their names
 * added to names when given. */
static guint
capture_devices(GString *names)
{
  g_autoptr(GstDeviceMonitor) monitor = gst_device_monitor_new();
  gst_device_monitor_add_filter(monitor, "Audio/Source", NULL);
  if (!gst_device_monitor_start(monitor))
    return 0;
  GList *devices = gst_device_monitor_get_devices(monitor);
  gst_device_monitor_stop(monitor);
  guint n = 0;
  for (GList *l = devices; l; l = l->next) {
    g_autoptr(GstStructure) props = gst_device_get_properties(l->data);
    if (g_strcmp0(props ? gst_structure_get_string(props, "device.class") : NULL, "monitor") == 0)
      continue;
    n++;
    g_autofree char *name = gst_device_get_display_name(l->data);
    if (names)
      g_string_append_printf(names, "%s\"%s\"", names->len ? ", " : "", name);
  }
  g_list_free_full(devices, gst_object_unref);
  return n;
}

/* Device discovery starts in vindu_media_init() and sees the environment of that moment: start
 * it again so that it sees what a test changed (the sound server, a registered provider). */
static void
restart_discovery(void)
{
  vindu_media_deinit();
  g_autoptr(GError) error = NULL;
  ck_assert_msg(vindu_media_init(&error), "init: %s", error ? error->message : "?");
  ck_assert_msg(vindu_devices_wait_first_pass(60000), "device discovery did not finish");
}

START_TEST(test_no_microphone_is_an_error)
{
  /* A PulseAudio server that does not exist: no microphone can be found. */
  g_setenv("PULSE_SERVER", "unix:/nonexistent/vindu-test-pulse", TRUE);
  restart_discovery();
  g_autoptr(GError) pulse = new_call_error(VINDU_AUDIO_SOURCE_PULSE);
  ck_assert_ptr_nonnull(pulse);
  ck_assert(g_error_matches(pulse, VINDU_MEDIA_ERROR, VINDU_MEDIA_ERROR_NO_MICROPHONE));
  /* AUTO (the kiosk's choice) with no sound card either: the same error before anyone rings.
   * Only a machine without any capture device can show it; say plainly when it was not run. */
  g_autoptr(GString) names = g_string_new(NULL);
  guint devices = capture_devices(names);
  if (devices > 0) {
    fprintf(stderr,
            "SKIPPED: test_no_microphone_is_an_error, AUTO case: this machine lists %u capture "
            "device(s) (%s), so AUTO rightly finds a microphone; only the PULSE case ran\n",
            devices, names->str);
    return;
  }
  ck_assert(!vindu_media_has_microphone());
  g_autoptr(GError) any = new_call_error(VINDU_AUDIO_SOURCE_AUTO);
  ck_assert_ptr_nonnull(any);
  ck_assert(g_error_matches(any, VINDU_MEDIA_ERROR, VINDU_MEDIA_ERROR_NO_MICROPHONE));
}
END_TEST

/* A capture device listed by a provider other than PulseAudio, as an ALSA card would be. */
typedef struct {
  GstDevice parent;
} TestMic;
typedef struct {
  GstDeviceClass parent_class;
} TestMicClass;
G_DEFINE_TYPE(TestMic, test_mic, GST_TYPE_DEVICE)

static GstElement *
test_mic_create_element(GstDevice *device, const char *name)
{
  return gst_element_factory_make("audiotestsrc", name);
}

static void
test_mic_class_init(TestMicClass *klass)
{
  GST_DEVICE_CLASS(klass)->create_element = test_mic_create_element;
}

static void
test_mic_init(TestMic *mic)
{
}

typedef struct {
  GstDeviceProvider parent;
} TestMics;
typedef struct {
  GstDeviceProviderClass parent_class;
} TestMicsClass;
G_DEFINE_TYPE(TestMics, test_mics, GST_TYPE_DEVICE_PROVIDER)

static GstDevice *
test_mic_new(const char *name)
{
  g_autoptr(GstCaps) caps = gst_caps_from_string("audio/x-raw");
  return g_object_new(test_mic_get_type(), "display-name", name, "device-class", "Audio/Source",
                      "caps", caps, NULL);
}

static gint test_mics_probes; /* atomic: device passes over the test provider */

static GList *
test_mics_probe(GstDeviceProvider *provider)
{
  g_atomic_int_inc(&test_mics_probes);
  return g_list_append(NULL, test_mic_new("Test card"));
}

static void
test_mics_class_init(TestMicsClass *klass)
{
  GstDeviceProviderClass *provider = GST_DEVICE_PROVIDER_CLASS(klass);
  provider->probe = test_mics_probe;
  gst_device_provider_class_set_static_metadata(provider, "Test microphones", "Audio/Source",
                                                "A capture device outside PulseAudio", "Vindu");
}

static void
test_mics_init(TestMics *mics)
{
}

/* With PULSE chosen and the sound server down, a microphone of another provider must not
 * pass the check (pulsesrc could not open it: the call would fail only once started);
 * AUTO (autoaudiosrc falls back to other sources) takes it. */
START_TEST(test_pulse_needs_a_pulse_microphone)
{
  g_setenv("PULSE_SERVER", "unix:/nonexistent/vindu-test-pulse", TRUE);
  ck_assert(
      gst_device_provider_register(NULL, "vindutestmics", GST_RANK_PRIMARY, test_mics_get_type()));
  restart_discovery();
  ck_assert_uint_ge(capture_devices(NULL), 1);
  ck_assert(vindu_media_has_microphone());
  g_autoptr(GError) pulse = new_call_error(VINDU_AUDIO_SOURCE_PULSE);
  ck_assert_msg(g_error_matches(pulse, VINDU_MEDIA_ERROR, VINDU_MEDIA_ERROR_NO_MICROPHONE),
                "PULSE with the sound server down: %s", pulse ? pulse->message : "no error");
  g_autoptr(GError) any = new_call_error(VINDU_AUDIO_SOURCE_AUTO);
  ck_assert_msg(!any, "AUTO with a microphone: %s", any ? any->message : "");
}
END_TEST

static gboolean
wait_microphones(guint want)
{
  for (int waited_ms = 0; waited_ms < 30000; waited_ms += 20) {
    if (vindu_devices_microphones(FALSE) == want)
      return TRUE;
    g_usleep(20 * 1000);
  }
  return FALSE;
}

/* The microphone question is answered from the monitor started at init: asking, and setting up
 * calls, makes no device pass (a wedged sound server would hold the kiosk's UI each time); a
 * microphone plugged in or pulled out later is seen through the monitor's messages. */
START_TEST(test_microphone_is_read_from_the_monitor)
{
  ck_assert(
      gst_device_provider_register(NULL, "vindutestmics", GST_RANK_PRIMARY, test_mics_get_type()));
  restart_discovery();
  gint probes = g_atomic_int_get(&test_mics_probes);
  ck_assert_int_ge(probes, 1);
  guint base = vindu_devices_microphones(FALSE);
  ck_assert_uint_ge(base, 1);
  for (int i = 0; i < 5; i++) {
    ck_assert(vindu_media_has_microphone());
    g_autoptr(GError) error = new_call_error(VINDU_AUDIO_SOURCE_AUTO);
    ck_assert_msg(!error, "AUTO with a microphone: %s", error ? error->message : "");
  }
  ck_assert_int_eq(g_atomic_int_get(&test_mics_probes), probes);

  g_autoptr(GstDeviceProvider) provider = gst_device_provider_factory_get_by_name("vindutestmics");
  GstDevice *plugged = gst_object_ref_sink(test_mic_new("USB headset"));
  gst_device_provider_device_add(provider, plugged);
  ck_assert_msg(wait_microphones(base + 1), "%u microphones after one was plugged in, not %u",
                vindu_devices_microphones(FALSE), base + 1);
  gst_device_provider_device_remove(provider, plugged);
  ck_assert_msg(wait_microphones(base), "%u microphones after it was pulled out, not %u",
                vindu_devices_microphones(FALSE), base);
  gst_object_unref(plugged);
  ck_assert_int_eq(g_atomic_int_get(&test_mics_probes), probes);
}
END_TEST

START_TEST(test_wrong_sdp_type_is_refused)
{
  VinduCallSettings s;
  call_pair_settings(&s);
  g_autoptr(VinduCall) call = vindu_call_new(&s, VINDU_CALL_ROLE_OFFERER, NULL, NULL, NULL, NULL);
  ck_assert_ptr_nonnull(call);
  g_autoptr(GError) error = NULL;
  ck_assert(!vindu_call_set_remote_description(call, "offer", "v=0\r\n", &error));
  ck_assert(g_error_matches(error, VINDU_MEDIA_ERROR, VINDU_MEDIA_ERROR_NEGOTIATION));
}
END_TEST

static Suite *
call_suite(void)
{
  Suite *s = suite_create("media-call");
  /* VINDU_TEST=name runs the tests whose names contain it (while working on one). */
  const char *only = g_getenv("VINDU_TEST");
#define ADD(test)                                                                                  \
  if (!only || strstr(#test, only))                                                                \
  tcase_add_test(tc, test)
  TCase *tc = tcase_create("loopback");
  tcase_add_checked_fixture(tc, setup, NULL);
  tcase_set_timeout(tc, 150);
  ADD(test_connect_both_ways);
  ADD(test_mute_stops_outgoing_audio);
  ADD(test_volume_zero_silences_playback);
  ADD(test_camera_off_stops_outgoing_video);
  ADD(test_self_view_follows_camera);
  ADD(test_statistics);
  ADD(test_bitrate_grows_on_a_clean_path);
  ADD(test_snow_keeps_to_its_target);
  ADD(test_size_steps_with_the_target);
  ADD(test_peer_lost);
  ADD(test_failed_without_path);
  ADD(test_ice_failure_is_reported);
  ADD(test_dtls_fingerprint_mismatch_is_refused);
  ADD(test_no_camera_goes_audio_only);
  ADD(test_no_microphone_is_an_error);
  ADD(test_pulse_needs_a_pulse_microphone);
  ADD(test_microphone_is_read_from_the_monitor);
  ADD(test_wrong_sdp_type_is_refused);
  suite_add_tcase(s, tc);
  return s;
}

int
main(void)
{
  return vindu_check_run(call_suite());
}
