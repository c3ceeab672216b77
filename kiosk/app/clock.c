/* The kiosk's clock: each whole minute, plugin timers, check-ins, plans said, night and day. */
#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/app/internal.h"
#include "kiosk/checkins.h"
#include "kiosk/plan_announce.h"
#include "kiosk/plugins_glue.h"

static gboolean clock_cb(gpointer data);

void
vk_app_arm_clock(VkApp *app)
{
  gint64 now = g_get_real_time() / G_USEC_PER_SEC;
  app->clock_timer = g_timeout_add_seconds((guint)(60 - now % 60), clock_cb, app);
}

void
vk_app_clock_tick(VkApp *app)
{
  /* plugins' timers follow the kiosk's one clock; reminders are read aloud at their second */
  vk_plugins_clock(app);
  vk_plugins_refresh(app);
  /* a new day brings its check-ins, and one an hour past leaves (a comparison otherwise) */
  if (app->cache)
    vk_checkins_tick(app->cache, app->model);
  vk_plan_announce_tick(app); /* "Kari is coming to visit at 11:00." a quarter before */
  /* night: the idle screen dims to the clock in words, and comes back in the morning */
  gboolean night = vk_night_now(app);
  if (night && app->screen == VK_SCREEN_PHOTO_FRAME) /* home in use stays; idle goes dim */
    vk_app_show(app, VK_SCREEN_NIGHT);
  else if (!night && app->screen == VK_SCREEN_NIGHT)
    vk_app_show(app, VK_SCREEN_HOME);
  if (app->screen == VK_SCREEN_HOME || app->screen == VK_SCREEN_PHOTO_FRAME ||
      app->screen == VK_SCREEN_NIGHT)
    vk_app_invalidate(app);
}

static gboolean
clock_cb(gpointer data)
{
  VkApp *app = data;
  vk_app_clock_tick(app);
  vk_app_arm_clock(app);
  return G_SOURCE_REMOVE;
}
