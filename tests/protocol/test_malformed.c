/* Malformed input gives a specific error code, never a crash, for every class of fault:
 * whole-frame faults (not JSON, invalid UTF-8, oversized, unknown type, deep nesting), each of
 * them again made from every message type's docs example, and for every type, one mutation of its
 * docs example per schema rule (a required field removed, each field of the wrong JSON type,
 * strings too long or short, numbers out of range, values outside an enumeration, strings not in
 * their format, opaque bodies too large). */
#include "doc_examples.h"
#include "schema.h"

#include "check_main.h"
#include <string.h>

static void
assert_rejected(const char *data, gsize len, VpErrorCode expected, const char *what)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VpMessage) msg = vp_message_parse(data, len, &error);
  ck_assert_msg(msg == NULL, "%s: accepted", what);
  ck_assert_msg(error && error->domain == VP_ERROR, "%s: no protocol error", what);
  ck_assert_msg(error->code == (int)expected, "%s: got %s (%s), expected %s", what,
                vp_error_code_name(error->code), error->message, vp_error_code_name(expected));
}

static void
assert_rejected_str(const char *text, VpErrorCode expected)
{
  assert_rejected(text, strlen(text), expected, text);
}

START_TEST(frame_faults)
{
  assert_rejected_str("", VP_ERROR_BAD_JSON);
  assert_rejected_str("hello", VP_ERROR_BAD_JSON);
  assert_rejected_str("{\"type\":\"ok\",\"re\":\"1\"", VP_ERROR_BAD_JSON);
  assert_rejected_str("[{\"type\":\"ok\",\"re\":\"1\"}]", VP_ERROR_BAD_JSON);
  assert_rejected_str("42", VP_ERROR_BAD_JSON);
  assert_rejected_str("{}", VP_ERROR_UNKNOWN_TYPE);
  assert_rejected_str("{\"type\":\"call.teleport\"}", VP_ERROR_UNKNOWN_TYPE);
  assert_rejected_str("{\"type\":7}", VP_ERROR_UNKNOWN_TYPE);
  assert_rejected_str("{\"type\":\"ok\",\"re\":\"\xff\xfe\"}", VP_ERROR_BAD_UTF8);
  assert_rejected_str("{\"type\":\"ok\",\"re\":\"\xc3\"}", VP_ERROR_BAD_UTF8);
  /* found by the fuzzer: json-glib decodes the octal escape \222 into a byte that is not UTF-8 */
  assert_rejected_str("{\"type\":\"call.sdp\",\"call\":\"c_81bb\",\"sdp_type\":\"offer\","
                      "\"sdp\":\"v=0\\222\"}",
                      VP_ERROR_BAD_UTF8);
  /* An embedded NUL is not text. */
  assert_rejected("{\"type\":\"ok\",\"re\":\"1\"}\0", 23, VP_ERROR_BAD_UTF8, "embedded NUL");
  /* an escaped NUL would cut the string where C reads it: "k_abc\u0000x" read as "k_abc" */
  assert_rejected_str("{\"type\":\"ok\",\"re\":\"k_abc\\u0000x\"}", VP_ERROR_BAD_FORMAT);
  assert_rejected_str("{\"type\":\"ok\",\"re\":\"1\",\"x\":\"\\\\\\u0000\"}", VP_ERROR_BAD_FORMAT);
  {
    /* an escaped backslash before u0000 is text, not a NUL */
    g_autoptr(GError) e = NULL;
    const char *ok = "{\"type\":\"ok\",\"re\":\"1\",\"x\":\"\\\\u0000\"}";
    g_autoptr(VpMessage) m = vp_message_parse(ok, strlen(ok), &e);
    ck_assert_msg(m != NULL, "%s", e ? e->message : "");
  }
  /* Oversized, although otherwise valid. */
  GString *big = g_string_new("{\"type\":\"ok\",\"re\":\"1\",\"pad\":\"");
  while (big->len < VP_MAX_FRAME_BYTES)
    g_string_append_c(big, 'x');
  g_string_append(big, "\"}");
  assert_rejected(big->str, big->len, VP_ERROR_TOO_LARGE, "oversized frame");
  g_string_free(big, TRUE);
  /* Deep nesting is refused before the recursive parser sees it. */
  GString *deep = g_string_new("{\"type\":\"ok\",\"re\":\"1\",\"x\":");
  for (int i = 0; i < 20000; i++)
    g_string_append_c(deep, '[');
  assert_rejected(deep->str, deep->len, VP_ERROR_TOO_LARGE, "deep nesting");
  g_string_free(deep, TRUE);
  /* Brackets inside strings are not nesting. */
  g_autofree char *brackets =
      g_strdup_printf("{\"type\":\"ok\",\"re\":\"%s\"}", "[[[[[[[[[[[[[[[[[[[[");
  g_autoptr(VpMessage) ok = vp_message_parse(brackets, strlen(brackets), NULL);
  ck_assert_ptr_nonnull(ok);
}
END_TEST

