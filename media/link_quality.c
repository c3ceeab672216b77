#include "media/link_quality.h"

gboolean
vindu_link_is_bad(const VinduLinkFigures *f)
{
  if (f->silent_ms >= VINDU_LINK_SILENT_MS)
    return TRUE; /* nothing arrives: worse than any loss the reports could show */
  return f->loss_fraction > VINDU_LINK_MAX_LOSS || f->rtt_ms > VINDU_LINK_MAX_RTT_MS;
}
