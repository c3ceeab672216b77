/* The requests of kiosk/app.h that the modules below the application make, forwarded to
 * kiosk/app/ through app->port (app_port.h says why). */
#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/app_port.h"

gint64
vk_app_now_ms(void)
{
  return g_get_monotonic_time() / 1000;
}

static gboolean
redraw_cb(gpointer data)
{
  VkApp *app = data;
  app->redraw_idle = 0;
  vk_app_redraw(app);
  return G_SOURCE_REMOVE;
}

void
vk_app_invalidate(VkApp *app)
{
  app->dirty = TRUE;
  if (!app->redraw_idle)
    app->redraw_idle = g_idle_add_full(G_PRIORITY_DEFAULT_IDLE - 10, redraw_cb, app, NULL);
}

void
vk_app_show(VkApp *app, VkScreenId screen)
{
  app->port->show(app, screen);
}

void
vk_app_redraw(VkApp *app)
{
  app->port->redraw(app);
}

void
vk_app_call_event(VkApp *app, CallEventId ev, const char *peer_id, gboolean auto_answer)
{
  app->port->call_event(app, ev, peer_id, auto_answer);
}

void
vk_app_activate(VkApp *app, const char *action, const char *arg)
{
  app->port->activate(app, action, arg);
}

void
vk_app_set_notice(VkApp *app, const char *text)
{
  app->port->set_notice(app, text);
}

void
vk_app_remote_frame(VkApp *app)
{
  app->port->remote_frame(app);
}

void
vk_app_set_weak_connection(VkApp *app, gboolean weak)
{
  app->port->set_weak_connection(app, weak);
}

void
vk_app_plugin_action(VkApp *app, const char *plugin, const char *item, const char *action)
{
  app->port->plugin_action(app, plugin, item, action);
}
