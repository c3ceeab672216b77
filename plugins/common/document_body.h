/* Reading a plugin document's JSON body, for the plugins in this tree (a third-party plugin
 * needs only include/vindu/plugin.h; this is a convenience, not part of the ABI). */
#pragma once

#include <json-glib/json-glib.h>

/* (transfer full) the body's object, or NULL if it is not a JSON object. */
static inline JsonObject *
document_body_parse(const char *body_json)
{
  g_autoptr(JsonParser) parser = json_parser_new();
  if (!body_json || !json_parser_load_from_data(parser, body_json, -1, NULL))
    return NULL;
  JsonNode *root = json_parser_get_root(parser);
  return JSON_NODE_HOLDS_OBJECT(root) ? json_object_ref(json_node_get_object(root)) : NULL;
}

/* The string member `name`, or NULL if absent or not a string (transfer none). */
static inline const char *
document_body_string(JsonObject *body, const char *name)
{
  JsonNode *node = json_object_get_member(body, name);
  return node && JSON_NODE_HOLDS_VALUE(node) && json_node_get_value_type(node) == G_TYPE_STRING
             ? json_node_get_string(node)
             : NULL;
}

/* The whole-number member `name` into `out`; FALSE if absent or not a whole number. */
static inline gboolean
document_body_int(JsonObject *body, const char *name, gint64 *out)
{
  JsonNode *node = json_object_get_member(body, name);
  if (!node || !JSON_NODE_HOLDS_VALUE(node) || json_node_get_value_type(node) != G_TYPE_INT64)
    return FALSE;
  *out = json_node_get_int(node);
  return TRUE;
}
