/* VpMessage: a JSON object of a known type, parsed and checked, or built and checked. */
#include "schema.h"

#include <math.h>
#include <string.h>

/* json-glib parses recursively: bound the nesting before it sees the frame, so a frame of
 * 60,000 '[' cannot exhaust the stack. No message of version 1 nests deeper than 6. */
#define MAX_NESTING 16

struct _VpMessage {
  gatomicrefcount refs;
  VpType type;
  JsonObject *object;
};

static gboolean
nesting_is_bounded(const char *data, gsize len)
{
  int depth = 0;
  gboolean in_string = FALSE;
  for (gsize i = 0; i < len; i++) {
    char c = data[i];
    if (in_string) {
      if (c == '\\')
        i++; /* skip the escaped character, which may be a quote */
      else if (c == '"')
        in_string = FALSE;
      continue;
    }
    if (c == '"')
      in_string = TRUE;
    else if (c == '{' || c == '[') {
      if (++depth > MAX_NESTING)
        return FALSE;
    } else if (c == '}' || c == ']')
      depth--;
  }
  return TRUE;
}

static VpMessage *
message_wrap(VpType type, JsonObject *object)
{
  VpMessage *msg = g_new0(VpMessage, 1);
  g_atomic_ref_count_init(&msg->refs);
  msg->type = type;
  msg->object = object;
  return msg;
}

static gboolean
validate_object(JsonObject *object, VpType *type_out, GError **error)
{
  JsonNode *type_node = json_object_get_member(object, "type");
  const char *name = NULL;
  if (type_node && JSON_NODE_TYPE(type_node) == JSON_NODE_VALUE &&
      json_node_get_value_type(type_node) == G_TYPE_STRING)
    name = json_node_get_string(type_node);
  VpType type;
  if (!vp_type_from_name(name, &type)) {
    g_set_error(error, VP_ERROR, VP_ERROR_UNKNOWN_TYPE,
                name ? "The message type is not one this hub knows." : "The message has no type.");
    return FALSE;
  }
  const VpTypeSpec *spec = vp_schema_for(type);
  if (!vp_validate_fields(object, spec->fields, "", error))
    return FALSE;
  if (spec->check && !spec->check(object, error))
    return FALSE;
  if (type_out)
    *type_out = type;
  return TRUE;
}

/* TRUE when `ok` holds for every value (string, number, boolean) anywhere under node; member
 * names count as strings. */
static gboolean
every_value(JsonNode *node, gboolean (*ok)(JsonNode *value, const char *name))
{
  switch (JSON_NODE_TYPE(node)) {
  case JSON_NODE_OBJECT: {
    JsonObjectIter it;
    const char *name;
    JsonNode *member;
    json_object_iter_init(&it, json_node_get_object(node));
    while (json_object_iter_next(&it, &name, &member))
      if (!ok(NULL, name) || !every_value(member, ok))
        return FALSE;
    return TRUE;
  }
  case JSON_NODE_ARRAY: {
    JsonArray *a = json_node_get_array(node);
    for (guint i = 0; i < json_array_get_length(a); i++)
      if (!every_value(json_array_get_element(a, i), ok))
        return FALSE;
    return TRUE;
  }
  case JSON_NODE_VALUE:
    return ok(node, NULL);
  default:
    return TRUE;
  }
}

/* json-glib decodes escapes such as "\222" (octal, not JSON) into bytes that are not UTF-8, so
 * the frame being valid UTF-8 is not enough: every decoded string and member name is checked. */
static gboolean
is_utf8(JsonNode *value, const char *name)
{
  if (name)
    return g_utf8_validate(name, -1, NULL);
  return json_node_get_value_type(value) != G_TYPE_STRING ||
         g_utf8_validate(json_node_get_string(value), -1, NULL);
}

/* json-glib writes a large fraction such as 1e100 back as "1e+100.0", which is not JSON, so a
 * message carrying one could not be relayed. No field of the protocol needs a fraction this
 * large: they are refused (found by fuzz-protocol-parse with "at750":001e100). */
#define VP_FRACTION_MAX 1e15
static gboolean
is_plain_number(JsonNode *value, const char *name)
{
  if (name || json_node_get_value_type(value) != G_TYPE_DOUBLE)
    return TRUE;
  double d = json_node_get_double(value);
  return isfinite(d) && fabs(d) < VP_FRACTION_MAX;
}

