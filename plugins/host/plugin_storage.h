/* Each plugin's small storage (VinduHost.storage_get/set), kept by the kiosk as one JSON file per
 * plugin so that it survives restarts of the runner and of the kiosk. The bound
 * (VINDU_STORAGE_MAX bytes of keys plus values) is enforced here as well as in the runner: the
 * kiosk trusts no runner. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct _VinduPluginStorage VinduPluginStorage;

/* path NULL: in memory only. */
VinduPluginStorage *vindu_plugin_storage_new(const char *path);
void vindu_plugin_storage_free(VinduPluginStorage *s);
/* value NULL deletes. FALSE (nothing changes) when over the bound or not UTF-8. */
gboolean vindu_plugin_storage_set(VinduPluginStorage *s, const char *key, const char *value);
/* Everything, as the runner's "open" carries it. transfer full */
JsonNode *vindu_plugin_storage_to_json(VinduPluginStorage *s);
gsize vindu_plugin_storage_bytes(VinduPluginStorage *s);

G_END_DECLS
