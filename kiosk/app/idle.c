/* What the screen does when nobody touches it: home becomes the photo frame (or the night clock
 * in quiet hours), the frame moves on to the next photo, a helpers' screen goes home. */
#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/app/internal.h"

static gboolean
idle_cb(gpointer data)
{
  VkApp *app = data;
  if (app->screen == VK_SCREEN_HOME && vk_night_now(app)) {
    app->idle_timer = 0;
    vk_app_show(app, VK_SCREEN_NIGHT);
    return G_SOURCE_REMOVE;
  }
  if ((app->screen == VK_SCREEN_HOME || app->screen == VK_SCREEN_MEMORY_VIEW) &&
      app->model->photos->len) {
    vk_frame_state_start(&app->frame);
    vk_app_show(app, VK_SCREEN_PHOTO_FRAME);
    return G_SOURCE_REMOVE; /* vk_app_show re-armed us for the next photo */
  }
  if (app->screen >= VK_SCREEN_SETTINGS_PIN /* any helpers' screen */) {
    app->idle_timer = 0;
    vk_app_show(app, VK_SCREEN_HOME);
    return G_SOURCE_REMOVE;
  }
  if (app->screen == VK_SCREEN_PHOTO_FRAME) {
    vk_frame_state_next(&app->frame);
    vk_app_invalidate(app);
    return G_SOURCE_CONTINUE;
  }
  app->idle_timer = 0;
  return G_SOURCE_REMOVE;
}

void
vk_app_reset_idle_timer(VkApp *app)
{
  g_clear_handle_id(&app->idle_timer, g_source_remove);
  if (app->opts->idle_seconds <= 0)
    return;
  if (app->screen >= VK_SCREEN_SETTINGS_PIN /* any helpers' screen */)
    app->idle_timer = g_timeout_add_seconds(120, idle_cb, app); /* a helper walked away */
  else if (app->screen == VK_SCREEN_HOME || app->screen == VK_SCREEN_MESSAGES ||
           app->screen == VK_SCREEN_PHOTO_VIEW || app->screen == VK_SCREEN_MEMORY_VIEW)
    app->idle_timer = g_timeout_add_seconds((guint)app->opts->idle_seconds, idle_cb, app);
  else if (app->screen == VK_SCREEN_PHOTO_FRAME)
    app->idle_timer = g_timeout_add_seconds((guint)MAX(app->opts->frame_seconds, 1), idle_cb, app);
}
