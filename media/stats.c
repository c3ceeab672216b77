#include "media/stats.h"

#include "media/link_quality.h"

/* Longer than any real round trip, satellite hops included. */
#define RTT_PLAUSIBLE_S 60.0

#define GST_USE_UNSTABLE_API
#include <gst/webrtc/webrtc.h>

typedef struct {
  guint64 bytes_in, bytes_out, packets_in, frames;
  gint64 lost_in;
  gint64 at_us;
} Totals;

/* Rates are taken over at least this long: at the 250 ms tick a window of one tick holds 3-4
 * video frames, so a key frame or a late packet swings it by half. */
#define WINDOW_US G_USEC_PER_SEC
#define HISTORY 32 /* samples kept: 8 s at the 250 ms tick, well over the window */
/* "Weak" only once loss or round trip has been over its limit this long without a break. A
 * browser that stops or restarts its video (camera off, camera on, the call's first seconds)
 * can lose a burst of packets or report one odd round trip, which kept the one-second figures
 * over the limits for up to 1.25 s (seen with Firefox on loopback: 9 % loss, a 366 ms round
 * trip): the kiosk then said "the connection is weak" about a camera being turned off. A link
 * that is really weak stays so for longer. */
#define WEAK_HOLD_US (2 * G_USEC_PER_SEC)

struct _VinduStatsTracker {
  GMutex lock;
  Totals history[HISTORY]; /* a ring, oldest first from next */
  guint samples, next;
  VinduCallStats figures;
  double send_loss;
  gint64 bad_since_us;   /* loss or round trip over its limit since then; 0 when not */
  guint64 packets_in;    /* inbound packets at the last reply */
  gint64 last_packet_us; /* when that count last grew; 0 before the first packet */
};

VinduStatsTracker *
vindu_stats_tracker_new(void)
{
  VinduStatsTracker *t = g_new0(VinduStatsTracker, 1);
  g_mutex_init(&t->lock);
  t->figures = (VinduCallStats){.rtt_ms = -1,
                                .jitter_ms = -1,
                                .loss_fraction = -1,
                                .bitrate_in_kbps = -1,
                                .bitrate_out_kbps = -1,
                                .frame_rate = -1};
  t->send_loss = -1;
  return t;
}

void
vindu_stats_tracker_free(VinduStatsTracker *t)
{
  if (!t)
    return;
  g_mutex_clear(&t->lock);
  g_free(t);
}

static guint64
get_u64(const GstStructure *s, const char *field)
{
  guint64 v = 0;
  if (gst_structure_get_uint64(s, field, &v))
    return v;
  guint u = 0;
  return gst_structure_get_uint(s, field, &u) ? u : 0;
}

static gint64
get_i64(const GstStructure *s, const char *field)
{
  gint64 v = 0;
  if (gst_structure_get_int64(s, field, &v))
    return v;
  int i = 0;
  return gst_structure_get_int(s, field, &i) ? i : 0;
}

typedef struct {
  Totals totals;
  double rtt_s, jitter_s, send_loss;
} Sweep;

static gboolean
visit(GQuark field, const GValue *value, gpointer user_data)
{
  Sweep *sw = user_data;
  if (!GST_VALUE_HOLDS_STRUCTURE(value))
    return TRUE;
  const GstStructure *s = gst_value_get_structure(value);
  GstWebRTCStatsType type;
  if (!gst_structure_get_enum(s, "type", GST_TYPE_WEBRTC_STATS_TYPE, (int *)&type))
    return TRUE;
  double d;
  switch (type) {
  case GST_WEBRTC_STATS_INBOUND_RTP:
    sw->totals.bytes_in += get_u64(s, "bytes-received");
    sw->totals.packets_in += get_u64(s, "packets-received");
    sw->totals.lost_in += get_i64(s, "packets-lost");
    if (gst_structure_get_double(s, "jitter", &d))
      sw->jitter_s = MAX(sw->jitter_s, d);
    break;
  case GST_WEBRTC_STATS_OUTBOUND_RTP:
    sw->totals.bytes_out += get_u64(s, "bytes-sent");
    break;
  case GST_WEBRTC_STATS_REMOTE_INBOUND_RTP:
    /* 0 is a real answer on a LAN or loopback (below RTCP's 1/65536 s resolution). Above a
     * minute it is not a round trip but an artefact: webrtcbin 1.22 once reported 1,527 s on
     * loopback (a report block's LSR/DLSR taken against the wrong sender report), and the kiosk
     * would have said the connection is weak. Such a report counts as unknown. */
    if (gst_structure_get_double(s, "round-trip-time", &d) && d >= 0 && d < RTT_PLAUSIBLE_S)
      sw->rtt_s = MAX(sw->rtt_s, d);
    if (gst_structure_get_double(s, "fraction-lost", &d))
      sw->send_loss = MAX(sw->send_loss, d);
    break;
  default:
    break;
  }
  return TRUE;
}

