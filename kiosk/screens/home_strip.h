/* The actions of plugin items on the home screen's "today" strip (screens/home.c draws the
 * strip; this draws and carries out its items' actions). */
#pragma once

#include "kiosk/screens/common.h"

G_BEGIN_DECLS

/* How many actions a strip item has (0 for visits, calls and items without any). */
int vk_strip_action_count(const VkTodayItem *it);
/* Adds the item's first `max` action buttons at the right end of `r` inside `strip`; returns the
 * width they take (with a gap), which the plan's words must leave free. */
int vk_strip_add_actions(VkApp *app, VkWidget *strip, const VkTodayItem *it, SDL_Rect r, int max);
/* The width vk_strip_add_actions would take in a strip `width` wide (0 without actions). */
int vk_strip_actions_width(VkApp *app, const VkTodayItem *it, int width, int max);
/* The height the item's buttons need for their words (at most two lines each, at least one
 * target); 0 without actions. */
int vk_strip_actions_height(VkApp *app, const VkTodayItem *it, int width, int max);
/* vk_app_activate's "today-action" (arg: plugin, item and action): TRUE if it was one. */
gboolean vk_strip_actions_activate(VkApp *app, const char *action, const char *arg);

G_END_DECLS
