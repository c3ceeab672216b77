/* Pure parts: the frame slot hand-over, the painted timestamp, the bitrate controller, the DTLS
 * fingerprint check, the sent-rate window of the statistics, the device monitor's answers while
 * its start is stuck. */
#include "check_main.h"
#include <stdlib.h>
#include <string.h>

#include <gst/video/video.h>
#define GST_USE_UNSTABLE_API
#include <gst/webrtc/webrtc.h>

#include "media/congestion.h"
#include "media/devices.h"
#include "media/fingerprint.h"
#include "media/frame_slot.h"
#include "media/send_size.h"
#include "media/link_quality.h"
#include "media/stats.h"
#include "media/timestamp.h"

static GstSample *
i420_sample(int width, int height, guint8 luma)
{
  GstVideoInfo info;
  gst_video_info_set_format(&info, GST_VIDEO_FORMAT_I420, width, height);
  GstBuffer *buffer = gst_buffer_new_allocate(NULL, GST_VIDEO_INFO_SIZE(&info), NULL);
  gst_buffer_memset(buffer, 0, luma, GST_VIDEO_INFO_SIZE(&info));
  GST_BUFFER_PTS(buffer) = 40 * GST_MSECOND;
  GstCaps *caps = gst_video_info_to_caps(&info);
  GstSample *sample = gst_sample_new(buffer, caps, NULL, NULL);
  gst_buffer_unref(buffer);
  gst_caps_unref(caps);
  return sample;
}

START_TEST(test_slot_keeps_only_the_newest)
{
  gst_init(NULL, NULL);
  VinduFrameSlot *slot = vindu_frame_slot_new();
  ck_assert_ptr_null(vindu_frame_slot_take(slot));
  GstSample *a = i420_sample(64, 48, 10), *b = i420_sample(32, 16, 20);
  ck_assert(vindu_frame_slot_put(slot, a));  /* empty before: notify */
  ck_assert(!vindu_frame_slot_put(slot, b)); /* replaced an untaken frame: no new notice */
  VinduFrame *frame = vindu_frame_slot_take(slot);
  ck_assert_ptr_nonnull(frame);
  ck_assert_int_eq(frame->width, 32); /* the newer one; a resolution change is just a frame */
  ck_assert_int_eq(frame->height, 16);
  ck_assert_int_eq(frame->plane[0][0], 20);
  ck_assert_int_eq(frame->plane[2][frame->stride[2] * 7 + 15], 20);
  ck_assert_uint_eq(frame->number, 2);
  ck_assert_int_eq(frame->pts_us, 40000);
  ck_assert_ptr_null(vindu_frame_slot_take(slot)); /* taken: empty again */
  ck_assert_uint_eq(vindu_frame_slot_count(slot), 2);
  /* The frame outlives the slot. */
  vindu_frame_slot_free(slot);
  ck_assert_int_eq(frame->plane[1][0], 20);
  vindu_frame_free(frame);
  gst_sample_unref(a);
  gst_sample_unref(b);
}
END_TEST

typedef struct {
  VinduFrameSlot *slot;
  GstSample *sample;
  int puts;
} Producer;

static gpointer
produce(gpointer data)
{
  Producer *p = data;
  for (int i = 0; i < p->puts; i++)
    vindu_frame_slot_put(p->slot, p->sample);
  return NULL;
}

START_TEST(test_slot_between_threads)
{
  gst_init(NULL, NULL);
  VinduFrameSlot *slot = vindu_frame_slot_new();
  Producer p = {slot, i420_sample(16, 16, 7), 20000};
  GThread *thread = g_thread_new("producer", produce, &p);
  guint64 last = 0;
  int taken = 0;
  while (vindu_frame_slot_count(slot) < (guint64)p.puts || taken == 0) {
    VinduFrame *frame = vindu_frame_slot_take(slot);
    if (frame) {
      ck_assert_uint_gt(frame->number, last); /* never an older frame after a newer one */
      last = frame->number;
      taken++;
      vindu_frame_free(frame);
    }
  }
  g_thread_join(thread);
  ck_assert_int_gt(taken, 0);
  ck_assert_uint_eq(vindu_frame_slot_count(slot), (guint64)p.puts);
  vindu_frame_slot_free(slot);
  gst_sample_unref(p.sample);
}
END_TEST

