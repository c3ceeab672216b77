#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/today.h"

gint64
vk_today_next_midnight(gint64 now)
{
  g_autoptr(GDateTime) t = g_date_time_new_from_unix_local(now);
  if (!t)
    return now + 3600;
  int y, mo, d;
  g_date_time_get_ymd(t, &y, &mo, &d);
  g_autoptr(GDateTime) midnight = g_date_time_new_local(y, mo, d, 0, 0, 0);
  g_autoptr(GDateTime) next = midnight ? g_date_time_add_days(midnight, 1) : NULL;
  return next ? g_date_time_to_unix(next) : now + 3600;
}

void
vk_today_insert_sorted(GPtrArray *today, VkTodayItem *item)
{
  guint pos = 0;
  while (pos < today->len && ((VkTodayItem *)today->pdata[pos])->at <= item->at)
    pos++;
  g_ptr_array_insert(today, (gint)pos, item);
}
