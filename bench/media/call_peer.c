/* vindu-call-peer: one call engine in its own process, driven line by line on stdin, reporting
 * on stdout. The benchmark (and the Chromium interop test) run two of these, or one against a
 * browser, and relay the signalling lines between them.
 *
 * In (stdin):  prepare | start | sdp <offer|answer> <base64 sdp> | ice <mline> <candidate> |
 * decoded | size | sent | stop | quit. "prepare" builds the session without starting it (what the
 * kiosk does while it rings); "start" starts it, building it first if it was not prepared. Out
 * (stdout): prepared <t> | started <t> | sdp <type> <base64> | ice <mline> <candidate> | state
 * <name> [why] | first-frame <t> | lat <ms> | decoded <frames> | size <w>x<h> <frames taken> (of
 * the last frame taken; 0x0 before any) | sent <bytes> <t> (everything sent so far, from get-stats,
 * and when) | stopped <json>      (t: CLOCK_MONOTONIC in ms) Options: --offerer | --answerer,
 * --paint (timestamps in sent frames, latency read from received ones), --tone <hz>,
 * --width/--height/--fps, --latency <jitter ms>, --pattern <videotestsrc pattern and properties>,
 * --bitrate <kbps> (a fixed video target: congestion control may not move it). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "media/call.h"
#include "media/timestamp.h"

typedef struct {
  VinduCallSettings settings;
  VinduCallRole role;
  gboolean paint;
  VinduCall *call;
  gint64 started_ms;
  gboolean first_frame_seen;
  gboolean started;
  guint64 frames_taken, stamps_read;
  int last_width, last_height; /* of the last decoded frame taken */
  GMainLoop *loop;
} Peer;

static gint64
now_ms(void)
{
  return g_get_monotonic_time() / 1000;
}

static void say(const char *format, ...) G_GNUC_PRINTF(1, 2);
static void
say(const char *format, ...)
{
  va_list args;
  va_start(args, format);
  vfprintf(stdout, format, args);
  va_end(args);
  fputc('\n', stdout);
  fflush(stdout);
}

static void
on_description(VinduCall *call, const char *type, const char *sdp, gpointer user_data)
{
  g_autofree char *b64 = g_base64_encode((const guchar *)sdp, strlen(sdp));
  say("sdp %s %s", type, b64);
}

static void
on_candidate(VinduCall *call, guint mline, const char *candidate, gpointer user_data)
{
  say("ice %u %s", mline, candidate);
}

static void
on_state(VinduCall *call, VinduCallState state, const GError *reason, gpointer user_data)
{
  say("state %s%s%s", vindu_call_state_name(state), reason ? " " : "",
      reason ? reason->message : "");
}

static void
on_frame(VinduCall *call, gpointer user_data)
{
  Peer *peer = user_data;
  g_autoptr(VinduFrame) frame = vindu_call_take_frame(call);
  if (!frame)
    return;
  gint64 t = now_ms();
  peer->frames_taken++;
  peer->last_width = frame->width;
  peer->last_height = frame->height;
  if (!peer->first_frame_seen) {
    peer->first_frame_seen = TRUE;
    say("first-frame %" G_GINT64_FORMAT, t);
  }
  guint32 stamp;
  if (peer->paint && vindu_timestamp_read(frame->plane[0], frame->stride[0], frame->width,
                                          frame->height, &stamp)) {
    peer->stamps_read++;
    say("lat %u", (guint32)(vindu_timestamp_now_ms() - stamp));
  }
}

static void
stop_call(Peer *peer)
{
  if (!peer->call)
    return;
  VinduCallStats stats;
  vindu_call_get_stats(peer->call, &stats);
  say("stopped {\"frames_decoded\":%" G_GUINT64_FORMAT ",\"frames_taken\":%" G_GUINT64_FORMAT
      ",\"stamps_read\":%" G_GUINT64_FORMAT ",\"audio_buffers\":%" G_GUINT64_FORMAT
      ",\"rtt_ms\":%.2f,\"jitter_ms\":%.2f,\"loss\":%.4f,\"kbps_in\":%.1f,\"kbps_out\":%.1f,"
      "\"fps\":%.1f,\"video_target_kbps\":%.0f,\"state\":\"%s\"}",
      stats.frames_decoded, peer->frames_taken, peer->stamps_read, stats.audio_buffers_played,
      stats.rtt_ms, stats.jitter_ms, stats.loss_fraction, stats.bitrate_in_kbps,
      stats.bitrate_out_kbps, stats.frame_rate, stats.video_target_kbps,
      vindu_call_state_name(vindu_call_get_state(peer->call)));
  g_clear_pointer(&peer->call, vindu_call_free);
}

static gboolean
prepare_call(Peer *peer)
{
  static const VinduCallCallbacks callbacks = {
      .local_description = on_description,
      .local_candidate = on_candidate,
      .state_changed = on_state,
      .frame_ready = on_frame,
  };
  stop_call(peer);
  peer->first_frame_seen = FALSE;
  peer->frames_taken = peer->stamps_read = 0;
  peer->last_width = peer->last_height = 0;
  peer->started = FALSE;
  g_autoptr(GError) error = NULL;
  peer->call = vindu_call_new(&peer->settings, peer->role, &callbacks, peer, NULL, &error);
  if (!peer->call) {
    say("state failed %s", error ? error->message : "?");
    return FALSE;
  }
  say("prepared %" G_GINT64_FORMAT, now_ms());
  return TRUE;
}

