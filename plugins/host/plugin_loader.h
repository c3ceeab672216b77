/* Loading one plugin's shared object and checking its descriptor against this build's ABI
 * (include/vindu/plugin.h). Used by the runner process, which is the only place plugin code runs
 * (and by unit tests of the plugins themselves). Each refusal is one GError whose message is the
 * one log line the kiosk writes for it. */
#pragma once

#include <glib.h>

#include "vindu/plugin.h"

G_BEGIN_DECLS

#define VINDU_PLUGIN_ERROR (vindu_plugin_error_quark())
GQuark vindu_plugin_error_quark(void);

typedef enum {
  VINDU_PLUGIN_ERROR_NOT_A_PLUGIN, /* cannot be loaded, or has no entry symbol */
  VINDU_PLUGIN_ERROR_WRONG_ABI,    /* another major, a newer minor, a larger descriptor */
  VINDU_PLUGIN_ERROR_INCOMPLETE,   /* lacks a name, version, kind, open() or put_document() */
  VINDU_PLUGIN_ERROR_OPEN_FAILED,  /* its open() said no */
  VINDU_PLUGIN_ERROR_DUPLICATE,    /* another plugin already reads one of its kinds */
} VinduPluginError;

/* The smallest descriptor a plugin of ABI minor `minor` may have (0 for an unknown minor). */
gsize vindu_plugin_descriptor_min_size(unsigned minor);

/* Checks `d` (read as `d->descriptor_size` bytes) and copies it into `out`, the part this build
 * knows past the plugin's size left zero. `path` names the plugin in the error. */
gboolean vindu_plugin_descriptor_read(const VinduPluginDescriptor *d, const char *path,
                                      VinduPluginDescriptor *out, GError **error);

/* Is `name` a plugin name or document kind as the ABI allows ([a-z][a-z0-9_-]{0,31})? */
gboolean vindu_plugin_name_is_valid(const char *name);

typedef struct {
  void *handle;
  VinduPluginDescriptor desc; /* this build's size; the plugin's missing tail zero */
  void *self;                 /* from open() */
  gboolean opened;
} VinduLoadedPlugin;

/* dlopen + entry + descriptor check. transfer full */
VinduLoadedPlugin *vindu_plugin_load(const char *path, GError **error);
/* Calls open(); a non-zero result refuses the plugin. `host` must outlive the plugin. */
gboolean vindu_plugin_open(VinduLoadedPlugin *plugin, const VinduHost *host, GError **error);
/* close() (if opened) and dlclose. */
void vindu_plugin_unload(VinduLoadedPlugin *plugin);

G_END_DECLS