START_TEST(numbers_out_of_range)
{
  assert_rejected_str("{\"type\":\"msg.ack\",\"up_to\":1.5}", VP_ERROR_WRONG_TYPE);
  assert_rejected_str("{\"type\":\"msg.ack\",\"up_to\":1e400}", VP_ERROR_WRONG_TYPE);
  assert_rejected_str("{\"type\":\"msg.ack\",\"up_to\":-1}", VP_ERROR_OUT_OF_RANGE);
  /* json-glib would write 1e100 back as "1e+100.0", which is not JSON (found by the fuzzer) */
  assert_rejected_str(
      "{\"type\":\"msg.status\",\"msg\":\"m_0007\",\"state\":\"seen\",\"at750\":001e100}",
      VP_ERROR_OUT_OF_RANGE);
  assert_rejected_str(
      "{\"type\":\"call.ice\",\"call\":\"c_1bb\",\"candidate\":\"\",\"sdp_mline_index\":64}",
      VP_ERROR_OUT_OF_RANGE);
  g_autoptr(GError) error = NULL;
  const char *huge = "{\"type\":\"msg.ack\",\"up_to\":99999999999999999999999}";
  g_autoptr(VpMessage) msg = vp_message_parse(huge, strlen(huge), &error);
  ck_assert_ptr_null(msg);
  ck_assert(error->code == VP_ERROR_WRONG_TYPE || error->code == VP_ERROR_OUT_OF_RANGE ||
            error->code == VP_ERROR_BAD_JSON);
}
END_TEST

/* Rules that span fields, written out by hand rather than derived from the schema. */
START_TEST(cross_field_rules)
{
  assert_rejected_str("{\"type\":\"hello\",\"id\":\"1\",\"version\":1,\"client\":\"t\",\"auth\":{"
                      "\"kind\":\"device\",\"kiosk\":\"k_3f9a\"}}",
                      VP_ERROR_MISSING_FIELD);
  assert_rejected_str("{\"type\":\"hello\",\"id\":\"1\",\"version\":1,\"client\":\"t\",\"auth\":{"
                      "\"kind\":\"invite\"}}",
                      VP_ERROR_MISSING_FIELD);
  assert_rejected_str("{\"type\":\"hello\",\"id\":\"1\",\"version\":1,\"client\":\"t\",\"auth\":{"
                      "\"kind\":\"magic\"}}",
                      VP_ERROR_OUT_OF_RANGE);
  assert_rejected_str(
      "{\"type\":\"msg.post\",\"household\":\"h_1ab\",\"client_msg_id\":\"a\",\"kind\":\"text\"}",
      VP_ERROR_MISSING_FIELD);
  assert_rejected_str("{\"type\":\"msg.post\",\"household\":\"h_1ab\",\"client_msg_id\":\"a\","
                      "\"kind\":\"photo\",\"text\":\"hi\"}",
                      VP_ERROR_MISSING_FIELD);
  assert_rejected_str(
      "{\"type\":\"msg.post\",\"household\":\"h_1ab\",\"client_msg_id\":\"a\",\"kind\":\"voice\","
      "\"file\":\"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\"}",
      VP_ERROR_MISSING_FIELD);
  assert_rejected_str("{\"type\":\"household.consent\",\"household\":\"h_1ab\",\"person\":\"p_"
                      "1ab\",\"auto_answer\":true}",
                      VP_ERROR_MISSING_FIELD);
  assert_rejected_str("{\"type\":\"call.invite\",\"household\":\"h_1ab\"}", VP_ERROR_MISSING_FIELD);
  assert_rejected_str("{\"type\":\"call.invite\",\"household\":\"h_1ab\",\"call\":\"c_1ab\"}",
                      VP_ERROR_MISSING_FIELD);
  assert_rejected_str(
      "{\"type\":\"call.invite\",\"household\":\"h_1ab\",\"to\":\"k_1ab\",\"call\":\"c_1ab\"}",
      VP_ERROR_OUT_OF_RANGE);
  assert_rejected_str(
      "{\"type\":\"msg.deliver\",\"seq\":1,\"msg\":{\"id\":\"m_001\",\"household\":\"h_1ab\","
      "\"from\":{\"id\":\"p_1ab\",\"name\":\"A\"},\"kind\":\"text\",\"sent_at\":1}}",
      VP_ERROR_MISSING_FIELD);
}
END_TEST

