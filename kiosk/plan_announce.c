#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/plan_announce.h"

#include "kiosk/i18n.h"
#include "kiosk/orientation.h"
#include "kiosk/speech.h"

char *
vk_plan_announcement(const VkTodayItem *it, const char *who_name, gint64 now)
{
  if (!who_name || (it->kind != VK_TODAY_VISIT && it->kind != VK_TODAY_CALL))
    return NULL;
  if (now < it->at - VK_PLAN_ANNOUNCE_LEAD_S || now >= it->at)
    return NULL;
  g_autofree char *clock = vk_clock_text(it->at);
  if (it->kind == VK_TODAY_VISIT)
    return g_strdup_printf(_("%1$s is coming to visit at %2$s."), who_name, clock);
  return g_strdup_printf(_("%1$s will call you at %2$s."), who_name, clock);
}

static char *
plan_key(const VkTodayItem *it)
{
  return g_strdup_printf("%d|%s|%" G_GINT64_FORMAT, it->kind, it->who, it->at);
}

/* Plans said more than a day ago are forgotten, so the set stays small. */
static gboolean
said_long_ago(gpointer key, gpointer value, gpointer now)
{
  (void)key;
  return GPOINTER_TO_SIZE(value) + 86400 < GPOINTER_TO_SIZE(now);
}

void
vk_plan_announce_tick(VkApp *app)
{
  gboolean call = app->call.state != CALL_STATE_IDLE && app->call.state != CALL_STATE_ENDED;
  if (call || vk_night_now(app))
    return; /* quiet hours stay quiet; a call is never talked over */
  if (!app->plans_said)
    app->plans_said = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  gint64 now = vk_model_now(app->model);
  g_hash_table_foreach_remove(app->plans_said, said_long_ago, GSIZE_TO_POINTER((gsize)now));
  for (guint i = 0; i < app->model->today->len; i++) {
    const VkTodayItem *it = app->model->today->pdata[i];
    const char *name = it->who ? vk_person_name(app, it->who) : NULL;
    g_autofree char *said = vk_plan_announcement(it, name, now);
    g_autofree char *key = said ? plan_key(it) : NULL;
    if (!said || g_hash_table_contains(app->plans_said, key))
      continue;
    vk_speech_say(said);
    g_hash_table_insert(app->plans_said, g_steal_pointer(&key), GSIZE_TO_POINTER((gsize)now));
  }
}
