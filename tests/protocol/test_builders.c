/* Building messages: a valid build serializes, an invalid build is refused with the same codes
 * as parsing, and the sender table matches docs/protocol.md's "who may send what". */
#include "protocol.h"

#include "check_main.h"
#include <string.h>

START_TEST(build_and_serialize)
{
  g_autoptr(VpMessage) msg = vp_message_new(VP_CALL_SDP);
  vp_message_set_string(msg, "call", "c_81bb");
  vp_message_set_string(vp_message_set_string(msg, "sdp_type", "offer"), "sdp", "v=0\r\n");
  gsize len = 0;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = vp_message_to_json(msg, &len, &error);
  ck_assert_msg(json != NULL, "%s", error ? error->message : "");
  ck_assert_ptr_nonnull(strstr(json, "\"type\":\"call.sdp\""));
  g_autoptr(VpMessage) back = vp_message_parse(json, len, NULL);
  ck_assert_ptr_nonnull(back);
  ck_assert_str_eq(vp_message_get_string(back, "sdp"), "v=0\r\n");
}
END_TEST

/* JSON.parse refuses a raw control character inside a string; json-glib 1.6 writes U+001F raw.
 * Every byte below 0x20 must leave as an escape, and the text must come back unchanged. */
START_TEST(control_characters_leave_escaped)
{
  g_autoptr(VpMessage) msg = vp_message_new(VP_MSG_POST);
  vp_message_set_string(msg, "household", "h_ingebjorg");
  vp_message_set_string(msg, "client_msg_id", "x1");
  vp_message_set_string(msg, "kind", "text");
  vp_message_set_string(msg, "text", "Hei\x1f mor\x01\t!");
  gsize len = 0;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = vp_message_to_json(msg, &len, &error);
  ck_assert_msg(json != NULL, "%s", error ? error->message : "");
  for (gsize i = 0; i < len; i++)
    ck_assert_msg((guchar)json[i] >= 0x20, "raw byte 0x%02x at %zu in %s", json[i], i, json);
  ck_assert_ptr_nonnull(strstr(json, "\\u001f"));
  g_autoptr(VpMessage) back = vp_message_parse(json, len, NULL);
  ck_assert_ptr_nonnull(back);
  ck_assert_str_eq(vp_message_get_string(back, "text"), "Hei\x1f mor\x01\t!");
}
END_TEST

START_TEST(invalid_build_is_refused)
{
  g_autoptr(VpMessage) msg = vp_message_new(VP_MSG_POST);
  vp_message_set_string(msg, "household", "h_ingebjorg");
  vp_message_set_string(msg, "client_msg_id", "x1");
  vp_message_set_string(msg, "kind", "text");
  g_autoptr(GError) error = NULL;
  ck_assert_ptr_null(vp_message_to_json(msg, NULL, &error));
  ck_assert_int_eq(error->code, VP_ERROR_MISSING_FIELD);
  g_clear_error(&error);
  vp_message_set_string(msg, "text", "Hei!");
  vp_message_set_string(msg, "household", "no spaces allowed");
  ck_assert(!vp_message_validate(msg, &error));
  ck_assert_int_eq(error->code, VP_ERROR_BAD_FORMAT);
}
END_TEST

START_TEST(nested_objects_and_nulls)
{
  g_autoptr(VpMessage) msg = vp_message_new(VP_HOUSEHOLD_SET_QUIET_HOURS);
  vp_message_set_string(vp_message_set_string(msg, "id", "9"), "household", "h_ingebjorg");
  vp_message_set_null(msg, "quiet_hours");
  ck_assert(vp_message_validate(msg, NULL));
  JsonObject *hours = json_object_new();
  json_object_set_string_member(hours, "start", "22:00");
  json_object_set_string_member(hours, "end", "24:00");
  vp_message_take_object(msg, "quiet_hours", hours);
  g_autoptr(GError) error = NULL;
  ck_assert(!vp_message_validate(msg, &error));
  ck_assert_int_eq(error->code, VP_ERROR_BAD_FORMAT);
  ck_assert_ptr_nonnull(strstr(error->message, "quiet_hours.end"));
}
END_TEST

START_TEST(error_and_ok_shortcuts)
{
  g_autoptr(VpMessage) err =
      vp_message_new_error("7", VP_ERROR_FORBIDDEN, "You may not call this kiosk.");
  g_autofree char *json = vp_message_to_json(err, NULL, NULL);
  ck_assert_str_eq(json, "{\"type\":\"error\",\"re\":\"7\",\"code\":\"forbidden\",\"message\":"
                         "\"You may not call this kiosk.\"}");
  g_autoptr(VpMessage) ok = vp_message_new_ok("8");
  ck_assert(vp_message_validate(ok, NULL));
  /* Errors from other domains never leak their text to a peer. */
  g_autoptr(GError) io =
      g_error_new_literal(G_FILE_ERROR, G_FILE_ERROR_NOENT, "/secret/path missing");
  g_autoptr(VpMessage) internal = vp_message_new_error_from_gerror(NULL, io);
  ck_assert_str_eq(vp_message_get_string(internal, "code"), "internal");
  ck_assert_ptr_null(strstr(vp_message_get_string(internal, "message"), "secret"));
  /* A too-long sentence is cut to the schema's bound, not refused. */
  g_autofree char *long_sentence = g_strnfill(900, 'a');
  g_autoptr(VpMessage) cut = vp_message_new_error(NULL, VP_ERROR_INTERNAL, long_sentence);
  ck_assert(vp_message_validate(cut, NULL));
}
END_TEST

