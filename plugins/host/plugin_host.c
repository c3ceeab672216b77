#include "plugin_host.h"

#include "vindu/plugin.h"

#include <dlfcn.h>

#define G_LOG_DOMAIN_HOST "vindu-plugins"

/* The quark name is stringified: spaces around its dashes would become part of it. */
/* clang-format off */
G_DEFINE_QUARK(vindu-plugin-error-quark, vindu_plugin_error)
/* clang-format on */

typedef struct {
  void *handle; /* from dlopen */
  const VinduPlugin *plugin;
  void *state;
} LoadedPlugin;

struct _VinduPluginHost {
  char *language;
  GPtrArray *loaded; /* LoadedPlugin* */
  GPtrArray *names;  /* char*, parallel to loaded */
};

static void
loaded_plugin_free(LoadedPlugin *loaded)
{
  if (loaded->plugin->close)
    loaded->plugin->close(loaded->state);
  dlclose(loaded->handle);
  g_free(loaded);
}

VinduPluginHost *
vindu_plugin_host_new(const char *language)
{
  VinduPluginHost *host = g_new0(VinduPluginHost, 1);
  host->language = g_strdup(language ? language : "en");
  host->loaded = g_ptr_array_new_with_free_func((GDestroyNotify)loaded_plugin_free);
  host->names = g_ptr_array_new_with_free_func(g_free);
  return host;
}

void
vindu_plugin_host_free(VinduPluginHost *host)
{
  if (!host)
    return;
  g_ptr_array_unref(host->loaded);
  g_ptr_array_unref(host->names);
  g_free(host->language);
  g_free(host);
}

static LoadedPlugin *
plugin_for_kind(VinduPluginHost *host, const char *kind)
{
  for (guint i = 0; i < host->loaded->len; i++) {
    LoadedPlugin *loaded = host->loaded->pdata[i];
    if (g_strcmp0(loaded->plugin->document_kind, kind) == 0)
      return loaded;
  }
  return NULL;
}

/* Everything the host relies on, checked before the plugin's code runs beyond its entry. */
static gboolean
plugin_is_compatible(const VinduPlugin *plugin, const char *path, GError **error)
{
  if (!plugin || plugin->abi != VINDU_PLUGIN_ABI || plugin->struct_size != sizeof(VinduPlugin)) {
    g_set_error(error, VINDU_PLUGIN_ERROR, VINDU_PLUGIN_ERROR_WRONG_ABI,
                "%s was built for plugin ABI %u (size %u); this kiosk needs ABI %d (size %zu)",
                path, plugin ? plugin->abi : 0, plugin ? plugin->struct_size : 0, VINDU_PLUGIN_ABI,
                sizeof(VinduPlugin));
    return FALSE;
  }
  if (!plugin->name || !plugin->document_kind || !plugin->open || !plugin->put_document) {
    g_set_error(error, VINDU_PLUGIN_ERROR, VINDU_PLUGIN_ERROR_NOT_A_PLUGIN,
                "%s lacks a name, a document kind, open() or put_document()", path);
    return FALSE;
  }
  return TRUE;
}

