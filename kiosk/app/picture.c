/* The watch on the other person's picture in a connected call (remote_picture.h) and its one
 * timer: a picture that stopped gives way to their photo and a sentence. */
#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/app/internal.h"

static gboolean picture_timer_cb(gpointer data);

static void
arm_picture_timer(VkApp *app)
{
  g_clear_handle_id(&app->picture_timer, g_source_remove);
  gint64 d = vk_picture_watch_deadline(&app->picture);
  if (d)
    app->picture_timer = g_timeout_add_full(G_PRIORITY_DEFAULT, (guint)MAX(d - vk_app_now_ms(), 0),
                                            picture_timer_cb, app, NULL);
}

static gboolean
picture_timer_cb(gpointer data)
{
  VkApp *app = data;
  app->picture_timer = 0;
  if (vk_picture_watch_check(&app->picture, vk_app_now_ms()))
    vk_app_invalidate(app); /* their photo and a sentence instead of a frozen face */
  arm_picture_timer(app);
  return G_SOURCE_REMOVE;
}

/* Watched only in a connected call: connecting and reconnecting say so themselves. The watch
 * waits for the first frame (VK_PICTURE_FIRST_MS), then for each next one. */
void
vk_app_follow_picture(VkApp *app)
{
  gboolean connected = app->call.state == CALL_STATE_IN_CALL;
  if (connected == app->picture.watching)
    return;
  if (connected)
    vk_picture_watch_start(&app->picture, vk_app_now_ms());
  else
    vk_picture_watch_stop(&app->picture);
  arm_picture_timer(app);
}

void
vk_app_do_set_weak_connection(VkApp *app, gboolean weak)
{
  if (weak == app->weak_connection)
    return;
  app->weak_connection = weak;
  vk_picture_watch_weak(&app->picture, weak, vk_app_now_ms());
  arm_picture_timer(app);
  vk_app_invalidate(app);
}

void
vk_app_do_remote_frame(VkApp *app)
{
  gboolean first = app->picture.watching && !app->picture.seen;
  if (vk_picture_watch_frame(&app->picture, vk_app_now_ms())) {
    vk_app_invalidate(app);
    arm_picture_timer(app);
  } else if (first) {
    /* the timer waited 10 s for a first frame; from now on it is 2 s after the newest, or a
     * camera turned off in the call's first seconds is said only when those 10 s run out */
    arm_picture_timer(app);
  }
}
