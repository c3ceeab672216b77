/* Every example in docs/protocol.md is a valid message, every type has one, and building a
 * message then parsing it gives the same message back. */
#include "doc_examples.h"
#include "protocol.h"

#include "check_main.h"

static GPtrArray *examples;

static void
load(void)
{
  g_autoptr(GError) error = NULL;
  examples = doc_examples_load(&error);
  ck_assert_msg(examples != NULL, "cannot read docs/protocol.md: %s", error ? error->message : "");
}

static void
unload(void)
{
  g_ptr_array_unref(examples);
}

START_TEST(every_example_parses)
{
  ck_assert_uint_gt(examples->len, 40);
  for (guint i = 0; i < examples->len; i++) {
    const char *text = examples->pdata[i];
    g_autoptr(GError) error = NULL;
    g_autoptr(VpMessage) msg = vp_message_parse(text, strlen(text), &error);
    ck_assert_msg(msg != NULL, "example %u does not parse: %s\n%s", i, error ? error->message : "",
                  text);
  }
}
END_TEST

START_TEST(every_type_has_an_example)
{
  gboolean seen[VP_TYPE__COUNT] = {FALSE};
  for (guint i = 0; i < examples->len; i++) {
    const char *text = examples->pdata[i];
    g_autoptr(VpMessage) msg = vp_message_parse(text, strlen(text), NULL);
    if (msg)
      seen[vp_message_type(msg)] = TRUE;
  }
  for (int t = 0; t < VP_TYPE__COUNT; t++)
    ck_assert_msg(seen[t], "docs/protocol.md has no example of \"%s\"", vp_type_name(t));
}
END_TEST

START_TEST(examples_round_trip)
{
  for (guint i = 0; i < examples->len; i++) {
    const char *text = examples->pdata[i];
    g_autoptr(VpMessage) first = vp_message_parse(text, strlen(text), NULL);
    ck_assert_ptr_nonnull(first);
    gsize len = 0;
    g_autoptr(GError) error = NULL;
    g_autofree char *json = vp_message_to_json(first, &len, &error);
    ck_assert_msg(json != NULL, "example %u does not serialize: %s", i,
                  error ? error->message : "");
    ck_assert_uint_eq(len, strlen(json));
    g_autoptr(VpMessage) second = vp_message_parse(json, len, NULL);
    ck_assert_ptr_nonnull(second);
    ck_assert_int_eq(vp_message_type(first), vp_message_type(second));
    ck_assert(json_object_equal(vp_message_object(first), vp_message_object(second)));
  }
}
END_TEST

START_TEST(getters_read_the_example)
{
  const char *text =
      "{\"type\":\"call.ice\",\"call\":\"c_81bb\",\"candidate\":\"\",\"sdp_mline_index\":1}";
  g_autoptr(VpMessage) msg = vp_message_parse(text, strlen(text), NULL);
  ck_assert_ptr_nonnull(msg);
  ck_assert_int_eq(vp_message_type(msg), VP_CALL_ICE);
  ck_assert_str_eq(vp_message_get_string(msg, "call"), "c_81bb");
  ck_assert_str_eq(vp_message_get_string(msg, "candidate"), "");
  ck_assert_int_eq(vp_message_get_int(msg, "sdp_mline_index", -1), 1);
  ck_assert_int_eq(vp_message_get_int(msg, "missing", -7), -7);
  ck_assert_ptr_null(vp_message_get_string(msg, "sdp_mline_index"));
  ck_assert_ptr_null(vp_message_id(msg));
  ck_assert(!vp_message_has(msg, "sdp_mid"));
}
END_TEST

/* Kinds are open: any identifier-shaped kind parses (the hub decides which it knows), anything
 * else is bad_format; plugin.answer bodies are bounded at 4 KiB. */
START_TEST(document_kinds_are_open)
{
  const char *weather = "{\"type\":\"doc.put\",\"id\":\"1\",\"household\":\"h_ingebjorg\","
                        "\"kind\":\"weather_words\",\"doc\":\"today\",\"base_rev\":0,\"body\":{}}";
  g_autoptr(VpMessage) ok = vp_message_parse(weather, strlen(weather), NULL);
  ck_assert_ptr_nonnull(ok);
  const char *bad_kinds[] = {"Weather", "9lives", "", "a-b", "abcdefghijklmnopqrstuvwxyz0123456"};
  for (gsize i = 0; i < G_N_ELEMENTS(bad_kinds); i++) {
    g_autofree char *frame = g_strdup_printf(
        "{\"type\":\"doc.list\",\"id\":\"1\",\"household\":\"h_ingebjorg\",\"kind\":\"%s\"}",
        bad_kinds[i]);
    g_autoptr(GError) error = NULL;
    g_autoptr(VpMessage) m = vp_message_parse(frame, strlen(frame), &error);
    ck_assert_msg(m == NULL, "kind \"%s\" was accepted", bad_kinds[i]);
    ck_assert_int_eq(error->code, VP_ERROR_BAD_FORMAT);
  }
  g_autofree char *filler = g_strnfill(4100, 'x');
  g_autofree char *big = g_strdup_printf(
      "{\"type\":\"plugin.answer\",\"household\":\"h_ingebjorg\",\"answer\":\"k1-1\","
      "\"kind\":\"reminder\",\"doc\":\"walk\",\"rev\":1,\"body\":{\"note\":\"%s\"}}",
      filler);
  g_autoptr(GError) error = NULL;
  g_autoptr(VpMessage) m = vp_message_parse(big, strlen(big), &error);
  ck_assert_ptr_null(m);
  ck_assert_int_eq(error->code, VP_ERROR_TOO_LARGE);
  VpErrorCode code;
  ck_assert(vp_error_code_from_name("unknown_kind", &code));
  ck_assert_str_eq(vp_error_code_name(code), "unknown_kind");
}
END_TEST

int
main(void)
{
  Suite *suite = suite_create("protocol-examples");
  TCase *tc = tcase_create("docs");
  tcase_add_checked_fixture(tc, load, unload);
  tcase_add_test(tc, every_example_parses);
  tcase_add_test(tc, every_type_has_an_example);
  tcase_add_test(tc, examples_round_trip);
  tcase_add_test(tc, getters_read_the_example);
  tcase_add_test(tc, document_kinds_are_open);
  suite_add_tcase(suite, tc);
  return vindu_check_run(suite);
}