gboolean
vindu_plugin_host_load(VinduPluginHost *host, const char *path, GError **error)
{
  /* RTLD_LOCAL: plugins must not see each other's symbols. RTLD_NODELETE: a plugin's libraries
   * (libical, json-glib) may keep process-wide state that must outlive a dlclose. */
  void *handle = dlopen(path, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
  if (!handle) {
    g_set_error(error, VINDU_PLUGIN_ERROR, VINDU_PLUGIN_ERROR_NOT_A_PLUGIN, "cannot load %s: %s",
                path, dlerror());
    return FALSE;
  }
  const VinduPlugin *(*entry)(void) = NULL;
  *(void **)&entry = dlsym(handle, VINDU_PLUGIN_ENTRY_SYMBOL);
  if (!entry) {
    g_set_error(error, VINDU_PLUGIN_ERROR, VINDU_PLUGIN_ERROR_NOT_A_PLUGIN,
                "%s has no %s(): not a Vindu plugin of this ABI", path, VINDU_PLUGIN_ENTRY_SYMBOL);
    dlclose(handle);
    return FALSE;
  }
  const VinduPlugin *plugin = entry();
  if (!plugin_is_compatible(plugin, path, error)) {
    dlclose(handle);
    return FALSE;
  }
  if (plugin_for_kind(host, plugin->document_kind)) {
    g_set_error(error, VINDU_PLUGIN_ERROR, VINDU_PLUGIN_ERROR_DUPLICATE,
                "%s reads \"%s\" documents, which another plugin already reads", path,
                plugin->document_kind);
    dlclose(handle);
    return FALSE;
  }
  LoadedPlugin *loaded = g_new0(LoadedPlugin, 1);
  loaded->handle = handle;
  loaded->plugin = plugin;
  loaded->state = plugin->open(host->language);
  g_ptr_array_add(host->loaded, loaded);
  g_ptr_array_add(host->names, g_strdup(plugin->name));
  g_log(G_LOG_DOMAIN_HOST, G_LOG_LEVEL_INFO, "loaded plugin %s for %s documents", plugin->name,
        plugin->document_kind);
  return TRUE;
}

static gint
compare_names(gconstpointer a, gconstpointer b)
{
  return g_strcmp0(*(char *const *)a, *(char *const *)b);
}

guint
vindu_plugin_host_load_dir(VinduPluginHost *host, const char *dir, GPtrArray *refusals)
{
  g_autoptr(GDir) listing = g_dir_open(dir, 0, NULL);
  if (!listing)
    return 0;
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func(g_free);
  const char *name;
  while ((name = g_dir_read_name(listing)) != NULL) {
    if (g_str_has_suffix(name, ".so"))
      g_ptr_array_add(paths, g_build_filename(dir, name, NULL));
  }
  g_ptr_array_sort(paths, compare_names); /* the same order on every start */
  guint count = 0;
  for (guint i = 0; i < paths->len; i++) {
    g_autoptr(GError) error = NULL;
    if (vindu_plugin_host_load(host, paths->pdata[i], &error)) {
      count++;
      continue;
    }
    g_log(G_LOG_DOMAIN_HOST, G_LOG_LEVEL_WARNING, "plugin refused: %s", error->message);
    if (refusals)
      g_ptr_array_add(refusals, g_strdup(error->message));
  }
  return count;
}

GPtrArray *
vindu_plugin_host_names(VinduPluginHost *host)
{
  return host->names;
}

gboolean
vindu_plugin_host_put_document(VinduPluginHost *host, const char *kind, const char *doc_id,
                               const char *body_json, GError **error)
{
  LoadedPlugin *loaded = plugin_for_kind(host, kind);
  if (!loaded) {
    g_set_error(error, VINDU_PLUGIN_ERROR, VINDU_PLUGIN_ERROR_NO_PLUGIN,
                "no plugin reads \"%s\" documents", kind);
    return FALSE;
  }
  if (loaded->plugin->put_document(loaded->state, doc_id, body_json) != 0) {
    /* Name the document, never its content: it may hold personal words. */
    g_set_error(error, VINDU_PLUGIN_ERROR, VINDU_PLUGIN_ERROR_REFUSED,
                "plugin %s did not understand document %s", loaded->plugin->name, doc_id);
    return FALSE;
  }
  return TRUE;
}

typedef struct {
  GPtrArray *items;
  const char *plugin;
} Collect;

static void
today_item_free(VinduHostTodayItem *item)
{
  g_free(item->title);
  g_free(item->kind);
  g_free(item->plugin);
  g_free(item);
}

static void
collect_today(void *ctx, const VinduTodayItem *item)
{
  Collect *collect = ctx;
  if (!item || !item->title || !g_utf8_validate(item->title, -1, NULL))
    return; /* a plugin's bad item is dropped, not shown as garbage */
  VinduHostTodayItem *copy = g_new0(VinduHostTodayItem, 1);
  copy->starts_at = item->starts_at;
  copy->title = g_strdup(item->title);
  copy->kind = g_strdup(item->kind ? item->kind : "reminder");
  copy->plugin = g_strdup(collect->plugin);
  g_ptr_array_add(collect->items, copy);
}

static gint
compare_start(gconstpointer a, gconstpointer b)
{
  const VinduHostTodayItem *x = *(VinduHostTodayItem *const *)a;
  const VinduHostTodayItem *y = *(VinduHostTodayItem *const *)b;
  return (x->starts_at > y->starts_at) - (x->starts_at < y->starts_at);
}

GPtrArray *
vindu_plugin_host_today(VinduPluginHost *host, gint64 from, gint64 to)
{
  GPtrArray *items = g_ptr_array_new_with_free_func((GDestroyNotify)today_item_free);
  for (guint i = 0; i < host->loaded->len; i++) {
    LoadedPlugin *loaded = host->loaded->pdata[i];
    if (!loaded->plugin->today)
      continue;
    Collect collect = {items, loaded->plugin->name};
    loaded->plugin->today(loaded->state, from, to, collect_today, &collect);
  }
  g_ptr_array_sort(items, compare_start);
  return items;
}

static void
photo_free(VinduHostPhoto *photo)
{
  g_free(photo->file);
  g_free(photo->caption);
  g_free(photo);
}

static void
collect_photo(void *ctx, const VinduPhoto *photo)
{
  if (!photo || !photo->file)
    return;
  VinduHostPhoto *copy = g_new0(VinduHostPhoto, 1);
  copy->file = g_strdup(photo->file);
  copy->caption = g_strdup(photo->caption);
  copy->taken_at = photo->taken_at;
  g_ptr_array_add(ctx, copy);
}

static gint
compare_newest_first(gconstpointer a, gconstpointer b)
{
  const VinduHostPhoto *x = *(VinduHostPhoto *const *)a;
  const VinduHostPhoto *y = *(VinduHostPhoto *const *)b;
  return (x->taken_at < y->taken_at) - (x->taken_at > y->taken_at);
}

GPtrArray *
vindu_plugin_host_photos(VinduPluginHost *host)
{
  GPtrArray *photos = g_ptr_array_new_with_free_func((GDestroyNotify)photo_free);
  for (guint i = 0; i < host->loaded->len; i++) {
    LoadedPlugin *loaded = host->loaded->pdata[i];
    if (loaded->plugin->photos)
      loaded->plugin->photos(loaded->state, collect_photo, photos);
  }
  g_ptr_array_sort(photos, compare_newest_first);
  return photos;
}