START_TEST(test_timestamp_round_trip)
{
  int w = 640, h = 480, stride = 704;
  guint8 *y = g_malloc(stride * h);
  memset(y, 128, stride * h);
  guint32 ms;
  ck_assert(!vindu_timestamp_read(y, stride, w, h, &ms)); /* a plain picture holds none */
  const guint32 values[] = {0, 1, 0x80000000u, 0xffffffffu, 123456789u};
  for (gsize i = 0; i < G_N_ELEMENTS(values); i++) {
    vindu_timestamp_paint(y, stride, w, h, values[i]);
    ck_assert(vindu_timestamp_read(y, stride, w, h, &ms));
    ck_assert_uint_eq(ms, values[i]);
  }
  /* Survives mild blur-like noise on every pixel. */
  vindu_timestamp_paint(y, stride, w, h, 987654u);
  for (int i = 0; i < stride * h; i++)
    y[i] = (guint8)CLAMP((int)y[i] + (i % 7) * 6 - 18, 0, 255);
  ck_assert(vindu_timestamp_read(y, stride, w, h, &ms));
  ck_assert_uint_eq(ms, 987654u);
  /* Too small a frame is left alone. */
  ck_assert(!vindu_timestamp_read(y, stride, 60, 40, &ms));
  g_free(y);
}
END_TEST

START_TEST(test_congestion_follows_loss)
{
  VinduCongestion *c = vindu_congestion_new(1000, 150, 2000);
  gint64 t = 10 * G_USEC_PER_SEC;
  VinduCongestionInput heavy = {.loss = 0.3, .delay_trend_ms = 0, .sent_kbps = 1000};
  int next = vindu_congestion_update(c, &heavy, t);
  ck_assert_int_eq(next, 850); /* 1000 * (1 - 0.5 * 0.3) */
  /* At most one change a second. */
  ck_assert_int_eq(vindu_congestion_update(c, &heavy, t + 500000), 0);
  /* Keeps falling under loss, never below the floor. */
  for (int i = 1; i < 40; i++)
    vindu_congestion_update(c, &heavy, t + i * G_USEC_PER_SEC);
  ck_assert_int_eq(vindu_congestion_target(c), 150);
  /* A clean path with a full encoder lets it climb back, never above the ceiling. */
  VinduCongestionInput clean = {.loss = 0, .delay_trend_ms = 0, .sent_kbps = 10000};
  for (int i = 40; i < 200; i++)
    vindu_congestion_update(c, &clean, t + i * G_USEC_PER_SEC);
  ck_assert_int_eq(vindu_congestion_target(c), 2000);
  /* Growing queues back off before any loss. */
  VinduCongestionInput queueing = {.loss = 0, .delay_trend_ms = 5, .sent_kbps = 2000};
  ck_assert_int_eq(vindu_congestion_update(c, &queueing, t + 300 * G_USEC_PER_SEC), 1700);
  vindu_congestion_free(c);
}
END_TEST

/* A get-stats reply holding one report (taken). */
static GstStructure *
reply_of(GstStructure *report)
{
  GstStructure *reply =
      gst_structure_new("application/x-webrtc-stats", "report_1", GST_TYPE_STRUCTURE, report, NULL);
  gst_structure_free(report);
  return reply;
}

/* A get-stats reply with one outbound RTP stream that has sent bytes so far. */
static GstStructure *
stats_reply(guint64 bytes)
{
  return reply_of(gst_structure_new("outbound-rtp", "type", GST_TYPE_WEBRTC_STATS_TYPE,
                                    GST_WEBRTC_STATS_OUTBOUND_RTP, "bytes-sent", G_TYPE_UINT64,
                                    bytes, NULL));
}

/* Replies every 250 ms, as the call asks; the encoder's bytes come in lumps (a frame, a key
 * frame): 10000 bytes in one tick of four. The sent rate is the lumps averaged over at least a
 * second (80 kbit/s), not one tick's 320 or 0. */