/* ---- Mutations generated from the schema, applied to each type's docs example. ---- */

typedef struct {
  int cases;
  VpType type;
  const char *example;
} MutationRun;

/* Follow `path` (object member names; "#N" for array elements) inside `root`. */
static JsonObject *
object_at(JsonNode *root, GPtrArray *path)
{
  JsonNode *node = root;
  for (guint i = 0; i < path->len; i++) {
    const char *step = path->pdata[i];
    if (step[0] == '#')
      node = json_array_get_element(json_node_get_array(node), (guint)atoi(step + 1));
    else
      node = json_object_get_member(json_node_get_object(node), step);
  }
  return json_node_get_object(node);
}

typedef void (*Mutate)(JsonObject *obj, const VpFieldSpec *spec, gpointer data);

static void
check_mutation(MutationRun *run, GPtrArray *path, const VpFieldSpec *spec, Mutate mutate,
               gpointer data, VpErrorCode expected, const char *what)
{
  g_autoptr(JsonNode) root = json_from_string(run->example, NULL);
  mutate(object_at(root, path), spec, data);
  g_autofree char *text = json_to_string(root, FALSE);
  g_autofree char *label =
      g_strdup_printf("%s: %s \"%s\"", vp_type_name(run->type), what, spec->name);
  assert_rejected(text, strlen(text), expected, label);
  run->cases++;
}

static void
remove_field(JsonObject *obj, const VpFieldSpec *spec, gpointer data)
{
  json_object_remove_member(obj, spec->name);
}

static void
set_node(JsonObject *obj, const VpFieldSpec *spec, gpointer data)
{
  json_object_set_member(obj, spec->name, json_node_copy(data));
}

static JsonNode *
node_from(const char *json)
{
  return json_from_string(json, NULL);
}

static JsonNode *
node_string_of_length(gint64 chars)
{
  g_autofree char *text = g_strnfill((gsize)chars, 'x');
  JsonNode *node = json_node_new(JSON_NODE_VALUE);
  json_node_set_string(node, text);
  return node;
}

static JsonNode *
node_int(gint64 value)
{
  JsonNode *node = json_node_new(JSON_NODE_VALUE);
  json_node_set_int(node, value);
  return node;
}

/* A value of a different JSON kind than the spec wants. */
static JsonNode *
node_of_wrong_kind(const VpFieldSpec *spec)
{
  switch (spec->kind) {
  case VP_F_STRING:
    return node_from("42");
  case VP_F_INT:
    return node_from("\"42\"");
  case VP_F_BOOL:
    return node_from("\"yes\"");
  case VP_F_ARRAY:
    return node_from("{}");
  default:
    return node_from("[]");
  }
}