/* A JSON "\u0000" escape: json-glib keeps it in the string, and C code reading the string stops
 * there ("k_abc\u0000x" would pass as the identifier "k_abc"). An escaped backslash before
 * "u0000" is plain text. */
static gboolean
has_escaped_nul(const char *data, gsize len)
{
  for (gsize i = 0; i + 1 < len; i++) {
    if (data[i] != '\\')
      continue;
    if (data[i + 1] == 'u' && i + 6 <= len && memcmp(data + i + 2, "0000", 4) == 0)
      return TRUE;
    i++; /* skip the escaped character (a second backslash included) */
  }
  return FALSE;
}

VpMessage *
vp_message_parse(const char *data, gsize len, GError **error)
{
  if (len > VP_MAX_FRAME_BYTES) {
    g_set_error(error, VP_ERROR, VP_ERROR_TOO_LARGE, "The message is larger than %d bytes.",
                VP_MAX_FRAME_BYTES);
    return NULL;
  }
  if (!data || !g_utf8_validate_len(data, len, NULL)) {
    g_set_error_literal(error, VP_ERROR, VP_ERROR_BAD_UTF8, "The message is not valid UTF-8.");
    return NULL;
  }
  if (has_escaped_nul(data, len)) {
    g_set_error_literal(error, VP_ERROR, VP_ERROR_BAD_FORMAT,
                        "Text in a message may not contain the character U+0000.");
    return NULL;
  }
  if (!nesting_is_bounded(data, len)) {
    g_set_error_literal(error, VP_ERROR, VP_ERROR_TOO_LARGE, "The message is nested too deeply.");
    return NULL;
  }
  g_autoptr(JsonParser) parser = json_parser_new_immutable();
  if (len == 0 || !json_parser_load_from_data(parser, data, (gssize)len, NULL)) {
    g_set_error_literal(error, VP_ERROR, VP_ERROR_BAD_JSON, "The message is not valid JSON.");
    return NULL;
  }
  JsonNode *root = json_parser_get_root(parser);
  if (!root || JSON_NODE_TYPE(root) != JSON_NODE_OBJECT) {
    g_set_error_literal(error, VP_ERROR, VP_ERROR_BAD_JSON, "The message is not a JSON object.");
    return NULL;
  }
  if (!every_value(root, is_utf8)) {
    g_set_error_literal(error, VP_ERROR, VP_ERROR_BAD_UTF8, "The message is not valid UTF-8.");
    return NULL;
  }
  JsonObject *object = json_node_get_object(root);
  VpType type;
  if (!validate_object(object, &type, error))
    return NULL;
  /* after the schema, so that a known field keeps its own error (wrong_type for 1e400) */
  if (!every_value(root, is_plain_number)) {
    g_set_error_literal(error, VP_ERROR, VP_ERROR_OUT_OF_RANGE,
                        "A number in the message is too large.");
    return NULL;
  }
  return message_wrap(type, json_object_ref(object));
}

VpMessage *
vp_message_new(VpType type)
{
  g_return_val_if_fail((unsigned)type < VP_TYPE__COUNT, NULL);
  JsonObject *object = json_object_new();
  json_object_set_string_member(object, "type", vp_type_name(type));
  return message_wrap(type, object);
}

VpMessage *
vp_message_ref(VpMessage *msg)
{
  g_atomic_ref_count_inc(&msg->refs);
  return msg;
}

void
vp_message_unref(VpMessage *msg)
{
  if (msg && g_atomic_ref_count_dec(&msg->refs)) {
    json_object_unref(msg->object);
    g_free(msg);
  }
}

VpType
vp_message_type(const VpMessage *msg)
{
  return msg->type;
}

JsonObject *
vp_message_object(const VpMessage *msg)
{
  return msg->object;
}

static JsonNode *
member_of_type(const VpMessage *msg, const char *field, JsonNodeType node_type)
{
  JsonNode *node = json_object_get_member(msg->object, field);
  return node && JSON_NODE_TYPE(node) == node_type ? node : NULL;
}

const char *
vp_message_get_string(const VpMessage *msg, const char *field)
{
  JsonNode *node = member_of_type(msg, field, JSON_NODE_VALUE);
  return node && json_node_get_value_type(node) == G_TYPE_STRING ? json_node_get_string(node)
                                                                 : NULL;
}

gint64
vp_message_get_int(const VpMessage *msg, const char *field, gint64 fallback)
{
  JsonNode *node = member_of_type(msg, field, JSON_NODE_VALUE);
  return node && json_node_get_value_type(node) == G_TYPE_INT64 ? json_node_get_int(node)
                                                                : fallback;
}