START_TEST(test_stats_rates_span_a_second)
{
  gst_init(NULL, NULL);
  VinduStatsTracker *t = vindu_stats_tracker_new();
  guint64 bytes = 0;
  gint64 start = 100 * G_USEC_PER_SEC, tick = 250000;
  for (int i = 0; i < 24; i++) {
    bytes += i % 4 == 1 ? 10000 : 0;
    GstStructure *reply = stats_reply(bytes);
    vindu_stats_tracker_update(t, reply, start + i * tick, 0);
    gst_structure_free(reply);
    VinduCallStats st;
    vindu_stats_tracker_get(t, &st);
    ck_assert_uint_eq(st.bytes_sent, bytes);
    ck_assert_int_eq(st.bytes_sent_at_us, start + i * tick);
    if (i < 4) /* less than a second of replies: not known yet */
      ck_assert_msg(st.bitrate_out_kbps < 0, "tick %d: %.0f kbit/s", i, st.bitrate_out_kbps);
    else
      ck_assert_msg(st.bitrate_out_kbps > 79 && st.bitrate_out_kbps < 81, "tick %d: %.0f kbit/s", i,
                    st.bitrate_out_kbps);
  }
  vindu_stats_tracker_free(t);
}
END_TEST

/* A get-stats reply with one remote-inbound report carrying `rtt_s`. */
static GstStructure *
rtt_reply(double rtt_s)
{
  return reply_of(gst_structure_new("remote-inbound-rtp", "type", GST_TYPE_WEBRTC_STATS_TYPE,
                                    GST_WEBRTC_STATS_REMOTE_INBOUND_RTP, "round-trip-time",
                                    G_TYPE_DOUBLE, rtt_s, NULL));
}

/* A round trip of 1,527 s (seen from webrtcbin on loopback) is not believed: the figure stays
 * what it was, and the connection is not called weak for it. */
START_TEST(test_stats_ignore_an_impossible_round_trip)
{
  gst_init(NULL, NULL);
  VinduStatsTracker *t = vindu_stats_tracker_new();
  double replies[] = {0.012, 1527.5897, 0.015};
  double expected_ms[] = {12, 12, 15};
  for (int i = 0; i < 3; i++) {
    GstStructure *reply = rtt_reply(replies[i]);
    vindu_stats_tracker_update(t, reply, (100 + i) * G_USEC_PER_SEC, 0);
    gst_structure_free(reply);
    VinduCallStats st;
    vindu_stats_tracker_get(t, &st);
    ck_assert_msg(st.rtt_ms > expected_ms[i] - 0.5 && st.rtt_ms < expected_ms[i] + 0.5,
                  "reply %d: rtt %.1f ms", i, st.rtt_ms);
    ck_assert(!st.weak);
  }
  vindu_stats_tracker_free(t);
}
END_TEST

/* A get-stats reply with one inbound RTP stream: packets received and lost so far. */
static GstStructure *
inbound_reply(guint64 received, gint64 lost)
{
  return reply_of(gst_structure_new("inbound-rtp", "type", GST_TYPE_WEBRTC_STATS_TYPE,
                                    GST_WEBRTC_STATS_INBOUND_RTP, "packets-received", G_TYPE_UINT64,
                                    received, "packets-lost", G_TYPE_INT64, lost, "bytes-received",
                                    G_TYPE_UINT64, received * 1000, NULL));
}

/* The rule itself: 20 % loss is weak; silence is weak however good the last figures were. */
START_TEST(test_link_rule_counts_silence_as_loss)
{
  VinduLinkFigures good = {.loss_fraction = 0.01, .rtt_ms = 40, .silent_ms = 250};
  ck_assert(!vindu_link_is_bad(&good));
  VinduLinkFigures lossy = {.loss_fraction = 0.20, .rtt_ms = 40, .silent_ms = 0};
  ck_assert(vindu_link_is_bad(&lossy));
  VinduLinkFigures far = {.loss_fraction = 0, .rtt_ms = 600, .silent_ms = 0};
  ck_assert(vindu_link_is_bad(&far));
  /* nothing arrives: no loss to count (0), no new round trip, and still bad */
  VinduLinkFigures silent = {.loss_fraction = 0, .rtt_ms = 40, .silent_ms = VINDU_LINK_SILENT_MS};
  ck_assert(vindu_link_is_bad(&silent));
  VinduLinkFigures unknown = {.loss_fraction = -1, .rtt_ms = -1, .silent_ms = -1};
  ck_assert(!vindu_link_is_bad(&unknown));
}
END_TEST

/* Packets flow, then none at all (a blackout): webrtcbin's counts simply stop, loss reads 0,
 * and the tracker still calls the link weak once the silence has lasted (it used to say good,
 * and the kiosk then said the other person's camera was off). */