static void
check_value_mutations(MutationRun *run, GPtrArray *path, const VpFieldSpec *spec)
{
  g_autoptr(JsonNode) wrong = node_of_wrong_kind(spec);
  check_mutation(run, path, spec, set_node, wrong, VP_ERROR_WRONG_TYPE, "wrong type of");
  if (!spec->nullable) {
    g_autoptr(JsonNode) null = json_node_new(JSON_NODE_NULL);
    check_mutation(run, path, spec, set_node, null, VP_ERROR_WRONG_TYPE, "null");
  }
  if (spec->kind == VP_F_STRING && spec->format == VP_FMT_FREE) {
    g_autoptr(JsonNode) longer = node_string_of_length(spec->max + 1);
    check_mutation(run, path, spec, set_node, longer, VP_ERROR_OUT_OF_RANGE, "too long");
    if (spec->min > 0) {
      g_autoptr(JsonNode) shorter = node_string_of_length(spec->min - 1);
      check_mutation(run, path, spec, set_node, shorter, VP_ERROR_OUT_OF_RANGE, "too short");
    }
  } else if (spec->kind == VP_F_STRING && spec->format == VP_FMT_ENUM) {
    g_autoptr(JsonNode) other = node_from("\"not-one-of-them\"");
    check_mutation(run, path, spec, set_node, other, VP_ERROR_OUT_OF_RANGE, "unknown value of");
  } else if (spec->kind == VP_F_STRING) {
    g_autoptr(JsonNode) bad = node_from("\"bad value!\"");
    check_mutation(run, path, spec, set_node, bad, VP_ERROR_BAD_FORMAT, "bad format of");
  } else if (spec->kind == VP_F_INT) {
    if (spec->max < G_MAXINT64) {
      g_autoptr(JsonNode) above = node_int(spec->max + 1);
      check_mutation(run, path, spec, set_node, above, VP_ERROR_OUT_OF_RANGE, "above range");
    }
    g_autoptr(JsonNode) below = node_int(spec->min - 1);
    check_mutation(run, path, spec, set_node, below, VP_ERROR_OUT_OF_RANGE, "below range");
    g_autoptr(JsonNode) fraction = node_from("1.5");
    check_mutation(run, path, spec, set_node, fraction, VP_ERROR_WRONG_TYPE, "fraction in");
  } else if (spec->kind == VP_F_ARRAY && spec->max <= 64) {
    JsonArray *many = json_array_new();
    for (gint64 i = 0; i <= spec->max; i++)
      json_array_add_int_element(many, 0);
    g_autoptr(JsonNode) node = json_node_init_array(json_node_alloc(), many);
    json_array_unref(many);
    check_mutation(run, path, spec, set_node, node, VP_ERROR_OUT_OF_RANGE, "too many entries in");
  } else if (spec->kind == VP_F_ANY_OBJECT) {
    g_autofree char *filler = g_strnfill((gsize)spec->max, 'x');
    g_autofree char *json = g_strdup_printf("{\"text\":\"%s\"}", filler);
    g_autoptr(JsonNode) big = node_from(json);
    check_mutation(run, path, spec, set_node, big, VP_ERROR_TOO_LARGE, "too large");
  }
}

static void
walk_fields(MutationRun *run, JsonNode *root, GPtrArray *path, const VpFieldSpec *fields)
{
  JsonObject *obj = object_at(root, path);
  for (const VpFieldSpec *spec = fields; spec->name; spec++) {
    JsonNode *present = json_object_get_member(obj, spec->name);
    if (spec->required)
      check_mutation(run, path, spec, remove_field, NULL, VP_ERROR_MISSING_FIELD, "without");
    check_value_mutations(run, path, spec);
    if (!present || JSON_NODE_HOLDS_NULL(present))
      continue;
    /* Recurse into nested objects the example has, and the first element of object lists. */
    if (spec->kind == VP_F_OBJECT) {
      g_ptr_array_add(path, (gpointer)spec->name);
      walk_fields(run, root, path, spec->fields);
      g_ptr_array_set_size(path, path->len - 1);
    } else if (spec->kind == VP_F_ARRAY && spec->element->kind == VP_F_OBJECT &&
               json_array_get_length(json_node_get_array(present)) > 0) {
      g_ptr_array_add(path, (gpointer)spec->name);
      g_ptr_array_add(path, (gpointer) "#0");
      walk_fields(run, root, path, spec->element->fields);
      g_ptr_array_set_size(path, path->len - 2);
    }
  }
}

START_TEST(schema_mutations_of_every_type)
{
  g_autoptr(GPtrArray) examples = doc_examples_load(NULL);
  ck_assert_ptr_nonnull(examples);
  gboolean covered[VP_TYPE__COUNT] = {FALSE};
  int total = 0;
  for (guint i = 0; i < examples->len; i++) {
    const char *text = examples->pdata[i];
    g_autoptr(VpMessage) msg = vp_message_parse(text, strlen(text), NULL);
    ck_assert_ptr_nonnull(msg);
    MutationRun run = {0, vp_message_type(msg), text};
    g_autoptr(JsonNode) root = json_from_string(text, NULL);
    g_autoptr(GPtrArray) path = g_ptr_array_new();
    walk_fields(&run, root, path, vp_schema_for(run.type)->fields);
    covered[run.type] = TRUE;
    total += run.cases;
  }
  for (int t = 0; t < VP_TYPE__COUNT; t++)
    ck_assert_msg(covered[t], "no mutations for %s", vp_type_name(t));
  /* A floor so a walker that silently stops walking fails (901 cases when written). */
  ck_assert_int_gt(total, 800);
}
END_TEST

/* ---- The whole-frame faults again, made from each type's docs example. ---- */

