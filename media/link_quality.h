/* The rule that says whether the link under a call is weak: pure, on figures it is given.
 *
 * Loss and round trip alone say nothing when nothing arrives at all (no packets: no loss to
 * count, loss reads 0), so silence counts as loss: no inbound packet for VINDU_LINK_SILENT_MS
 * makes the link bad, and a silent picture is then "paused by the connection", never "their
 * camera is off". Silence that lasts becomes "reconnecting" through the engine's peer-lost
 * timer (VinduCallSettings.peer_lost_ms), not here. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define VINDU_LINK_MAX_LOSS 0.05  /* inbound loss over the last second above this is bad */
#define VINDU_LINK_MAX_RTT_MS 400 /* a round trip above this is bad */
#define VINDU_LINK_SILENT_MS 1500 /* no inbound packet this long is bad */

typedef struct {
  double loss_fraction; /* 0..1, negative when not known yet */
  double rtt_ms;        /* negative when not known yet */
  gint64 silent_ms;     /* since the last inbound packet; negative before the first */
} VinduLinkFigures;

/* TRUE if these figures are over a limit (the banner waits until they stay so a while). */
gboolean vindu_link_is_bad(const VinduLinkFigures *f);

G_END_DECLS
