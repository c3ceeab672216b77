/* What the plugins' reports (plugin_reports.c) look like to readers: persons learn from
 * household.state which kinds their household's kiosk runs (the forms the web app may draw) and,
 * admins, what is set aside; doc.list items carry their latest answers. */
#define G_LOG_DOMAIN "vindu-hub"
#include "hub.h"

#define ANSWERS_PER_ITEM 20

void
plugin_answers_attach(Hub *hub, const char *household, const char *kind, JsonObject *item)
{
  sqlite3_stmt *st = hub_db_prepare(hub->db,
                                    "SELECT answer, rev, body, at FROM plugin_answers WHERE"
                                    " household_id=? AND kind=? AND doc=?"
                                    " ORDER BY at DESC, rowid DESC LIMIT ?",
                                    NULL);
  if (!st)
    return;
  hub_db_bind_text(st, 1, household);
  hub_db_bind_text(st, 2, kind);
  hub_db_bind_text(st, 3, json_object_get_string_member(item, "doc"));
  sqlite3_bind_int(st, 4, ANSWERS_PER_ITEM);
  JsonArray *answers = json_array_new();
  while (sqlite3_step(st) == SQLITE_ROW) {
    JsonObject *a = json_object_new();
    json_object_set_string_member(a, "answer", hub_db_col_text(st, 0));
    json_object_set_int_member(a, "rev", sqlite3_column_int64(st, 1));
    JsonNode *body = json_from_string(hub_db_col_text(st, 2), NULL);
    json_object_set_member(
        a, "body", body ? body : json_node_init_object(json_node_alloc(), json_object_new()));
    json_object_set_int_member(a, "at", sqlite3_column_int64(st, 3));
    json_array_add_object_element(answers, a);
  }
  sqlite3_reset(st);
  if (json_array_get_length(answers))
    json_object_set_array_member(item, "answers", answers);
  else
    json_array_unref(answers);
}

/* The document's name in sentences: its title field, when the manifest names one. */
static void
add_title(Hub *hub, const char *household, JsonObject *q)
{
  const HubKind *k = hub_manifests_kind(hub->manifests, json_object_get_string_member(q, "kind"));
  sqlite3_stmt *st = k && k->title_field ? hub_db_prepare(hub->db,
                                                          "SELECT body FROM documents WHERE"
                                                          " household_id=? AND kind=? AND doc=?",
                                                          NULL)
                                         : NULL;
  if (!st)
    return;
  hub_db_bind_text(st, 1, household);
  hub_db_bind_text(st, 2, k->kind);
  hub_db_bind_text(st, 3, json_object_get_string_member(q, "doc"));
  g_autoptr(JsonNode) body =
      sqlite3_step(st) == SQLITE_ROW ? json_from_string(hub_db_col_text(st, 0), NULL) : NULL;
  sqlite3_reset(st);
  JsonObject *o = body && JSON_NODE_HOLDS_OBJECT(body) ? json_node_get_object(body) : NULL;
  JsonNode *title = o ? json_object_get_member(o, k->title_field) : NULL;
  if (title && JSON_NODE_HOLDS_VALUE(title) && json_node_get_value_type(title) == G_TYPE_STRING &&
      g_utf8_strlen(json_node_get_string(title), -1) <= 200)
    json_object_set_string_member(q, "title", json_node_get_string(title));
}

/* The kinds the household's kiosks run (a refused plugin runs nothing), and what they set
 * aside, tagged with the kiosk. */
static void
read_inventories(Hub *hub, const char *household, GHashTable *running, JsonArray *quarantined)
{
  sqlite3_stmt *st = hub_db_prepare(hub->db,
                                    "SELECT p.kiosk_id, p.inventory FROM kiosk_plugins p JOIN"
                                    " kiosks k ON k.id = p.kiosk_id WHERE k.household_id=? AND"
                                    " k.revoked_at IS NULL ORDER BY p.kiosk_id",
                                    NULL);
  if (!st)
    return;
  hub_db_bind_text(st, 1, household);
  while (sqlite3_step(st) == SQLITE_ROW) {
    g_autoptr(JsonNode) inv = json_from_string(hub_db_col_text(st, 1), NULL);
    if (!inv || !JSON_NODE_HOLDS_OBJECT(inv))
      continue;
    JsonArray *plugins = json_object_get_array_member(json_node_get_object(inv), "plugins");
    for (guint i = 0; plugins && i < json_array_get_length(plugins); i++) {
      JsonObject *p = json_array_get_object_element(plugins, i);
      JsonArray *kinds = json_object_get_array_member(p, "kinds");
      if (g_strcmp0(json_object_get_string_member(p, "state"), "refused") == 0)
        continue;
      for (guint k = 0; kinds && k < json_array_get_length(kinds); k++)
        g_hash_table_add(running, g_strdup(json_array_get_string_element(kinds, k)));
    }
    JsonArray *q = json_object_get_array_member(json_node_get_object(inv), "quarantined");
    for (guint i = 0; q && i < json_array_get_length(q); i++) {
      JsonObject *entry = json_object_ref(json_array_get_object_element(q, i));
      json_object_set_string_member(entry, "kiosk", hub_db_col_text(st, 0));
      json_array_add_object_element(quarantined, entry);
    }
  }
  sqlite3_reset(st);
}

void
plugin_reports_describe(Hub *hub, const char *household, guint rights, JsonObject *h)
{
  g_autoptr(GHashTable) running = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  JsonArray *quarantined = json_array_new();
  read_inventories(hub, household, running, quarantined);
  JsonArray *kinds = json_array_new();
  g_autoptr(GPtrArray) all = hub_manifests_kinds(hub->manifests);
  for (guint i = 0; i < all->len; i++) {
    const HubKind *k = all->pdata[i];
    if (g_hash_table_contains(running, k->kind) && (rights & k->right_bit))
      json_array_add_object_element(kinds, json_object_ref(k->json));
  }
  json_object_set_array_member(h, "plugin_kinds", kinds);
  if (!(rights & HUB_RIGHT_ADMIN)) {
    json_array_unref(quarantined);
    return;
  }
  for (guint i = 0; i < json_array_get_length(quarantined); i++)
    add_title(hub, household, json_array_get_object_element(quarantined, i));
  json_object_set_array_member(h, "quarantined", quarantined);
}
