/* Turns webrtcbin's get-stats reply into the few figures the kiosk shows (VinduCallStats),
 * with rates (bitrates, frame rate, loss) taken over at least the last second of replies, not
 * between two successive ones (the call asks every 250 ms). Thread-safe: replies arrive on
 * webrtcbin's thread, readers are on the main thread. */
#pragma once

#include <gst/gst.h>
#include "media/call.h"

G_BEGIN_DECLS

typedef struct _VinduStatsTracker VinduStatsTracker;

VinduStatsTracker *vindu_stats_tracker_new(void);
void vindu_stats_tracker_free(VinduStatsTracker *tracker);

/* reply: (transfer none) the structure a "get-stats" promise replied with. frames_decoded
 * gives the frame rate. */
void vindu_stats_tracker_update(VinduStatsTracker *tracker, const GstStructure *reply,
                                gint64 now_us, guint64 frames_decoded);

/* The latest figures (fields vindu_call_get_stats() fills itself are left zero). */
void vindu_stats_tracker_get(VinduStatsTracker *tracker, VinduCallStats *stats);

/* Loss the peer reports for what we send (RTCP receiver reports), 0..1, or negative. */
double vindu_stats_tracker_send_loss(VinduStatsTracker *tracker);

G_END_DECLS