START_TEST(test_stats_silence_is_weak)
{
  gst_init(NULL, NULL);
  VinduStatsTracker *t = vindu_stats_tracker_new();
  gint64 start = 100 * G_USEC_PER_SEC, tick = 250000;
  guint64 received = 0;
  VinduCallStats st;
  for (int i = 0; i < 40; i++) {
    if (i < 8)
      received += 25;
    GstStructure *reply = inbound_reply(received, 0);
    vindu_stats_tracker_update(t, reply, start + i * tick, 0);
    gst_structure_free(reply);
    vindu_stats_tracker_get(t, &st);
    if (i < 12) /* flowing, then the first second of silence: not weak yet */
      ck_assert_msg(!st.weak, "tick %d", i);
  }
  ck_assert(st.loss_fraction <= 0.0);
  ck_assert_msg(st.weak, "8 s without a packet is a weak link");
  vindu_stats_tracker_free(t);
}
END_TEST

/* Replies every 250 ms with 25 packets a tick; `lost_per_tick` lost in ticks [from, to). Returns
 * the tick of the first weak figure, or -1. */
static int
first_weak(int ticks, int from, int to, gint64 lost_per_tick)
{
  VinduStatsTracker *t = vindu_stats_tracker_new();
  guint64 received = 0;
  gint64 lost = 0;
  int weak_at = -1;
  for (int i = 0; i < ticks; i++) {
    received += 25;
    lost += i >= from && i < to ? lost_per_tick : 0;
    GstStructure *reply = inbound_reply(received, lost);
    vindu_stats_tracker_update(t, reply, (100 * G_USEC_PER_SEC) + i * 250000, 0);
    gst_structure_free(reply);
    VinduCallStats st;
    vindu_stats_tracker_get(t, &st);
    if (st.weak && weak_at < 0)
      weak_at = i;
  }
  vindu_stats_tracker_free(t);
  return weak_at;
}

/* A burst of loss that keeps the one-second figure over 5 % for about a second (a browser
 * stopping or restarting its video, as Firefox does at camera off) is not a weak connection;
 * loss that goes on is, once it has lasted 2 s. */
START_TEST(test_stats_weak_only_when_it_lasts)
{
  gst_init(NULL, NULL);
  ck_assert_int_eq(first_weak(40, 10, 12, 5), -1); /* 10 of 110 lost, within half a second */
  int at = first_weak(40, 10, 40, 3);              /* about 11 % lost, for good */
  ck_assert_msg(at >= 10 + 8 && at <= 10 + 14, "weak at tick %d", at);
}
END_TEST

/* Counts that fall (a stream's figures left the reply) start a new window: no rate of nonsense
 * (an unsigned difference gone below zero was read as 10^16 kbit/s), nothing called weak. */
START_TEST(test_stats_counts_that_fall_start_again)
{
  gst_init(NULL, NULL);
  VinduStatsTracker *t = vindu_stats_tracker_new();
  guint64 received[] = {100, 200, 300, 400, 500, 600, 20, 40, 60, 80, 100, 120, 140};
  for (guint i = 0; i < G_N_ELEMENTS(received); i++) {
    GstStructure *reply = inbound_reply(received[i], i < 6 ? 30 : 0);
    vindu_stats_tracker_update(t, reply, (100 * G_USEC_PER_SEC) + i * 250000, 0);
    gst_structure_free(reply);
    VinduCallStats st;
    vindu_stats_tracker_get(t, &st);
    ck_assert_msg(st.bitrate_in_kbps < 4000, "tick %u: %.0f kbit/s", i, st.bitrate_in_kbps);
    ck_assert_msg(!st.weak, "tick %u: weak", i);
  }
  vindu_stats_tracker_free(t);
}
END_TEST

/* A device provider whose start blocks until the test lets it go, as PulseAudio's does on a
 * sound server that does not answer. */
typedef struct {
  GstDeviceProvider parent;
} StuckProvider;
typedef struct {
  GstDeviceProviderClass parent_class;
} StuckProviderClass;
G_DEFINE_TYPE(StuckProvider, stuck_provider, GST_TYPE_DEVICE_PROVIDER)

static GMutex stuck_lock;
static GCond stuck_cond;
static gboolean stuck_released;

static gboolean
stuck_start(GstDeviceProvider *provider)
{
  g_mutex_lock(&stuck_lock);
  while (!stuck_released)
    g_cond_wait(&stuck_cond, &stuck_lock);
  g_mutex_unlock(&stuck_lock);
  return TRUE;
}

