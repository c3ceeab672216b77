#include "plugin_wire.h"

#include <string.h>

char *
vindu_wire_line(JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root(builder);
  g_autofree char *text = json_to_string(root, FALSE); /* escapes '\n' inside strings */
  return g_strconcat(text, "\n", NULL);
}

JsonObject *
vindu_wire_parse(const char *line, gssize len)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable();
  if (!json_parser_load_from_data(parser, line, len, NULL))
    return NULL;
  JsonNode *root = json_parser_get_root(parser);
  return root && JSON_NODE_HOLDS_OBJECT(root) ? json_object_ref(json_node_get_object(root)) : NULL;
}

const char *
vindu_wire_string(JsonObject *o, const char *name)
{
  JsonNode *n = o ? json_object_get_member(o, name) : NULL;
  return n && JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_STRING
             ? json_node_get_string(n)
             : NULL;
}

gint64
vindu_wire_int(JsonObject *o, const char *name, gint64 fallback)
{
  JsonNode *n = o ? json_object_get_member(o, name) : NULL;
  return n && JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_INT64
             ? json_node_get_int(n)
             : fallback;
}

/* Lengths in characters, as the resident reads them. */
#define CARD_TITLE_MAX 80
#define CARD_BODY_MAX 300
#define CARD_LABEL_MAX 24
#define CARD_COUNTDOWN_MAX 600

static gboolean
text_within(const char *text, glong max)
{
  return text && *text && g_utf8_validate(text, -1, NULL) && g_utf8_strlen(text, -1) <= max;
}

static gboolean
buttons_are_valid(JsonObject *card, char **why)
{
  JsonNode *node = json_object_get_member(card, "buttons");
  if (!node || JSON_NODE_HOLDS_NULL(node))
    return TRUE;
  JsonArray *buttons = JSON_NODE_HOLDS_ARRAY(node) ? json_node_get_array(node) : NULL;
  if (!buttons || json_array_get_length(buttons) > 3) {
    *why = g_strdup("a card has at most three buttons");
    return FALSE;
  }
  for (guint i = 0; i < json_array_get_length(buttons); i++) {
    JsonNode *b = json_array_get_element(buttons, i);
    JsonObject *o = JSON_NODE_HOLDS_OBJECT(b) ? json_node_get_object(b) : NULL;
    if (!o || !text_within(vindu_wire_string(o, "id"), 32) ||
        !text_within(vindu_wire_string(o, "label"), CARD_LABEL_MAX)) {
      *why = g_strdup_printf("button %u needs an id and a label of at most %d characters", i + 1,
                             CARD_LABEL_MAX);
      return FALSE;
    }
  }
  return TRUE;
}

gboolean
vindu_wire_card_is_valid(JsonObject *card, char **why)
{
  const char *body = vindu_wire_string(card, "body");
  const char *photo = vindu_wire_string(card, "photo");
  gint64 countdown = vindu_wire_int(card, "countdown_s", 0);
  if (!text_within(vindu_wire_string(card, "id"), 64))
    *why = g_strdup("a card needs an id");
  else if (!text_within(vindu_wire_string(card, "title"), CARD_TITLE_MAX))
    *why = g_strdup_printf("a card needs a title of at most %d characters", CARD_TITLE_MAX);
  else if (body && *body && !text_within(body, CARD_BODY_MAX))
    *why = g_strdup_printf("a card's body has at most %d characters", CARD_BODY_MAX);
  else if (photo && (strlen(photo) != 64 || strspn(photo, "0123456789abcdef") != 64))
    *why = g_strdup("a card's photo is a file hash of 64 hex digits");
  else if (countdown < 0 || countdown > CARD_COUNTDOWN_MAX)
    *why = g_strdup_printf("a card's countdown is 0 to %d seconds", CARD_COUNTDOWN_MAX);
  else
    return buttons_are_valid(card, why);
  return FALSE;
}
