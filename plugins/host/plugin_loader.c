#include "plugin_loader.h"

#include <dlfcn.h>
#include <string.h>

/* The quark name is stringified: spaces around its dashes would become part of it. */
/* clang-format off */
G_DEFINE_QUARK(vindu-plugin-error-quark, vindu_plugin_error)
/* clang-format on */

gsize
vindu_plugin_descriptor_min_size(unsigned minor)
{
  switch (minor) {
  case 0:
    return offsetof(VinduPluginDescriptor, action);
  case 1:
  case 2: /* 2.2 added a field to VinduPhoto, not to the descriptor */
    return sizeof(VinduPluginDescriptor);
  default:
    return 0;
  }
}

gboolean
vindu_plugin_name_is_valid(const char *name)
{
  if (!name || !g_ascii_islower(name[0]) || strlen(name) > 32)
    return FALSE;
  for (const char *c = name; *c; c++)
    if (!g_ascii_islower(*c) && !g_ascii_isdigit(*c) && *c != '_' && *c != '-')
      return FALSE;
  return TRUE;
}

static gboolean
abi_matches(const VinduPluginDescriptor *d, const char *path, GError **error)
{
  const char *why = NULL;
  if (d->abi_major != VINDU_PLUGIN_ABI_MAJOR)
    why = "another major version";
  else if (d->abi_minor > VINDU_PLUGIN_ABI_MINOR)
    why = "a newer minor version";
  else if (d->descriptor_size > sizeof(VinduPluginDescriptor))
    why = "its descriptor is larger than this kiosk knows";
  else if (d->descriptor_size < vindu_plugin_descriptor_min_size(d->abi_minor))
    why = "its descriptor is smaller than its version has";
  if (!why)
    return TRUE;
  g_set_error(error, VINDU_PLUGIN_ERROR, VINDU_PLUGIN_ERROR_WRONG_ABI,
              "%s was built for plugin ABI %u.%u with a %u-byte descriptor; this kiosk has ABI "
              "%d.%d (%zu bytes): %s",
              path, d->abi_major, d->abi_minor, d->descriptor_size, VINDU_PLUGIN_ABI_MAJOR,
              VINDU_PLUGIN_ABI_MINOR, sizeof(VinduPluginDescriptor), why);
  return FALSE;
}

static gboolean
kinds_are_valid(const char *const *kinds)
{
  if (!kinds || !kinds[0])
    return FALSE;
  for (int i = 0; kinds[i]; i++)
    if (i >= 16 || !vindu_plugin_name_is_valid(kinds[i]) || strchr(kinds[i], '-'))
      return FALSE;
  return TRUE;
}

gboolean
vindu_plugin_descriptor_read(const VinduPluginDescriptor *d, const char *path,
                             VinduPluginDescriptor *out, GError **error)
{
  memset(out, 0, sizeof *out);
  if (!d) {
    g_set_error(error, VINDU_PLUGIN_ERROR, VINDU_PLUGIN_ERROR_NOT_A_PLUGIN,
                "%s gave no descriptor: not a Vindu plugin", path);
    return FALSE;
  }
  /* the first three fields are the same in every version: read them before trusting the size */
  if (!abi_matches(d, path, error))
    return FALSE;
  memcpy(out, d, d->descriptor_size);
  if (!vindu_plugin_name_is_valid(out->name) || !out->version || !out->description ||
      !kinds_are_valid(out->kinds) || !out->open || !out->put_document) {
    g_set_error(error, VINDU_PLUGIN_ERROR, VINDU_PLUGIN_ERROR_INCOMPLETE,
                "%s lacks a valid name, version, description, document kinds, open() or "
                "put_document()",
                path);
    return FALSE;
  }
  return TRUE;
}

VinduLoadedPlugin *
vindu_plugin_load(const char *path, GError **error)
{
  /* RTLD_NODELETE: a plugin's libraries (libical, json-glib) may keep process-wide state */
  void *handle = dlopen(path, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
  if (!handle) {
    g_set_error(error, VINDU_PLUGIN_ERROR, VINDU_PLUGIN_ERROR_NOT_A_PLUGIN, "cannot load %s: %s",
                path, dlerror());
    return NULL;
  }
  const VinduPluginDescriptor *(*entry)(void) = NULL;
  *(void **)&entry = dlsym(handle, VINDU_PLUGIN_ENTRY_SYMBOL);
  if (!entry) {
    g_set_error(error, VINDU_PLUGIN_ERROR, VINDU_PLUGIN_ERROR_NOT_A_PLUGIN,
                "%s has no %s(): not a Vindu plugin of ABI %d", path, VINDU_PLUGIN_ENTRY_SYMBOL,
                VINDU_PLUGIN_ABI_MAJOR);
    dlclose(handle);
    return NULL;
  }
  VinduLoadedPlugin *plugin = g_new0(VinduLoadedPlugin, 1);
  if (!vindu_plugin_descriptor_read(entry(), path, &plugin->desc, error)) {
    dlclose(handle);
    g_free(plugin);
    return NULL;
  }
  plugin->handle = handle;
  return plugin;
}

gboolean
vindu_plugin_open(VinduLoadedPlugin *plugin, const VinduHost *host, GError **error)
{
  int rc = plugin->desc.open(host, &plugin->self);
  if (rc != 0) {
    g_set_error(error, VINDU_PLUGIN_ERROR, VINDU_PLUGIN_ERROR_OPEN_FAILED,
                "plugin %s refused to start: its open() returned %d", plugin->desc.name, rc);
    return FALSE;
  }
  plugin->opened = TRUE;
  return TRUE;
}

void
vindu_plugin_unload(VinduLoadedPlugin *plugin)
{
  if (!plugin)
    return;
  if (plugin->opened && plugin->desc.close)
    plugin->desc.close(plugin->self);
  dlclose(plugin->handle);
  g_free(plugin);
}