gboolean
vp_message_get_bool(const VpMessage *msg, const char *field, gboolean fallback)
{
  JsonNode *node = member_of_type(msg, field, JSON_NODE_VALUE);
  return node && json_node_get_value_type(node) == G_TYPE_BOOLEAN ? json_node_get_boolean(node)
                                                                  : fallback;
}

JsonObject *
vp_message_get_object(const VpMessage *msg, const char *field)
{
  JsonNode *node = member_of_type(msg, field, JSON_NODE_OBJECT);
  return node ? json_node_get_object(node) : NULL;
}

JsonArray *
vp_message_get_array(const VpMessage *msg, const char *field)
{
  JsonNode *node = member_of_type(msg, field, JSON_NODE_ARRAY);
  return node ? json_node_get_array(node) : NULL;
}

gboolean
vp_message_has(const VpMessage *msg, const char *field)
{
  return json_object_has_member(msg->object, field);
}

const char *
vp_message_id(const VpMessage *msg)
{
  return vp_message_get_string(msg, "id");
}

const char *
vp_message_re(const VpMessage *msg)
{
  return vp_message_get_string(msg, "re");
}

VpMessage *
vp_message_set_string(VpMessage *msg, const char *field, const char *value)
{
  json_object_set_string_member(msg->object, field, value);
  return msg;
}

VpMessage *
vp_message_set_int(VpMessage *msg, const char *field, gint64 value)
{
  json_object_set_int_member(msg->object, field, value);
  return msg;
}

VpMessage *
vp_message_set_bool(VpMessage *msg, const char *field, gboolean value)
{
  json_object_set_boolean_member(msg->object, field, value);
  return msg;
}

VpMessage *
vp_message_set_null(VpMessage *msg, const char *field)
{
  json_object_set_null_member(msg->object, field);
  return msg;
}

VpMessage *
vp_message_take_object(VpMessage *msg, const char *field, JsonObject *value)
{
  json_object_set_object_member(msg->object, field, value);
  return msg;
}

VpMessage *
vp_message_take_array(VpMessage *msg, const char *field, JsonArray *value)
{
  json_object_set_array_member(msg->object, field, value);
  return msg;
}

gboolean
vp_message_validate(const VpMessage *msg, GError **error)
{
  return validate_object(msg->object, NULL, error);
}

char *
vp_message_to_json(const VpMessage *msg, gsize *len_out, GError **error)
{
  if (!vp_message_validate(msg, error))
    return NULL;
  g_autoptr(JsonNode) root = json_node_new(JSON_NODE_OBJECT);
  json_node_set_object(root, msg->object);
  gsize len = 0;
  char *text = vp_json_text(root, FALSE, &len);
  if (len > VP_MAX_FRAME_BYTES) {
    g_set_error(error, VP_ERROR, VP_ERROR_TOO_LARGE, "The message is larger than %d bytes.",
                VP_MAX_FRAME_BYTES);
    g_free(text);
    return NULL;
  }
  if (len_out)
    *len_out = len;
  return text;
}

VpMessage *
vp_message_new_error(const char *re, VpErrorCode code, const char *sentence)
{
  VpMessage *msg = vp_message_new(VP_ERROR_MSG);
  if (re)
    vp_message_set_string(msg, "re", re);
  vp_message_set_string(msg, "code", vp_error_code_name(code));
  /* The sentence is for a person; keep it within the schema's bound rather than fail.
   * (g_utf8_substring reads past the end if asked for more characters than there are.) */
  const char *text = sentence && *sentence ? sentence : "Something went wrong.";
  if (g_utf8_strlen(text, -1) <= 500)
    return vp_message_set_string(msg, "message", text);
  g_autofree char *bounded = g_utf8_substring(text, 0, 500);
  return vp_message_set_string(msg, "message", bounded);
}

VpMessage *
vp_message_new_ok(const char *re)
{
  return vp_message_set_string(vp_message_new(VP_OK), "re", re);
}

VpMessage *
vp_message_new_error_from_gerror(const char *re, const GError *error)
{
  if (error && error->domain == VP_ERROR)
    return vp_message_new_error(re, (VpErrorCode)error->code, error->message);
  return vp_message_new_error(re, VP_ERROR_INTERNAL,
                              "The hub could not do that; nothing was changed.");
}