static GList *
stuck_probe(GstDeviceProvider *provider)
{
  return NULL;
}

static void
stuck_provider_class_init(StuckProviderClass *klass)
{
  GstDeviceProviderClass *dp = GST_DEVICE_PROVIDER_CLASS(klass);
  dp->start = stuck_start;
  dp->probe = stuck_probe;
  gst_device_provider_class_set_static_metadata(dp, "Stuck", "Audio/Source", "never starts",
                                                "Vindu");
}

static void
stuck_provider_init(StuckProvider *self)
{
}

static gint64
elapsed_us(gint64 since)
{
  return g_get_monotonic_time() - since;
}

/* With the monitor's start stuck, the first question waits (up to 2 s) and says "not known",
 * not "none"; later ones neither wait nor guess; once the start returns, the answer is known. */
START_TEST(test_devices_wait_once_for_a_stuck_start)
{
  gst_init(NULL, NULL);
  ck_assert(gst_device_provider_register(NULL, "vindustuck", GST_RANK_PRIMARY + 100,
                                         stuck_provider_get_type()));
  vindu_devices_start();
  guint n = 99;
  gint64 t0 = g_get_monotonic_time();
  ck_assert(!vindu_devices_count_microphones(FALSE, &n));
  ck_assert_int_ge(elapsed_us(t0), 1900 * 1000);
  ck_assert_uint_eq(n, 0);

  t0 = g_get_monotonic_time();
  ck_assert_uint_eq(vindu_devices_microphones(TRUE), 0);
  ck_assert(!vindu_devices_count_microphones(FALSE, &n));
  ck_assert(vindu_devices_cameras() == NULL);
  ck_assert_msg(elapsed_us(t0) < 1000 * 1000, "a later question waited %" G_GINT64_FORMAT " us",
                elapsed_us(t0));

  g_mutex_lock(&stuck_lock);
  stuck_released = TRUE;
  g_cond_broadcast(&stuck_cond);
  g_mutex_unlock(&stuck_lock);
  ck_assert(vindu_devices_wait_first_pass(60000));
  ck_assert(vindu_devices_count_microphones(FALSE, &n));
  vindu_devices_stop();
}
END_TEST

/* A self-signed certificate made with `openssl req -x509 -newkey ec` and its fingerprints as
 * `openssl x509 -fingerprint -sha1/-sha256/-sha512` gives them (an independent computation). */
static const char test_pem[] = "-----BEGIN CERTIFICATE-----\n"
                               "MIIBgTCCASegAwIBAgIUKLKLLkjfSVoTwIeRd4JuNkTtyFswCgYIKoZIzj0EAwIw\n"
                               "FTETMBEGA1UEAwwKdmluZHUtdGVzdDAgFw0yNjExMjMwMzU3MzZaGA8yMTI2MTAz\n"
                               "MDAzNTczNlowFTETMBEGA1UEAwwKdmluZHUtdGVzdDBZMBMGByqGSM49AgEGCCqG\n"
                               "SM49AwEHA0IABKLoOxYwjItDDBPPXbyiiJXXFK/lTvZ0a5i7sSgTSmmE2d/9bvJJ\n"
                               "zOHzmvnWoMUUSSglAvFSPBjFpkk9uUGODo2jUzBRMB0GA1UdDgQWBBQPZI2TxGok\n"
                               "TjRSpe/AUccNY4ccmzAfBgNVHSMEGDAWgBQPZI2TxGokTjRSpe/AUccNY4ccmzAP\n"
                               "BgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0gAMEUCIE4+dLgcIK5O6Oj9CrhY\n"
                               "CFiTn2gaLqqkgMF7jOrdeiFzAiEAybGfFOpMGuMJ6kD1oaK/TjwIzxex6bNs52uZ\n"
                               "SbF2OyM=\n"
                               "-----END CERTIFICATE-----\n";
#define SHA1_HEX "3E:52:87:DB:C3:6F:61:93:ED:A5:42:29:E2:25:BD:AB:1D:F8:03:7F"
#define SHA1_RIGHT "sha-1 " SHA1_HEX
#define SHA1_WRONG "sha-1 3E:52:87:DB:C3:6F:61:93:ED:A5:42:29:E2:25:BD:AB:1D:F8:03:70"
#define SHA256_HEX                                                                                 \
  "39:06:3C:68:86:77:11:74:25:FB:38:D3:0C:B5:55:3C:B8:50:9C:65:F4:B5:2B:3B:AF:77:6E:6C:ED:D6:56:"  \
  "25"
