#include "clock.h"

gint64
hub_clock_now_s(void)
{
  return g_get_real_time() / G_USEC_PER_SEC;
}
