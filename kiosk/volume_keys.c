#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/volume_keys.h"

#include "kiosk/ring.h"
#include "kiosk/geom.h"
#include "kiosk/i18n.h"

static gboolean
call_runs(VkApp *app)
{
  return app->call.state != CALL_STATE_IDLE && app->call.state != CALL_STATE_ENDED;
}

static gboolean
hide_volume(gpointer data)
{
  VkApp *app = data;
  app->volume_timer = 0;
  vk_app_invalidate(app);
  return G_SOURCE_REMOVE;
}

gboolean
vk_volume_key(VkApp *app, SDL_Keycode key)
{
  if (key != SDLK_VOLUMEUP && key != SDLK_VOLUMEDOWN && key != SDLK_AUDIOMUTE)
    return FALSE;
  /* "mute" is a step down, never silence: the ring must still be heard (see settings) */
  vk_app_activate(app, key == SDLK_VOLUMEUP ? "volume-up" : "volume-down", NULL);
  if (!call_runs(app))
    vk_ring_beep(); /* at the new volume: she hears what she chose */
  if (app->volume_timer)
    g_source_remove(app->volume_timer);
  app->volume_timer = g_timeout_add_seconds(VK_VOLUME_SHOWN_S, hide_volume, app);
  vk_app_invalidate(app);
  return TRUE;
}

void
vk_volume_overlay(VkApp *app, VkWidget *root)
{
  if (!app->volume_timer || !root)
    return;
  VkTheme *t = app->ui->theme;
  VkGeom g = vk_geom(app);
  g_autofree char *text = g_strdup_printf(_("Volume: %d of 10"), app->volume);
  /* a banner, not a button: flat, large, in the middle of the top edge, over whatever is there */
  int px = vk_ui_font_px(app->ui, VK_TEXT_TITLE), tw = 0, th = 0;
  vk_text_measure(app->ui, text, px, FALSE, 0, &tw, &th);
  VkWidget *w = vk_widget_new(VK_ROLE_BANNER, "volume-shown",
                              vk_rect((g.w - tw - 2 * px) / 2, g.m, tw + 2 * px, th + px));
  w->text = g_strdup(text);
  w->font_px = px;
  w->align = VK_ALIGN_CENTER;
  w->bg = t->banner;
  w->fg = t->banner_text;
  w->fill = TRUE;
  w->radius = px / 2;
  vk_widget_add(root, w);
}
