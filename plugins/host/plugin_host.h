/* The kiosk's plugin host: loads plugins (include/vindu/plugin.h), refuses those built for
 * another ABI, routes plugin documents to the plugin for their kind, and collects "today"
 * items and photo-frame photos from all of them. Main thread only. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define VINDU_PLUGIN_ERROR (vindu_plugin_error_quark())
GQuark vindu_plugin_error_quark(void);

typedef enum {
  VINDU_PLUGIN_ERROR_NOT_A_PLUGIN, /* cannot be loaded, or has no entry symbol */
  VINDU_PLUGIN_ERROR_WRONG_ABI,    /* built for another version of the ABI */
  VINDU_PLUGIN_ERROR_DUPLICATE,    /* another plugin already reads that document kind */
  VINDU_PLUGIN_ERROR_NO_PLUGIN,    /* no plugin reads that document kind */
  VINDU_PLUGIN_ERROR_REFUSED,      /* the plugin did not understand the document */
} VinduPluginError;

typedef struct {
  gint64 starts_at;
  char *title;
  char *kind;
  char *plugin; /* which plugin said so */
} VinduHostTodayItem;

typedef struct {
  char *file;
  char *caption; /* may be NULL */
  gint64 taken_at;
} VinduHostPhoto;

typedef struct _VinduPluginHost VinduPluginHost;

VinduPluginHost *vindu_plugin_host_new(const char *language);
void vindu_plugin_host_free(VinduPluginHost *host);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VinduPluginHost, vindu_plugin_host_free)

/* Load one plugin. On error nothing changes: the plugins loaded before stay loaded. */
gboolean vindu_plugin_host_load(VinduPluginHost *host, const char *path, GError **error);

/* Load every *.so in `dir`; returns how many loaded. Each refusal is logged with its reason
 * and, when `refusals` is not NULL, added to it as a sentence (transfer full strings). */
guint vindu_plugin_host_load_dir(VinduPluginHost *host, const char *dir, GPtrArray *refusals);

/* Names of the loaded plugins, in load order (transfer none). */
GPtrArray *vindu_plugin_host_names(VinduPluginHost *host);

/* Hand a plugin document to the plugin for `kind`; `body_json` NULL means deleted. */
gboolean vindu_plugin_host_put_document(VinduPluginHost *host, const char *kind, const char *doc_id,
                                        const char *body_json, GError **error);

/* (transfer full) VinduHostTodayItem* starting in [from, to), sorted by time. */
GPtrArray *vindu_plugin_host_today(VinduPluginHost *host, gint64 from, gint64 to);

/* (transfer full) VinduHostPhoto*, newest first. */
GPtrArray *vindu_plugin_host_photos(VinduPluginHost *host);

G_END_DECLS
