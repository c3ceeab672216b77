#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/checkins.h"

#include "kiosk/today.h"

#include <json-glib/json-glib.h>

static gboolean
same_local_date(GDateTime *a, GDateTime *b)
{
  int ya, ma, da, yb, mb, db;
  g_date_time_get_ymd(a, &ya, &ma, &da);
  g_date_time_get_ymd(b, &yb, &mb, &db);
  return ya == yb && ma == mb && da == db;
}

void
vk_checkins_load(VkCache *c, VkModel *m)
{
  for (guint i = m->today->len; i > 0; i--)
    if (((VkTodayItem *)m->today->pdata[i - 1])->kind == VK_TODAY_CALL)
      g_ptr_array_remove_index(m->today, i - 1);
  gint64 now = vk_model_now(m);
  g_autoptr(GDateTime) today = g_date_time_new_from_unix_local(now);
  gint64 due = vk_today_next_midnight(now);
  g_autoptr(GPtrArray) docs = vk_cache_docs(c, "checkin");
  for (guint i = 0; i + 2 < docs->len; i += 3) {
    g_autoptr(JsonParser) p = json_parser_new();
    if (!json_parser_load_from_data(p, docs->pdata[i + 2], -1, NULL) ||
        !JSON_NODE_HOLDS_OBJECT(json_parser_get_root(p)))
      continue;
    JsonObject *o = json_node_get_object(json_parser_get_root(p));
    gint64 at = json_object_get_int_member_with_default(o, "at", 0);
    g_autoptr(GDateTime) when = g_date_time_new_from_unix_local(at);
    if (!when || at + VK_CHECKIN_KEEP_S < now || !same_local_date(when, today))
      continue;
    due = MIN(due, at + VK_CHECKIN_KEEP_S + 1);
    VkTodayItem *t = g_new0(VkTodayItem, 1);
    t->kind = VK_TODAY_CALL;
    t->at = at;
    t->who = g_strdup(json_object_get_string_member_with_default(o, "person", NULL));
    t->title = g_strdup(json_object_get_string_member_with_default(o, "title", NULL));
    vk_today_insert_sorted(m->today, t);
  }
  m->checkins_due = due;
  m->checkins_at = now;
}

gboolean
vk_checkins_tick(VkCache *c, VkModel *m)
{
  gint64 now = vk_model_now(m);
  /* a clock stepped back (NTP after a wrong start) can bring back a check-in that had left or
   * was on another date: the due time worked out at the later time does not hold */
  if (now < m->checkins_due && now >= m->checkins_at)
    return FALSE;
  vk_checkins_load(c, m);
  return TRUE;
}
