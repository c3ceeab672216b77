#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/orientation.h"
#include "kiosk/screens/common.h"

/* Night: between the household's quiet hours the idle screen dims to a calm clock in words
 * (no photos, no buttons, little light). A touch anywhere, or a call, wakes it. */

VkWidget *
vk_screen_night(VkApp *app)
{
  VkUi *ui = app->ui;
  VkGeom g = vk_geom(app);
  VkWidget *root = vk_screen_root(app, "night");
  root->bg = (VkColor){0, 0, 0};
  root->fill = TRUE;
  vk_widget_set_action(root, "home", NULL); /* one touch anywhere wakes the screen */
  VkColor dim = {0xa0, 0xa0, 0xa0};         /* 8:1 on black: readable, not bright */
  gint64 now = vk_model_now(app->model);
  g_autofree char *clock = vk_clock_text(now);
  g_autofree char *words = vk_orientation_text(now);
  int ch = g.clock * 3 / 2, wh = vk_body_height(app, words, g.w - 2 * g.m) + g.g;
  int y = (g.h - ch - wh) / 2;
  VkWidget *c = vk_widget_add(root, vk_label_new(ui, "clock", clock, VK_TEXT_CLOCK,
                                                 vk_rect(g.m, y, g.w - 2 * g.m, ch), dim));
  c->align = VK_ALIGN_CENTER;
  c->bg = root->bg;
  VkWidget *l = vk_widget_add(root, vk_label_new(ui, "orientation", words, VK_TEXT_BODY,
                                                 vk_rect(g.m, y + ch, g.w - 2 * g.m, wh), dim));
  l->align = VK_ALIGN_CENTER;
  l->wrap = TRUE;
  l->bg = root->bg;
  return root;
}
