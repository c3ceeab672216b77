#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/plugins_glue.h"

#include "kiosk/cache.h"
#include "kiosk/i18n.h"
#include "kiosk/speech.h"
#include "kiosk/today.h"

#ifdef VINDU_KIOSK_HAVE_PLUGINS
#include "install_paths.h"
#include "plugin_host.h"


void
vk_plugins_init(VkApp *app, const char *dir)
{
  app->plugins = vindu_plugin_host_new(vk_i18n_language());
  g_autoptr(GPtrArray) refusals = g_ptr_array_new_with_free_func(g_free);
  guint n = vindu_plugin_host_load_dir(app->plugins, dir ? dir : vindu_path(VINDU_PATH_PLUGINS),
                                       refusals);
  g_message("%u plugins loaded, %u refused", n, refusals->len);
  if (!app->cache)
    return;
  /* every kind: the plugins' manifests say which they read, not a list kept here */
  g_autoptr(GPtrArray) docs = vk_cache_docs(app->cache, NULL);
  for (guint i = 0; i + 2 < docs->len; i += 3)
    vindu_plugin_host_put_document(app->plugins, docs->pdata[i], docs->pdata[i + 1],
                                   docs->pdata[i + 2], NULL);
  vk_plugins_refresh(app);
}

void
vk_plugins_free(VkApp *app)
{
  g_clear_pointer(&app->plugins, vindu_plugin_host_free);
}

void
vk_plugins_put(VkApp *app, const char *kind, const char *doc, const char *body_json)
{
  if (!app->plugins || !kind || !doc)
    return;
  g_autoptr(GError) err = NULL;
  if (!vindu_plugin_host_put_document(app->plugins, kind, doc, body_json, &err) &&
      !g_error_matches(err, VINDU_PLUGIN_ERROR, VINDU_PLUGIN_ERROR_NO_PLUGIN))
    g_message("plugin document %s/%s: %s", kind, doc, err->message);
  vk_plugins_refresh(app);
}

void
vk_plugins_refresh(VkApp *app)
{
  if (!app->plugins)
    return;
  VkModel *m = app->model;
  gint64 now = vk_model_now(m);
  /* drop the plugin items from last time; keep visits and check-ins */
  for (guint i = m->today->len; i > 0; i--)
    if (((VkTodayItem *)m->today->pdata[i - 1])->kind == VK_TODAY_PLUGIN)
      g_ptr_array_remove_index(m->today, i - 1);
  g_autoptr(GPtrArray) items =
      vindu_plugin_host_today(app->plugins, now - 3600, vk_today_next_midnight(now));
  for (guint i = 0; i < items->len; i++) {
    VinduHostTodayItem *it = items->pdata[i];
    VkTodayItem *t = g_new0(VkTodayItem, 1);
    t->kind = VK_TODAY_PLUGIN;
    t->title = g_strdup(it->title);
    t->at = it->starts_at;
    vk_today_insert_sorted(m->today, t); /* soonest first among everything on the strip */
  }
  /* the memory book leads the photo frame; received photos follow */
  g_autoptr(GPtrArray) photos = vindu_plugin_host_photos(app->plugins);
  for (guint i = photos->len; i > 0; i--) {
    VinduHostPhoto *p = photos->pdata[i - 1];
    if (!app->cache || !p->file)
      continue;
    g_autofree char *path = vk_cache_file_path(app->cache, p->file);
    gboolean have = FALSE;
    for (guint k = 0; k < m->photos->len && !have; k++)
      have = g_strcmp0(m->photos->pdata[k], path) == 0;
    if (have)
      continue;
    if (g_file_test(path, G_FILE_TEST_EXISTS))
      g_ptr_array_insert(m->photos, 0, g_steal_pointer(&path));
    else if (app->hooks.fetch_file)
      app->hooks.fetch_file(app->hooks.data, p->file);
  }
  if (app->screen == VK_SCREEN_HOME)
    vk_app_invalidate(app);
}

void
vk_plugins_announce(VkApp *app, gint64 from, gint64 to)
{
  if (!app->plugins)
    return;
  g_autoptr(GPtrArray) items = vindu_plugin_host_today(app->plugins, from, to);
  for (guint i = 0; i < items->len; i++)
    vk_speech_say(((VinduHostTodayItem *)items->pdata[i])->title);
}

#else

void
vk_plugins_init(VkApp *app, const char *dir)
{
}
void
vk_plugins_free(VkApp *app)
{
}
void
vk_plugins_put(VkApp *app, const char *kind, const char *doc, const char *body_json)
{
}
void
vk_plugins_refresh(VkApp *app)
{
}
void
vk_plugins_announce(VkApp *app, gint64 from, gint64 to)
{
}

#endif
