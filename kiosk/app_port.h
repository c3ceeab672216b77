/* What the modules below the application (screens/, call_media, plugin_cards, plugins_glue,
 * voice_reply, volume_keys) ask of it: show a screen, draw again, feed the call state machine,
 * carry out an action, show a notice, follow the other person's picture, pass a touch to a
 * plugin. kiosk/app/ builds and drives those modules, so they must not call into it (an import
 * circle): they call the functions kiosk/app.h declares for them (vk_app_show & co.), which
 * app_port.c defines by forwarding through this table, and kiosk/app/ fills it in at
 * vk_app_new. Dependency inversion: the modules below name what they need; app/ provides it.
 * The requests that need nothing of app/ (the clock, the dirty flag and its one idle redraw) are
 * carried out in app_port.c itself. */
#pragma once

#include "kiosk/app.h"

G_BEGIN_DECLS

struct VkAppPort {
  void (*show)(VkApp *app, VkScreenId screen);
  void (*redraw)(VkApp *app);
  void (*call_event)(VkApp *app, CallEventId ev, const char *peer_id, gboolean auto_answer);
  void (*activate)(VkApp *app, const char *action, const char *arg);
  void (*set_notice)(VkApp *app, const char *text);
  void (*remote_frame)(VkApp *app);
  void (*set_weak_connection)(VkApp *app, gboolean weak);
  void (*plugin_action)(VkApp *app, const char *plugin, const char *item, const char *action);
};

G_END_DECLS
