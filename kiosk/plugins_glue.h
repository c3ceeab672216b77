/* The kiosk's side of plugins (plugins/host): loads them, hands them the plugin documents from
 * the cache and the hub, and puts what they say into the model — "today" items (reminders,
 * activities) on the home screen's strip, memory-book photos in the photo frame — and reads
 * reminders aloud when they come due. A build without the plugin host keeps all of this off. */
#pragma once

#include "kiosk/app.h"

G_BEGIN_DECLS

/* Loads every plugin in dir (NULL: the build's plugin folder). */
void vk_plugins_init(VkApp *app, const char *dir);
void vk_plugins_free(VkApp *app);
/* A document arrived (body_json NULL: deleted). */
void vk_plugins_put(VkApp *app, const char *kind, const char *doc, const char *body_json);
/* Today's items and the photos from the plugins, into the model. */
void vk_plugins_refresh(VkApp *app);
/* Speaks the items that start in [from, to). */
void vk_plugins_announce(VkApp *app, gint64 from, gint64 to);

G_END_DECLS