#define SHA256_RIGHT "sha-256 " SHA256_HEX
#define SHA256_WRONG                                                                               \
  "sha-256 "                                                                                       \
  "19:06:3C:68:86:77:11:74:25:FB:38:D3:0C:B5:55:3C:B8:50:9C:65:F4:B5:2B:3B:AF:77:6E:6C:ED:D6:56:"  \
  "25"

/* The fingerprints of an SDP text, then whether the test certificate passes them. */
static gboolean
sdp_accepts(const char *sdp_text)
{
  GstSDPMessage *sdp = NULL;
  ck_assert_int_eq(gst_sdp_message_new_from_text(sdp_text, &sdp), GST_SDP_OK);
  GPtrArray *fingerprints = vindu_fingerprints_from_sdp(sdp);
  gboolean accepted = vindu_fingerprint_accepts(fingerprints, test_pem);
  g_ptr_array_unref(fingerprints);
  gst_sdp_message_free(sdp);
  return accepted;
}

static gboolean
list_accepts(const char *a, const char *b)
{
  GPtrArray *fingerprints = g_ptr_array_new();
  g_ptr_array_add(fingerprints, (gpointer)a);
  if (b)
    g_ptr_array_add(fingerprints, (gpointer)b);
  gboolean accepted = vindu_fingerprint_accepts(fingerprints, test_pem);
  g_ptr_array_unref(fingerprints);
  return accepted;
}

#define SDP_HEAD "v=0\r\no=- 1 0 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n"
#define SDP_AUDIO "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\n"

START_TEST(test_fingerprint_hashes_like_openssl)
{
  g_autofree char *sha1 = vindu_certificate_fingerprint(test_pem, "SHA-1");
  ck_assert_str_eq(sha1, SHA1_HEX);
  g_autofree char *sha256 = vindu_certificate_fingerprint(test_pem, "sha-256");
  ck_assert_str_eq(sha256, SHA256_HEX);
  g_autofree char *sha512 = vindu_certificate_fingerprint(test_pem, "sha-512");
  ck_assert_str_eq(sha512, "A3:75:8F:97:B4:B8:9A:C5:E8:91:56:2D:BE:24:90:16:3A:38:1E:05:47:FC:8D:"
                           "EA:03:D3:B0:E4:C6:A2:2A:17:36:6F:6E:93:27:5D:72:95:4A:EF:6E:5F:F6:1A:"
                           "E6:2E:6E:3E:D7:4B:92:F3:F0:33:47:1E:F2:33:3E:48:56:34");
  ck_assert_ptr_null(vindu_certificate_fingerprint(test_pem, "md5"));
  ck_assert_ptr_null(vindu_certificate_fingerprint("no certificate", "sha-256"));
}
END_TEST

START_TEST(test_fingerprint_rule)
{
  ck_assert(list_accepts(SHA256_RIGHT, NULL));
  ck_assert(!list_accepts(SHA256_WRONG, NULL));
  /* The strongest supported function decides: a wrong sha-1 beside a right sha-256 is
   * accepted, a right sha-1 beside a wrong sha-256 is not (sha-1 collisions can be made). */
  ck_assert(list_accepts(SHA1_WRONG, SHA256_RIGHT));
  ck_assert(!list_accepts(SHA1_RIGHT, SHA256_WRONG));
  /* sha-1 alone still counts (RFC 8122 allows it); an unsupported function is ignored. */
  ck_assert(list_accepts(SHA1_RIGHT, NULL));
  ck_assert(list_accepts("md5 00:11:22", SHA256_RIGHT));
  ck_assert(!list_accepts("md5 00:11:22", NULL));
  ck_assert(!list_accepts("sha-256", NULL)); /* no hex at all */
  ck_assert(!vindu_fingerprint_accepts(NULL, test_pem));
  g_autofree char *lower = g_ascii_strdown(SHA256_RIGHT, -1);
  ck_assert(list_accepts(lower, NULL));
  /* A certificate that cannot be read matches nothing. */
  GPtrArray *right = g_ptr_array_new();
  g_ptr_array_add(right, (gpointer)SHA256_RIGHT);
  ck_assert(!vindu_fingerprint_accepts(right, "-----BEGIN CERTIFICATE-----\n!!\n"));
  g_ptr_array_unref(right);
}
END_TEST