static void
start_call(Peer *peer, gint64 since_ms)
{
  if ((!peer->call || peer->started) && !prepare_call(peer))
    return;
  peer->started = TRUE;
  peer->started_ms = since_ms;
  say("started %" G_GINT64_FORMAT, peer->started_ms);
  g_autoptr(GError) error = NULL;
  if (!vindu_call_start(peer->call, &error)) {
    say("state failed %s", error ? error->message : "?");
    g_clear_pointer(&peer->call, vindu_call_free);
  }
}

static void
handle_line(Peer *peer, char *line)
{
  g_strchomp(line);
  if (g_str_equal(line, "prepare")) {
    prepare_call(peer);
  } else if (g_str_equal(line, "start")) {
    start_call(peer, now_ms()); /* the moment of "answer", before any building */
  } else if (g_str_equal(line, "decoded")) {
    say("decoded %" G_GUINT64_FORMAT, peer->call ? vindu_call_get_frames_decoded(peer->call) : 0);
  } else if (g_str_equal(line, "size")) {
    say("size %dx%d %" G_GUINT64_FORMAT, peer->last_width, peer->last_height, peer->frames_taken);
  } else if (g_str_equal(line, "sent")) {
    VinduCallStats stats = {0};
    if (peer->call)
      vindu_call_get_stats(peer->call, &stats);
    say("sent %" G_GUINT64_FORMAT " %" G_GINT64_FORMAT, stats.bytes_sent,
        stats.bytes_sent_at_us / 1000);
  } else if (g_str_equal(line, "stop")) {
    stop_call(peer);
  } else if (g_str_equal(line, "quit")) {
    stop_call(peer);
    g_main_loop_quit(peer->loop);
  } else if (g_str_has_prefix(line, "sdp ") && peer->call) {
    g_auto(GStrv) parts = g_strsplit(line + 4, " ", 2);
    if (g_strv_length(parts) != 2)
      return;
    gsize len;
    g_autofree guchar *sdp = g_base64_decode(parts[1], &len);
    g_autofree char *text = g_strndup((const char *)sdp, len);
    g_autoptr(GError) error = NULL;
    if (!vindu_call_set_remote_description(peer->call, parts[0], text, &error))
      say("state failed %s", error->message);
  } else if (g_str_has_prefix(line, "ice ") && peer->call) {
    char *end = NULL;
    guint64 mline = g_ascii_strtoull(line + 4, &end, 10);
    if (end && *end == ' ')
      vindu_call_add_remote_candidate(peer->call, (guint)mline, end + 1);
  }
}

static gboolean
on_stdin(GIOChannel *channel, GIOCondition condition, gpointer user_data)
{
  Peer *peer = user_data;
  g_autofree char *line = NULL;
  gsize len;
  GIOStatus status = g_io_channel_read_line(channel, &line, &len, NULL, NULL);
  if (status == G_IO_STATUS_EOF || status == G_IO_STATUS_ERROR) {
    stop_call(peer);
    g_main_loop_quit(peer->loop);
    return G_SOURCE_REMOVE;
  }
  if (line)
    handle_line(peer, line);
  return G_SOURCE_CONTINUE;
}

int
main(int argc, char **argv)
{
  Peer peer = {.role = VINDU_CALL_ROLE_OFFERER};
  vindu_call_settings_init(&peer.settings);
  peer.settings.video_source = VINDU_VIDEO_SOURCE_TEST;
  peer.settings.audio_source = VINDU_AUDIO_SOURCE_TEST;
  peer.settings.audio_sink = VINDU_AUDIO_SINK_TEST;
  for (int i = 1; i < argc; i++) {
    const char *next = i + 1 < argc ? argv[i + 1] : "0";
    if (g_str_equal(argv[i], "--answerer"))
      peer.role = VINDU_CALL_ROLE_ANSWERER;
    else if (g_str_equal(argv[i], "--offerer"))
      peer.role = VINDU_CALL_ROLE_OFFERER;
    else if (g_str_equal(argv[i], "--paint"))
      peer.paint = TRUE;
    else if (g_str_equal(argv[i], "--tone") && ++i)
      peer.settings.test_tone_hz = atoi(next);
    else if (g_str_equal(argv[i], "--width") && ++i)
      peer.settings.width = atoi(next);
    else if (g_str_equal(argv[i], "--height") && ++i)
      peer.settings.height = atoi(next);
    else if (g_str_equal(argv[i], "--fps") && ++i)
      peer.settings.fps = atoi(next);
    else if (g_str_equal(argv[i], "--latency") && ++i)
      peer.settings.jitter_latency_ms = atoi(next);
    else if (g_str_equal(argv[i], "--pattern") && ++i)
      peer.settings.test_pattern = next;
    else if (g_str_equal(argv[i], "--bitrate") && ++i)
      peer.settings.video_bitrate_kbps = peer.settings.video_bitrate_min_kbps =
          peer.settings.video_bitrate_max_kbps = atoi(next);
    else {
      fprintf(stderr,
              "usage: %s [--offerer|--answerer] [--paint] [--tone hz] [--width w] "
              "[--height h] [--fps n] [--latency ms] [--pattern p] [--bitrate kbps]\n",
              argv[0]);
      return 2;
    }
  }
  peer.settings.paint_timestamps = peer.paint;
  g_autoptr(GError) error = NULL;
  if (!vindu_media_init(&error)) {
    fprintf(stderr, "vindu-call-peer: %s\n", error->message);
    return 1;
  }
  peer.loop = g_main_loop_new(NULL, FALSE);
  GIOChannel *in = g_io_channel_unix_new(0);
  g_io_add_watch(in, G_IO_IN | G_IO_HUP | G_IO_ERR, on_stdin, &peer);
  say("ready");
  g_main_loop_run(peer.loop);
  g_io_channel_unref(in);
  g_main_loop_unref(peer.loop);
  vindu_media_deinit();
  return 0;
}