START_TEST(names_round_trip)
{
  for (int t = 0; t < VP_TYPE__COUNT; t++) {
    VpType back;
    ck_assert(vp_type_from_name(vp_type_name(t), &back));
    ck_assert_int_eq(back, t);
  }
  for (int c = 0; c < VP_ERROR__COUNT; c++) {
    VpErrorCode back;
    ck_assert(vp_error_code_from_name(vp_error_code_name(c), &back));
    ck_assert_int_eq(back, c);
  }
  ck_assert(!vp_type_from_name("nope", NULL));
  ck_assert(!vp_type_from_name(NULL, NULL));
}
END_TEST

/* Spot checks of docs/protocol.md's table, written by hand. */
START_TEST(who_may_send_what)
{
  ck_assert(vp_sender_may_send(VP_SENDER_UNAUTHENTICATED, VP_HELLO));
  ck_assert(!vp_sender_may_send(VP_SENDER_UNAUTHENTICATED, VP_MSG_POST));
  ck_assert(!vp_sender_may_send(VP_SENDER_KIOSK, VP_HELLO));
  ck_assert(!vp_sender_may_send(VP_SENDER_UNPAIRED, VP_MSG_POST));
  ck_assert(!vp_sender_may_send(VP_SENDER_UNPAIRED, VP_CALL_INVITE));
  ck_assert(vp_sender_may_send(VP_SENDER_KIOSK, VP_CALL_INVITE));
  ck_assert(vp_sender_may_send(VP_SENDER_PERSON, VP_CALL_SDP));
  ck_assert(vp_sender_may_send(VP_SENDER_KIOSK, VP_DOC_ACK));
  ck_assert(!vp_sender_may_send(VP_SENDER_PERSON, VP_DOC_ACK));
  ck_assert(!vp_sender_may_send(VP_SENDER_KIOSK, VP_HOUSEHOLD_INVITE));
  ck_assert(vp_sender_may_send(VP_SENDER_PERSON, VP_HOUSEHOLD_REVOKE));
  ck_assert(vp_sender_may_send(VP_SENDER_KIOSK, VP_HOUSEHOLD_CONSENT));
  /* the helpers' settings on the kiosk set its own household's quiet hours */
  ck_assert(vp_sender_may_send(VP_SENDER_KIOSK, VP_HOUSEHOLD_SET_QUIET_HOURS));
  ck_assert(!vp_sender_may_send(VP_SENDER_UNPAIRED, VP_HOUSEHOLD_SET_QUIET_HOURS));
  ck_assert(!vp_sender_may_send(VP_SENDER_KIOSK, VP_STAFF_OVERVIEW));
  /* Only the hub says these. */
  const VpType hub_only[] = {VP_WELCOME,      VP_PAIRED,          VP_OK,          VP_ERROR_MSG,
                             VP_CALL_PLACED,  VP_CALL_TURN,       VP_CALL_BUSY,   VP_CALL_MISSED,
                             VP_MSG_ACCEPTED, VP_MSG_DELIVER,     VP_MSG_STATUS,  VP_DOC_DELIVER,
                             VP_PRESENCE,     VP_HOUSEHOLD_STATE, VP_STAFF_KIOSKS};
  for (gsize i = 0; i < G_N_ELEMENTS(hub_only); i++) {
    ck_assert(vp_sender_may_send(VP_SENDER_HUB, hub_only[i]));
    ck_assert(!vp_sender_may_send(VP_SENDER_KIOSK, hub_only[i]));
    ck_assert(!vp_sender_may_send(VP_SENDER_PERSON, hub_only[i]));
  }
}
END_TEST

START_TEST(formats)
{
  ck_assert(vp_is_identifier("k_3f9a"));
  ck_assert(!vp_is_identifier("k"));
  ck_assert(!vp_is_identifier("k_3f 9a"));
  g_autofree char *long_id = g_strnfill(65, 'a');
  ck_assert(!vp_is_identifier(long_id));
  ck_assert(vp_is_document_name("w"));
  ck_assert(vp_is_file_hash("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"));
  ck_assert(!vp_is_file_hash("9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08"));
  ck_assert(!vp_is_file_hash("9f86"));
  ck_assert(vp_is_clock_time("00:00"));
  ck_assert(vp_is_clock_time("23:59"));
  ck_assert(!vp_is_clock_time("24:00"));
  ck_assert(!vp_is_clock_time("7:30"));
  ck_assert(!vp_is_clock_time("07:60"));
}
END_TEST

int
main(void)
{
  Suite *suite = suite_create("protocol-builders");
  TCase *tc = tcase_create("builders");
  tcase_add_test(tc, build_and_serialize);
  tcase_add_test(tc, control_characters_leave_escaped);
  tcase_add_test(tc, invalid_build_is_refused);
  tcase_add_test(tc, nested_objects_and_nulls);
  tcase_add_test(tc, error_and_ok_shortcuts);
  tcase_add_test(tc, names_round_trip);
  tcase_add_test(tc, who_may_send_what);
  tcase_add_test(tc, formats);
  suite_add_tcase(suite, tc);
  return vindu_check_run(suite);
}