START_TEST(test_fingerprint_from_sdp)
{
  /* A session-level line only (what Firefox sends) covers every m-line. */
  ck_assert(sdp_accepts(SDP_HEAD "a=fingerprint:" SHA256_RIGHT "\r\n" SDP_AUDIO));
  /* At m-line level, lower-case hex (RFC 8122 allows either case). */
  g_autofree char *lower = g_ascii_strdown(SHA256_RIGHT, -1);
  g_autofree char *media_level =
      g_strconcat(SDP_HEAD SDP_AUDIO "a=fingerprint:", lower, "\r\n", NULL);
  ck_assert(sdp_accepts(media_level));
  /* Only an unsupported function, or none at all: refused. */
  ck_assert(!sdp_accepts(SDP_HEAD SDP_AUDIO "a=fingerprint:md5 00:11:22:33\r\n"));
  ck_assert(!sdp_accepts(SDP_HEAD SDP_AUDIO "a=setup:actpass\r\n"));
  /* Session and m-line lines are weighed together. */
  ck_assert(sdp_accepts(SDP_HEAD "a=fingerprint:" SHA1_WRONG "\r\n" SDP_AUDIO
                                 "a=fingerprint:" SHA256_RIGHT "\r\n"));
}
END_TEST

/* The size sent steps down with the target (0.04 bit per pixel per frame), back up only with
 * 25 % to spare, and never below a quarter of the camera's width and height. */
START_TEST(test_send_size_follows_the_target)
{
  /* 640x480@30 whole needs 369 kbit/s, 480x360 207, 320x240 92. */
  ck_assert_int_eq(vindu_send_size_step(640, 480, 30, 2000, 0), 0);
  ck_assert_int_eq(vindu_send_size_step(640, 480, 30, 370, 0), 0);
  ck_assert_int_eq(vindu_send_size_step(640, 480, 30, 360, 0), 1);
  ck_assert_int_eq(vindu_send_size_step(640, 480, 30, 150, 0), 2);
  ck_assert_int_eq(vindu_send_size_step(640, 480, 30, 30, 0), 3);
  /* back up from 480x360: 369 is not enough, 1.25 times it is */
  ck_assert_int_eq(vindu_send_size_step(640, 480, 30, 400, 1), 1);
  ck_assert_int_eq(vindu_send_size_step(640, 480, 30, 462, 1), 0);
  /* 1280x720@30 at 500 kbit/s: 640x360 (276 needed; 960x540 needs 622) */
  int step = vindu_send_size_step(1280, 720, 30, 500, 0);
  int w, h;
  vindu_send_size_of_step(1280, 720, step, &w, &h);
  ck_assert_int_eq(w, 640);
  ck_assert_int_eq(h, 360);
  /* even sizes, the camera's shape, never below 16 */
  vindu_send_size_of_step(322, 242, 1, &w, &h);
  ck_assert_int_eq(w, 240);
  ck_assert_int_eq(h, 180);
  vindu_send_size_of_step(40, 30, 3, &w, &h);
  ck_assert_int_eq(w, 16);
  ck_assert_int_eq(h, 16);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("media-units");
  TCase *tc = tcase_create("units");
  tcase_add_test(tc, test_slot_keeps_only_the_newest);
  tcase_add_test(tc, test_slot_between_threads);
  tcase_add_test(tc, test_timestamp_round_trip);
  tcase_add_test(tc, test_congestion_follows_loss);
  tcase_add_test(tc, test_send_size_follows_the_target);
  tcase_add_test(tc, test_stats_rates_span_a_second);
  tcase_add_test(tc, test_stats_ignore_an_impossible_round_trip);
  tcase_add_test(tc, test_stats_weak_only_when_it_lasts);
  tcase_add_test(tc, test_stats_counts_that_fall_start_again);
  tcase_add_test(tc, test_fingerprint_hashes_like_openssl);
  tcase_add_test(tc, test_fingerprint_rule);
  tcase_add_test(tc, test_fingerprint_from_sdp);
  tcase_add_test(tc, test_devices_wait_once_for_a_stuck_start);
  tcase_add_test(tc, test_link_rule_counts_silence_as_loss);
  tcase_add_test(tc, test_stats_silence_is_weak);
  suite_add_tcase(s, tc);
  return vindu_check_run(s);
}
