#define G_LOG_DOMAIN "vindu-plugins"
#include "plugin_storage.h"

#include "vindu/plugin.h"

#include <string.h>

struct _VinduPluginStorage {
  char *path;
  GHashTable *values;
  gsize bytes;
};

VinduPluginStorage *
vindu_plugin_storage_new(const char *path)
{
  VinduPluginStorage *s = g_new0(VinduPluginStorage, 1);
  s->values = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(JsonParser) parser = json_parser_new();
  JsonNode *root =
      path && json_parser_load_from_file(parser, path, NULL) ? json_parser_get_root(parser) : NULL;
  if (root && JSON_NODE_HOLDS_OBJECT(root)) {
    JsonObjectIter iter;
    const char *key;
    JsonNode *value;
    json_object_iter_init(&iter, json_node_get_object(root));
    while (json_object_iter_next(&iter, &key, &value))
      if (JSON_NODE_HOLDS_VALUE(value) && json_node_get_value_type(value) == G_TYPE_STRING)
        vindu_plugin_storage_set(s, key, json_node_get_string(value)); /* the bound holds */
  }
  s->path = g_strdup(path); /* from here on, each change is written */
  return s;
}

void
vindu_plugin_storage_free(VinduPluginStorage *s)
{
  if (!s)
    return;
  g_hash_table_unref(s->values);
  g_free(s->path);
  g_free(s);
}

JsonNode *
vindu_plugin_storage_to_json(VinduPluginStorage *s)
{
  JsonObject *o = json_object_new();
  GHashTableIter iter;
  gpointer key, value;
  g_hash_table_iter_init(&iter, s->values);
  while (g_hash_table_iter_next(&iter, &key, &value))
    json_object_set_string_member(o, key, value);
  JsonNode *node = json_node_new(JSON_NODE_OBJECT);
  json_node_take_object(node, o);
  return node;
}

gsize
vindu_plugin_storage_bytes(VinduPluginStorage *s)
{
  return s->bytes;
}

static void
save(VinduPluginStorage *s)
{
  if (!s->path)
    return;
  g_autoptr(JsonNode) root = vindu_plugin_storage_to_json(s);
  g_autofree char *text = json_to_string(root, FALSE);
  g_autoptr(GError) error = NULL;
  if (!g_file_set_contents(s->path, text, -1, &error))
    g_warning("cannot keep a plugin's storage: %s", error->message);
}

gboolean
vindu_plugin_storage_set(VinduPluginStorage *s, const char *key, const char *value)
{
  if (!key || !*key || !g_utf8_validate(key, -1, NULL) ||
      (value && !g_utf8_validate(value, -1, NULL)))
    return FALSE;
  const char *old = g_hash_table_lookup(s->values, key);
  gsize freed = old ? strlen(key) + strlen(old) : 0;
  gsize added = value ? strlen(key) + strlen(value) : 0;
  if (s->bytes - freed + added > VINDU_STORAGE_MAX)
    return FALSE;
  s->bytes = s->bytes - freed + added;
  if (value)
    g_hash_table_replace(s->values, g_strdup(key), g_strdup(value));
  else
    g_hash_table_remove(s->values, key);
  save(s);
  return TRUE;
}
