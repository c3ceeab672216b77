#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/screens/home_strip.h"

/* A plugin's strip item may carry up to two actions ("Answer the invitation"): drawn as
 * buttons of full target size at the right of the strip, beside that one plan (home.c gives
 * a plan with actions a page of its own, so a button never sits beside another plan's words).
 * Where the plan's words would not be whole beside two buttons (a small screen, large type)
 * only the first is drawn: the words come first. A touch goes to the plugin's action(). */

int
vk_strip_action_count(const VkTodayItem *it)
{
  if (!it || it->kind != VK_TODAY_PLUGIN || !it->plugin || !it->item_id)
    return 0;
  return (it->action_id[0] && it->action_label[0]) + (it->action_id[1] && it->action_label[1]);
}

/* Slot `i` of the item is drawn when it has an action and fewer than `max` slots before it do. */
static gboolean
slot_shown(const VkTodayItem *it, int i, int max)
{
  if (!it->action_id[i] || !it->action_label[i] || vk_strip_action_count(it) == 0)
    return FALSE;
  return i == 0 || max > (it->action_id[0] && it->action_label[0]);
}

/* A button's argument names plugin, item and action as "plugin/item/action", each part
 * percent-escaped: readable in --describe, valid JSON (a control character as separator was not:
 * json-glib writes it raw), and an item id may hold any character. */
static char *
action_arg(const char *plugin, const char *item, const char *action)
{
  g_autofree char *p = g_uri_escape_string(plugin, NULL, TRUE);
  g_autofree char *i = g_uri_escape_string(item, NULL, TRUE);
  g_autofree char *a = g_uri_escape_string(action, NULL, TRUE);
  return g_strjoin("/", p, i, a, NULL);
}

/* The narrowest wrap width that puts `label` on at most two lines (words are never split). */
static int
two_line_width(VkApp *app, const char *label)
{
  VkGeom g = vk_geom(app);
  int tw = 0, line_h = 0, w = 0, h = 0;
  vk_text_measure(app->ui, label, g.body, TRUE, 0, &tw, &line_h);
  for (int wrap = tw / 2; wrap < tw; wrap += MAX(g.body / 4, 1)) {
    vk_text_measure(app->ui, label, g.body, TRUE, wrap, &w, &h);
    if (h <= 2 * line_h)
      return w;
  }
  return tw;
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
  return MIN(MAX(g.t, two_line_width(app, label) + vk_ui_mm(app->ui, 4)), width / 3);
}

int
vk_strip_actions_height(VkApp *app, const VkTodayItem *it, int width, int max)
{
  VkGeom g = vk_geom(app);
  int need = 0;
  for (int i = 0; i < 2; i++) {
    if (!slot_shown(it, i, max))
      continue;
    int w = action_width(app, it->action_label[i], width), tw = 0, th = 0;
    vk_text_measure(app->ui, it->action_label[i], g.body, TRUE, w - vk_ui_mm(app->ui, 4), &tw, &th);
    need = MAX(need, th + vk_ui_mm(app->ui, 4));
  }
  return need ? MAX(need, g.t) : 0;
}

int
vk_strip_actions_width(VkApp *app, const VkTodayItem *it, int width, int max)
{
  VkGeom g = vk_geom(app);
  int used = 0;
  for (int i = 1; i >= 0; i--)
    if (slot_shown(it, i, max))
      used += action_width(app, it->action_label[i], width) + (used ? g.g : 0);
  return used ? used + g.g : 0;
}

int
vk_strip_add_actions(VkApp *app, VkWidget *strip, const VkTodayItem *it, SDL_Rect r, int max)
{
  VkTheme *t = app->ui->theme;
  VkGeom g = vk_geom(app);
  int x = r.x + r.w, used = 0;
  for (int i = 1; i >= 0; i--) {
    if (!slot_shown(it, i, max))
      continue;
    int w = action_width(app, it->action_label[i], r.w);
    x -= w + (used ? g.g : 0);
    g_autofree char *arg = action_arg(it->plugin, it->item_id, it->action_id[i]);
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
  g_auto(GStrv) parts = arg ? g_strsplit(arg, "/", -1) : NULL;
  if (!parts || g_strv_length(parts) != 3)
    return TRUE;
  g_autofree char *plugin = g_uri_unescape_string(parts[0], NULL);
  g_autofree char *item = g_uri_unescape_string(parts[1], NULL);
  g_autofree char *act = g_uri_unescape_string(parts[2], NULL);
  if (plugin && item && act)
    vk_app_plugin_action(app, plugin, item, act);
  return TRUE;
}
