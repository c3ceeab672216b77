#include "media/congestion.h"

struct _VinduCongestion {
  double target, min, max;
  gint64 last_change_us;
  gint target_atomic; /* for readers on other threads */
};

VinduCongestion *
vindu_congestion_new(int start_kbps, int min_kbps, int max_kbps)
{
  VinduCongestion *c = g_new0(VinduCongestion, 1);
  c->min = MAX(min_kbps, 30);
  c->max = MAX(max_kbps, c->min);
  c->target = CLAMP(start_kbps, c->min, c->max);
  c->target_atomic = (int)c->target;
  return c;
}

void
vindu_congestion_free(VinduCongestion *c)
{
  g_free(c);
}

int
vindu_congestion_update(VinduCongestion *c, const VinduCongestionInput *in, gint64 now_us)
{
  if (now_us - c->last_change_us < G_USEC_PER_SEC)
    return 0;
  double next = c->target;
  if (in->loss > 0.10)
    next = c->target * (1 - 0.5 * in->loss); /* GCC's loss rule */
  else if (in->delay_trend_ms > 2.0)
    next = c->target * 0.85; /* queues are growing: back off before loss */
  else if (in->loss >= 0 && in->loss < 0.02) {
    /* Grow only while the encoder actually fills what it was given. */
    if (in->sent_kbps < 0 || in->sent_kbps > 0.7 * c->target)
      next = c->target * 1.08;
  }
  next = CLAMP(next, c->min, c->max);
  if ((int)next == (int)c->target)
    return 0;
  c->target = next;
  c->last_change_us = now_us;
  g_atomic_int_set(&c->target_atomic, (int)next);
  return (int)next;
}

int
vindu_congestion_target(VinduCongestion *c)
{
  return g_atomic_int_get(&c->target_atomic);
}