/* The example with its first string value other than "type" (or "type" itself, if it has none)
 * replaced by `replacement` (quotes included), spliced in raw so it can hold what JSON would
 * escape. */
static char *
with_first_string_replaced(const char *example, const char *replacement)
{
  static const char marker[] = "@@vindu-marker@@";
  static const char quoted[] = "\"@@vindu-marker@@\"";
  g_autoptr(JsonNode) root = json_from_string(example, NULL);
  JsonObject *obj = json_node_get_object(root);
  const char *target = "type";
  g_autoptr(GList) members = json_object_get_members(obj);
  for (GList *l = members; l; l = l->next) {
    JsonNode *value = json_object_get_member(obj, l->data);
    if (strcmp(l->data, "type") != 0 && JSON_NODE_HOLDS_VALUE(value) &&
        json_node_get_value_type(value) == G_TYPE_STRING) {
      target = l->data;
      break;
    }
  }
  json_object_set_string_member(obj, target, marker);
  g_autofree char *text = json_to_string(root, FALSE);
  char *at = strstr(text, quoted);
  ck_assert_ptr_nonnull(at);
  return g_strdup_printf("%.*s%s%s", (int)(at - text), text, replacement, at + strlen(quoted));
}

START_TEST(frame_faults_of_every_type)
{
  g_autoptr(GPtrArray) examples = doc_examples_load(NULL);
  ck_assert_ptr_nonnull(examples);
  gboolean covered[VP_TYPE__COUNT] = {FALSE};
  for (guint i = 0; i < examples->len; i++) {
    const char *text = examples->pdata[i];
    g_autoptr(VpMessage) msg = vp_message_parse(text, strlen(text), NULL);
    ck_assert_ptr_nonnull(msg);
    const char *name = vp_type_name(vp_message_type(msg));
    covered[vp_message_type(msg)] = TRUE;
    g_autofree char *label = NULL;

    /* Cut short: the closing brace is missing. */
    const char *end = strrchr(text, '}');
    ck_assert_ptr_nonnull(end);
    label = g_strdup_printf("%s: cut short", name);
    assert_rejected(text, (gsize)(end - text), VP_ERROR_BAD_JSON, label);

    /* A type nobody knows, the rest unchanged. */
    g_autoptr(JsonNode) root = json_from_string(text, NULL);
    g_autofree char *unknown = g_strdup_printf("%s.someday", name);
    json_object_set_string_member(json_node_get_object(root), "type", unknown);
    g_autofree char *renamed = json_to_string(root, FALSE);
    g_free(label);
    label = g_strdup_printf("%s: unknown type", name);
    assert_rejected(renamed, strlen(renamed), VP_ERROR_UNKNOWN_TYPE, label);

    /* Invalid UTF-8, raw and as the octal escape json-glib decodes to a stray byte. */
    g_autofree char *raw = with_first_string_replaced(text, "\"ok\xff\xfe\"");
    g_free(label);
    label = g_strdup_printf("%s: invalid UTF-8", name);
    assert_rejected(raw, strlen(raw), VP_ERROR_BAD_UTF8, label);
    g_autofree char *octal = with_first_string_replaced(text, "\"ok\\222\"");
    assert_rejected(octal, strlen(octal), VP_ERROR_BAD_UTF8, label);

    /* Valid in every other way, but larger than a frame may be. */
    g_autofree char *filler = g_strnfill(VP_MAX_FRAME_BYTES, 'x');
    g_autofree char *pad = g_strdup_printf("\"x\",\"pad\":\"%s\"", filler);
    g_autofree char *oversized = with_first_string_replaced(text, pad);
    g_free(label);
    label = g_strdup_printf("%s: oversized", name);
    assert_rejected(oversized, strlen(oversized), VP_ERROR_TOO_LARGE, label);
  }
  for (int t = 0; t < VP_TYPE__COUNT; t++)
    ck_assert_msg(covered[t], "no docs example, so no frame faults, for %s", vp_type_name(t));
}
END_TEST

int
main(void)
{
  Suite *suite = suite_create("protocol-malformed");
  TCase *tc = tcase_create("malformed");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, frame_faults);
  tcase_add_test(tc, numbers_out_of_range);
  tcase_add_test(tc, cross_field_rules);
  tcase_add_test(tc, schema_mutations_of_every_type);
  tcase_add_test(tc, frame_faults_of_every_type);
  suite_add_tcase(suite, tc);
  return vindu_check_run(suite);
}
