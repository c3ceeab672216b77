/* The kiosk's side of plugins (plugins/host): starts a runner per plugin, hands them the plugin
 * documents from the cache and the hub, and carries out what they ask — "today" items on the
 * home screen's strip, memory-book photos in the photo frame, cards, speech and a chime (silent
 * in quiet hours and during a call), answers to the hub, a call after a touch — and tells the
 * hub which plugins run and which documents are set aside. Timers follow the kiosk's one clock.
 * A build without the plugin host keeps all of this off. */
#pragma once

#include "kiosk/app.h"

G_BEGIN_DECLS

/* Starts every plugin in dir (NULL: the build's plugin folder). */
void vk_plugins_init(VkApp *app, const char *dir);
void vk_plugins_free(VkApp *app);
/* A document arrived (body_json NULL: deleted). */
void vk_plugins_put(VkApp *app, const char *kind, const char *doc, gint64 rev,
                    const char *body_json);
/* The household, the quiet hours or the time changed: runners are told, and asked again for
 * their items and photos (which reach the model when they answer). */
void vk_plugins_refresh(VkApp *app);
/* The kiosk's clock moved (each minute, or --control clock-advance): timers due run. */
void vk_plugins_clock(VkApp *app);
/* The resident touched an action of a plugin's item or card. */
void vk_plugins_action(VkApp *app, const char *plugin, const char *item, const char *action);
/* For --control status: " plugins=R/N quarantined=Q card=ID|- card_shown_at_ms=T said=S
 * chimed=C answers_queued=A" (R running of N; S sentences said and C chimes sounded, A answers
 * the plugins queued since start). transfer full */
char *vk_plugins_status(VkApp *app);

G_END_DECLS
