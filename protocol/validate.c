/* The one validator: checks a JSON object against a field list from schema.c and reports the
 * first problem with the protocol error code a peer should get. */
#include "schema.h"

#include <string.h>

static gboolean
fail(GError **error, VpErrorCode code, const char *path, const char *name, const char *what)
{
  g_set_error(error, VP_ERROR, code, "The field \"%s%s\" %s.", path, name ? name : "", what);
  return FALSE;
}

static gboolean
in_choices(const char *value, const char *const *choices)
{
  for (; *choices; choices++) {
    if (g_str_equal(value, *choices))
      return TRUE;
  }
  return FALSE;
}

static gboolean
string_has_format(const char *value, VpFormat format, const char *const *choices)
{
  switch (format) {
  case VP_FMT_FREE:
    return TRUE;
  case VP_FMT_IDENT:
    return vp_is_identifier(value);
  case VP_FMT_NAME:
    return vp_is_document_name(value);
  case VP_FMT_HASH:
    return vp_is_file_hash(value);
  case VP_FMT_CLOCK:
    return vp_is_clock_time(value);
  case VP_FMT_ENUM:
    return in_choices(value, choices);
  case VP_FMT_KIND:
    return vp_is_document_kind(value);
  }
  return FALSE;
}

static gboolean validate_value(JsonNode *node, const VpFieldSpec *spec, const char *path,
                               const char *name, GError **error);

static gboolean
validate_string(JsonNode *node, const VpFieldSpec *spec, const char *path, const char *name,
                GError **error)
{
  if (JSON_NODE_TYPE(node) != JSON_NODE_VALUE || json_node_get_value_type(node) != G_TYPE_STRING)
    return fail(error, VP_ERROR_WRONG_TYPE, path, name, "must be a string");
  const char *value = json_node_get_string(node);
  if (spec->format == VP_FMT_ENUM) {
    if (!in_choices(value, spec->choices))
      return fail(error, VP_ERROR_OUT_OF_RANGE, path, name, "has a value that is not allowed");
    return TRUE;
  }
  if (!string_has_format(value, spec->format, spec->choices))
    return fail(error, VP_ERROR_BAD_FORMAT, path, name, "is not in the expected format");
  if (spec->format == VP_FMT_FREE) {
    glong chars = g_utf8_strlen(value, -1);
    if (chars < spec->min || chars > spec->max) {
      g_autofree char *what =
          g_strdup_printf("must have %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT " characters",
                          spec->min, spec->max);
      return fail(error, VP_ERROR_OUT_OF_RANGE, path, name, what);
    }
  }
  return TRUE;
}

static gboolean
validate_int(JsonNode *node, const VpFieldSpec *spec, const char *path, const char *name,
             GError **error)
{
  if (JSON_NODE_TYPE(node) != JSON_NODE_VALUE || json_node_get_value_type(node) != G_TYPE_INT64)
    return fail(error, VP_ERROR_WRONG_TYPE, path, name, "must be a whole number");
  gint64 value = json_node_get_int(node);
  if (value < spec->min || value > spec->max) {
    g_autofree char *what = g_strdup_printf(
        "must be from %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT, spec->min, spec->max);
    return fail(error, VP_ERROR_OUT_OF_RANGE, path, name, what);
  }
  return TRUE;
}

static gboolean
validate_array(JsonNode *node, const VpFieldSpec *spec, const char *path, const char *name,
               GError **error)
{
  if (JSON_NODE_TYPE(node) != JSON_NODE_ARRAY)
    return fail(error, VP_ERROR_WRONG_TYPE, path, name, "must be a list");
  JsonArray *array = json_node_get_array(node);
  guint length = json_array_get_length(array);
  if (length < spec->min || length > spec->max) {
    g_autofree char *what = g_strdup_printf(
        "must have %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT " entries", spec->min, spec->max);
    return fail(error, VP_ERROR_OUT_OF_RANGE, path, name, what);
  }
  for (guint i = 0; i < length; i++) {
    g_autofree char *element_name = g_strdup_printf("%s[%u]", name, i);
    if (!validate_value(json_array_get_element(array, i), spec->element, path, element_name, error))
      return FALSE;
  }
  return TRUE;
}

static gboolean
validate_any_object(JsonNode *node, const VpFieldSpec *spec, const char *path, const char *name,
                    GError **error)
{
  if (JSON_NODE_TYPE(node) != JSON_NODE_OBJECT)
    return fail(error, VP_ERROR_WRONG_TYPE, path, name, "must be an object");
  gsize length = 0;
  g_autofree char *text = json_to_string(node, FALSE);
  length = strlen(text);
  if ((gint64)length > spec->max)
    return fail(error, VP_ERROR_TOO_LARGE, path, name, "is too large");
  return TRUE;
}

static gboolean
validate_value(JsonNode *node, const VpFieldSpec *spec, const char *path, const char *name,
               GError **error)
{
  if (JSON_NODE_HOLDS_NULL(node)) {
    if (spec->nullable)
      return TRUE;
    return fail(error, VP_ERROR_WRONG_TYPE, path, name, "must not be null");
  }
  switch (spec->kind) {
  case VP_F_STRING:
    return validate_string(node, spec, path, name, error);
  case VP_F_INT:
    return validate_int(node, spec, path, name, error);
  case VP_F_BOOL:
    if (JSON_NODE_TYPE(node) != JSON_NODE_VALUE || json_node_get_value_type(node) != G_TYPE_BOOLEAN)
      return fail(error, VP_ERROR_WRONG_TYPE, path, name, "must be true or false");
    return TRUE;
  case VP_F_OBJECT: {
    if (JSON_NODE_TYPE(node) != JSON_NODE_OBJECT)
      return fail(error, VP_ERROR_WRONG_TYPE, path, name, "must be an object");
    g_autofree char *inner = g_strconcat(path, name, ".", NULL);
    return vp_validate_fields(json_node_get_object(node), spec->fields, inner, error);
  }
  case VP_F_ARRAY:
    return validate_array(node, spec, path, name, error);
  case VP_F_ANY_OBJECT:
    return validate_any_object(node, spec, path, name, error);
  }
  return fail(error, VP_ERROR_INTERNAL, path, name, "has no schema");
}

gboolean
vp_validate_fields(JsonObject *obj, const VpFieldSpec *fields, const char *path, GError **error)
{
  for (const VpFieldSpec *spec = fields; spec->name; spec++) {
    JsonNode *node = json_object_get_member(obj, spec->name);
    if (!node) {
      if (spec->required)
        return fail(error, VP_ERROR_MISSING_FIELD, path, spec->name, "is required");
      continue;
    }
    if (!validate_value(node, spec, path, spec->name, error))
      return FALSE;
  }
  return TRUE;
}
