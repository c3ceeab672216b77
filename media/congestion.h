/* Sender-side bitrate control for the video encoder. webrtcbin 1.22 carries TWCC but has no
 * bandwidth estimator of its own (rtpgccbwe lives in gst-plugins-rs, not in Debian 12), so this
 * is a small loss- and delay-based controller in the spirit of GCC, fed each second with
 * the TWCC statistics of the RTP session (loss and delay trend seen by the peer) and, when
 * those are missing, with RTCP receiver-report loss. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _VinduCongestion VinduCongestion;

typedef struct {
  double loss;           /* 0..1, negative if unknown */
  double delay_trend_ms; /* TWCC average delta-of-delta, negative if unknown or falling */
  double sent_kbps;      /* what actually went out, negative if unknown */
} VinduCongestionInput;

VinduCongestion *vindu_congestion_new(int start_kbps, int min_kbps, int max_kbps);
void vindu_congestion_free(VinduCongestion *c);

/* Returns the new target in kbit/s, or 0 when it did not change. At most one change a second. */
int vindu_congestion_update(VinduCongestion *c, const VinduCongestionInput *in, gint64 now_us);

int vindu_congestion_target(VinduCongestion *c);

G_END_DECLS
