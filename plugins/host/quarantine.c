#define G_LOG_DOMAIN "vindu-plugins"
#include "quarantine.h"

#include <json-glib/json-glib.h>

struct _VinduQuarantine {
  char *path;
  GPtrArray *held;     /* VinduQuarantined*, set aside */
  GHashTable *counted; /* "kind/doc/rev" -> faults so far (not yet set aside), in memory */
};

static void
quarantined_free(VinduQuarantined *q)
{
  g_free(q->plugin);
  g_free(q->kind);
  g_free(q->doc);
  g_free(q);
}

static void
load(VinduQuarantine *q)
{
  g_autoptr(JsonParser) parser = json_parser_new();
  if (!q->path || !json_parser_load_from_file(parser, q->path, NULL))
    return;
  JsonNode *root = json_parser_get_root(parser);
  JsonArray *list = root && JSON_NODE_HOLDS_ARRAY(root) ? json_node_get_array(root) : NULL;
  for (guint i = 0; list && i < json_array_get_length(list); i++) {
    JsonNode *node = json_array_get_element(list, i);
    if (!JSON_NODE_HOLDS_OBJECT(node))
      continue;
    JsonObject *o = json_node_get_object(node);
    VinduQuarantined *h = g_new0(VinduQuarantined, 1);
    h->plugin = g_strdup(json_object_get_string_member_with_default(o, "plugin", ""));
    h->kind = g_strdup(json_object_get_string_member_with_default(o, "kind", ""));
    h->doc = g_strdup(json_object_get_string_member_with_default(o, "doc", ""));
    h->rev = json_object_get_int_member_with_default(o, "rev", 0);
    h->faults = (guint)json_object_get_int_member_with_default(o, "faults", 0);
    g_ptr_array_add(q->held, h);
  }
}

static void
save(VinduQuarantine *q)
{
  if (!q->path)
    return;
  g_autoptr(JsonBuilder) b = json_builder_new();
  json_builder_begin_array(b);
  for (guint i = 0; i < q->held->len; i++) {
    VinduQuarantined *h = q->held->pdata[i];
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "plugin");
    json_builder_add_string_value(b, h->plugin);
    json_builder_set_member_name(b, "kind");
    json_builder_add_string_value(b, h->kind);
    json_builder_set_member_name(b, "doc");
    json_builder_add_string_value(b, h->doc);
    json_builder_set_member_name(b, "rev");
    json_builder_add_int_value(b, h->rev);
    json_builder_set_member_name(b, "faults");
    json_builder_add_int_value(b, h->faults);
    json_builder_end_object(b);
  }
  json_builder_end_array(b);
  g_autoptr(JsonNode) root = json_builder_get_root(b);
  g_autofree char *text = json_to_string(root, TRUE);
  g_autoptr(GError) error = NULL;
  if (!g_file_set_contents(q->path, text, -1, &error)) /* atomic: a crash leaves old or new */
    g_warning("cannot keep the set-aside documents: %s", error->message);
}

VinduQuarantine *
vindu_quarantine_new(const char *path)
{
  VinduQuarantine *q = g_new0(VinduQuarantine, 1);
  q->path = g_strdup(path);
  q->held = g_ptr_array_new_with_free_func((GDestroyNotify)quarantined_free);
  q->counted = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  load(q);
  return q;
}

void
vindu_quarantine_free(VinduQuarantine *q)
{
  if (!q)
    return;
  g_ptr_array_unref(q->held);
  g_hash_table_unref(q->counted);
  g_free(q->path);
  g_free(q);
}

static VinduQuarantined *
find(VinduQuarantine *q, const char *kind, const char *doc)
{
  for (guint i = 0; i < q->held->len; i++) {
    VinduQuarantined *h = q->held->pdata[i];
    if (g_str_equal(h->kind, kind) && g_str_equal(h->doc, doc))
      return h;
  }
  return NULL;
}

gboolean
vindu_quarantine_fault(VinduQuarantine *q, const char *plugin, const char *kind, const char *doc,
                       gint64 rev)
{
  char *key = g_strdup_printf("%s/%s/%" G_GINT64_FORMAT, kind, doc, rev);
  guint faults = GPOINTER_TO_UINT(g_hash_table_lookup(q->counted, key)) + 1;
  if (faults < VINDU_QUARANTINE_FAULTS) {
    g_hash_table_replace(q->counted, key, GUINT_TO_POINTER(faults));
    return FALSE;
  }
  g_hash_table_remove(q->counted, key);
  g_free(key);
  vindu_quarantine_release(q, kind, doc, G_MAXINT64); /* an older revision's entry goes */
  VinduQuarantined *h = g_new0(VinduQuarantined, 1);
  h->plugin = g_strdup(plugin);
  h->kind = g_strdup(kind);
  h->doc = g_strdup(doc);
  h->rev = rev;
  h->faults = faults;
  g_ptr_array_add(q->held, h);
  save(q);
  /* the document's id, never its words */
  g_warning("plugin %s: document %s/%s (revision %" G_GINT64_FORMAT ") brought it down %u times; "
            "set aside until it changes",
            plugin, kind, doc, rev, faults);
  return TRUE;
}

gboolean
vindu_quarantine_holds(VinduQuarantine *q, const char *kind, const char *doc, gint64 rev)
{
  VinduQuarantined *h = find(q, kind, doc);
  return h && rev <= h->rev;
}

gboolean
vindu_quarantine_release(VinduQuarantine *q, const char *kind, const char *doc, gint64 rev)
{
  VinduQuarantined *h = find(q, kind, doc);
  if (!h || rev <= h->rev)
    return FALSE;
  g_ptr_array_remove(q->held, h);
  save(q);
  return TRUE;
}

GPtrArray *
vindu_quarantine_list(VinduQuarantine *q)
{
  return q->held;
}