/* The newest sample at least WINDOW_US older than now_us, or NULL. Under the lock. */
static const Totals *
window_start(VinduStatsTracker *t, gint64 now_us)
{
  for (guint i = 1; i <= t->samples; i++) {
    const Totals *sample = &t->history[(t->next + HISTORY - i) % HISTORY];
    if (now_us - sample->at_us >= WINDOW_US)
      return sample;
  }
  return NULL;
}

/* Rates between then and now (at least WINDOW_US apart). Under the lock. */
static void
update_rates(VinduCallStats *f, const Totals *then, const Totals *now)
{
  double seconds = (now->at_us - then->at_us) / 1e6;
  f->bitrate_in_kbps = (now->bytes_in - then->bytes_in) * 8 / 1000.0 / seconds;
  f->bitrate_out_kbps = (now->bytes_out - then->bytes_out) * 8 / 1000.0 / seconds;
  f->frame_rate = (now->frames - then->frames) / seconds;
  gint64 received = (gint64)(now->packets_in - then->packets_in);
  gint64 lost = MAX(now->lost_in - then->lost_in, 0);
  f->loss_fraction = received + lost > 0 ? (double)lost / (double)(received + lost) : 0;
}

/* TRUE if a running count is lower now than at the window's start. */
static gboolean
went_back(const Totals *then, const Totals *now)
{
  return now->packets_in < then->packets_in || now->bytes_in < then->bytes_in ||
         now->bytes_out < then->bytes_out || now->lost_in < then->lost_in;
}

void
vindu_stats_tracker_update(VinduStatsTracker *t, const GstStructure *reply, gint64 now_us,
                           guint64 frames_decoded)
{
  Sweep sw = {.rtt_s = -1, .jitter_s = -1, .send_loss = -1};
  gst_structure_foreach(reply, visit, &sw);
  sw.totals.frames = frames_decoded;
  sw.totals.at_us = now_us;

  g_mutex_lock(&t->lock);
  VinduCallStats *f = &t->figures;
  f->rtt_ms = sw.rtt_s >= 0 ? sw.rtt_s * 1000 : f->rtt_ms;
  f->jitter_ms = sw.jitter_s >= 0 ? sw.jitter_s * 1000 : f->jitter_ms;
  t->send_loss = sw.send_loss;
  const Totals *then = window_start(t, now_us);
  if (then && went_back(then, &sw.totals)) {
    /* A stream's figures left the reply or started again (a browser's video stopped, its
     * SSRC timed out): counts that fall would make rates of nonsense, so start a new window. */
    t->samples = 0;
    then = NULL;
  }
  if (then)
    update_rates(f, then, &sw.totals);
  f->bytes_sent = sw.totals.bytes_out;
  f->bytes_sent_at_us = now_us;
  if (sw.totals.packets_in > t->packets_in) /* a count that fell (a stream left) is no packet */
    t->last_packet_us = now_us;
  t->packets_in = sw.totals.packets_in;
  VinduLinkFigures lf = {.loss_fraction = f->loss_fraction,
                         .rtt_ms = f->rtt_ms,
                         .silent_ms = t->last_packet_us ? (now_us - t->last_packet_us) / 1000 : -1};
  gboolean bad = vindu_link_is_bad(&lf);
  t->bad_since_us = !bad ? 0 : t->bad_since_us ? t->bad_since_us : now_us;
  gboolean weak = bad && now_us - t->bad_since_us >= WEAK_HOLD_US;
  if (weak != f->weak) /* why the banner comes or goes: figures only, nothing of the content */
    g_debug("weak=%d: loss %.3f (packets in %" G_GUINT64_FORMAT " lost %" G_GINT64_FORMAT
            ", in the window %" G_GINT64_FORMAT " / %" G_GINT64_FORMAT "), rtt %.0f ms, "
            "jitter %.1f ms, in %.0f kbit/s",
            weak, f->loss_fraction, sw.totals.packets_in, sw.totals.lost_in,
            then ? (gint64)(sw.totals.packets_in - then->packets_in) : -1,
            then ? sw.totals.lost_in - then->lost_in : -1, f->rtt_ms, f->jitter_ms,
            f->bitrate_in_kbps);
  f->weak = weak;
  t->history[t->next] = sw.totals;
  t->next = (t->next + 1) % HISTORY;
  t->samples = MIN(t->samples + 1, HISTORY);
  g_mutex_unlock(&t->lock);
}

void
vindu_stats_tracker_get(VinduStatsTracker *t, VinduCallStats *stats)
{
  g_mutex_lock(&t->lock);
  *stats = t->figures;
  g_mutex_unlock(&t->lock);
}

double
vindu_stats_tracker_send_loss(VinduStatsTracker *t)
{
  g_mutex_lock(&t->lock);
  double loss = t->send_loss;
  g_mutex_unlock(&t->lock);
  return loss;
}
