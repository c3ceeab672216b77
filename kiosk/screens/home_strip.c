#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/screens/home_strip.h"

#include "kiosk/plugins_glue.h"

/* A plugin's strip item may carry up to two actions ("Answer the invitation"): drawn as
 * buttons of full target size at the right of the strip, beside that one plan (home.c gives
 * a plan with actions a page of its own, so a button never sits beside another plan's words).
 * A touch goes to the plugin's action(). */

#define SEP "\x1f" /* between plugin, item and action in a button's argument */

int
vk_strip_action_count(const VkTodayItem *it)
{
  if (!it || it->kind != VK_TODAY_PLUGIN || !it->plugin || !it->item_id)
    return 0;
  return (it->action_id[0] && it->action_label[0]) + (it->action_id[1] && it->action_label[1]);
}

/* One button's width in a strip `width` wide: its words on one line when that takes at most a
 * quarter of the strip, else on two (a small screen: the plan's words need the room). */
static int
action_width(VkApp *app, const char *label, int width)
{
  VkGeom g = vk_geom(app);
  int w = vk_button_width(app, label, g.t);
  if (w <= width / 4)
    return w;
  int tw = 0, th = 0;
  vk_text_measure(app->ui, label, g.body, TRUE, 0, &tw, &th);
  vk_text_measure(app->ui, label, g.body, TRUE, tw / 2 + g.body, &tw, &th);
  return MIN(MAX(g.t, tw + vk_ui_mm(app->ui, 4)), width / 3);
}

gboolean
vk_strip_actions_wrap(VkApp *app, const VkTodayItem *it, int width)
{
  VkGeom g = vk_geom(app);
  for (int i = 0; i < 2 && vk_strip_action_count(it) > 0; i++)
    if (it->action_id[i] && it->action_label[i] &&
        vk_button_width(app, it->action_label[i], g.t) > width / 4)
      return TRUE;
  return FALSE;
}

int
vk_strip_actions_width(VkApp *app, const VkTodayItem *it, int width)
{
  VkGeom g = vk_geom(app);
  int used = 0;
  for (int i = 1; i >= 0 && vk_strip_action_count(it) > 0; i--)
    if (it->action_id[i] && it->action_label[i])
      used += action_width(app, it->action_label[i], width) + (used ? g.g : 0);
  return used ? used + g.g : 0;
}

int
vk_strip_add_actions(VkApp *app, VkWidget *strip, const VkTodayItem *it, SDL_Rect r)
{
  VkTheme *t = app->ui->theme;
  VkGeom g = vk_geom(app);
  int x = r.x + r.w, used = 0;
  for (int i = 1; i >= 0; i--) {
    if (!it->action_id[i] || !it->action_label[i])
      continue;
    int w = action_width(app, it->action_label[i], r.w);
    x -= w + (used ? g.g : 0);
    g_autofree char *arg = g_strjoin(SEP, it->plugin, it->item_id, it->action_id[i], NULL);
    g_autofree char *name = g_strdup_printf("today-action:%s", it->action_id[i]);
    VkWidget *b = vk_widget_add(strip, vk_button_new(app->ui, name, it->action_label[i],
                                                     vk_rect(x, r.y, w, MAX(r.h, g.t)), t->button,
                                                     t->button_text, "today-action", arg));
    b->wrap = TRUE; /* a long label wraps rather than being cut */
    vk_fit_or_body(app, b);
    used = r.x + r.w - x;
  }
  return used ? used + g.g : 0;
}

gboolean
vk_strip_actions_activate(VkApp *app, const char *action, const char *arg)
{
  if (!g_str_equal(action, "today-action"))
    return FALSE;
  g_auto(GStrv) parts = arg ? g_strsplit(arg, SEP, 3) : NULL;
  if (parts && g_strv_length(parts) == 3)
    vk_plugins_action(app, parts[0], parts[1], parts[2]);
  return TRUE;
}
