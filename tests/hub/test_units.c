/* Unit tests for the hub's pure parts: tokens, rights, quiet hours, rate limits, TURN
 * credentials, file content checks, migrations and the directory, the staff overview's figures. */
#include "hub.h"
#include "migrations.h"
#include "tokens.h"
#include "turn.h"

#include "check_main.h"
#include "temp_dir.h"
#include <glib/gstdio.h>
#include <string.h>

START_TEST(tokens_are_long_random_and_hashed)
{
  g_autofree char *a = hub_token_new(32), *b = hub_token_new(32);
  ck_assert_uint_ge(strlen(a), 43);
  ck_assert_str_ne(a, b);
  for (const char *p = a; *p; p++)
    ck_assert(g_ascii_isalnum(*p) || *p == '-' || *p == '_');
  g_autofree char *h = hub_token_hash("abc");
  ck_assert_str_eq(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  ck_assert(hub_token_equal(a, a));
  ck_assert(!hub_token_equal(a, b));
  ck_assert(!hub_token_equal("abc", "abcd"));
  g_autofree char *code = hub_pairing_code_new();
  ck_assert_uint_eq(strlen(code), 9);
  ck_assert_int_eq(code[4], '-');
  g_autofree char *n1 = hub_pairing_code_normalise("4827 1930");
  ck_assert_str_eq(n1, "4827-1930");
  ck_assert_ptr_null(hub_pairing_code_normalise("4827-193"));
  ck_assert_ptr_null(hub_pairing_code_normalise("4827-1930x"));
  g_autofree char *id = hub_id_new("h_");
  ck_assert(vp_is_identifier(id));
}
END_TEST

START_TEST(rights_round_trip)
{
  guint r = 0;
  ck_assert(hub_rights_parse("call, message,admin", &r));
  ck_assert_uint_eq(r, HUB_RIGHT_CALL | HUB_RIGHT_MESSAGE | HUB_RIGHT_ADMIN);
  g_autofree char *s = hub_rights_to_string(r);
  ck_assert_str_eq(s, "call,message,admin");
  ck_assert(!hub_rights_parse("call,fly", &r));
  ck_assert(hub_rights_parse("", &r));
  ck_assert_uint_eq(r, 0);
}
END_TEST

static gboolean
quiet_at(const char *start, const char *end, int h, int m)
{
  g_autoptr(GDateTime) t = g_date_time_new_utc(2026, 11, 22, h, m, 0);
  return calls_quiet_now(start, end, t);
}

START_TEST(quiet_hours_over_midnight)
{
  ck_assert(quiet_at("22:00", "08:00", 23, 30));
  ck_assert(quiet_at("22:00", "08:00", 7, 59));
  ck_assert(!quiet_at("22:00", "08:00", 8, 0));
  ck_assert(!quiet_at("22:00", "08:00", 12, 0));
  ck_assert(quiet_at("13:00", "14:30", 14, 29));
  ck_assert(!quiet_at("13:00", "14:30", 14, 30));
  ck_assert(!quiet_at(NULL, NULL, 3, 0));
}
END_TEST

START_TEST(rate_limits)
{
  HubBucket b = {0};
  gint64 t = 1000000;
  int taken = 0;
  for (int i = 0; i < 100; i++)
    taken += hub_bucket_take(&b, 20, 40, t);
  ck_assert_int_eq(taken, 40);
  ck_assert(hub_bucket_take(&b, 20, 40, t + 50000)); /* 1 token after 50 ms */
  ck_assert(!hub_bucket_take(&b, 20, 40, t + 50000));
  HubFailures *f = hub_failures_new(3, 60);
  for (int i = 0; i < 3; i++) {
    ck_assert(!hub_failures_blocked(f, "1.2.3.4", 100));
    hub_failures_add(f, "1.2.3.4", 100);
  }
  ck_assert(hub_failures_blocked(f, "1.2.3.4", 100));
  ck_assert(!hub_failures_blocked(f, "5.6.7.8", 100));
  ck_assert(!hub_failures_blocked(f, "1.2.3.4", 161));
  hub_failures_free(f);
}
END_TEST

/* "Wait N minutes": the seconds until a key is under its limit again, counted from the failure
 * that has to leave the window (not the newest, not the oldest when there are more). */
START_TEST(failures_say_how_long_to_wait)
{
  HubFailures *f = hub_failures_new(3, 600);
  ck_assert_int_eq(hub_failures_retry_after_s(f, "kiosk:k_1", 100), 0);
  hub_failures_add(f, "kiosk:k_1", 100);
  hub_failures_add(f, "kiosk:k_1", 200);
  ck_assert_int_eq(hub_failures_retry_after_s(f, "kiosk:k_1", 250), 0);
  hub_failures_add(f, "kiosk:k_1", 300);
  ck_assert_int_eq(hub_failures_retry_after_s(f, "kiosk:k_1", 300), 400); /* 100 + 600 - 300 */
  hub_failures_add(f, "kiosk:k_1", 400);                                  /* four in the window */
  ck_assert_int_eq(hub_failures_retry_after_s(f, "kiosk:k_1", 400), 400); /* 200 + 600 - 400 */
  ck_assert_int_eq(hub_failures_retry_after_s(f, "kiosk:k_1", 799), 1);
  ck_assert_int_eq(hub_failures_retry_after_s(f, "kiosk:k_1", 800), 0);
  ck_assert_int_eq(hub_failures_retry_after_s(f, "invite:other", 400), 0);
  hub_failures_free(f);
}
END_TEST

START_TEST(turn_credentials_coturn_rest)
{
  /* RFC 2202-style known answer: HMAC-SHA1("key", "The quick brown fox jumps over the lazy dog") */
  g_autofree char *c = hub_turn_credential("key", "The quick brown fox jumps over the lazy dog");
  ck_assert_str_eq(c, "3nybhbi3iqa8ino29wqQcBydtNk=");
  char *urls[] = {"turn:t.example:3478?transport=udp", NULL};
  JsonArray *a = hub_turn_ice_servers("s", urls, 600, "p_anna", 1000);
  ck_assert_ptr_nonnull(a);
  JsonObject *o = json_array_get_object_element(a, 0);
  ck_assert_str_eq(json_object_get_string_member(o, "username"), "1600:p_anna");
  json_array_unref(a);
  ck_assert_ptr_null(hub_turn_ice_servers(NULL, urls, 600, "p", 0));
}
END_TEST

static gboolean
check_bytes(const char *bytes, gsize len, FileKind *kind, VpErrorCode *code)
{
  const char *mime = NULL, *sentence = NULL;
  return files_check((const guint8 *)bytes, len, kind, &mime, code, &sentence);
}

START_TEST(file_content_checks)
{
  FileKind kind;
  VpErrorCode code;
  /* photos: magic bytes and a readable size in pixels, within limits */
  ck_assert(check_bytes("\xff\xd8\xff\xc0\0\x11\x08\x01\xe0\x02\x80\x03", 12, &kind, &code));
  ck_assert_int_eq(kind, FILE_KIND_PHOTO);
  ck_assert(!check_bytes("\xff\xd8\xff\xe0....", 8, &kind, &code)); /* no frame header */
  ck_assert_int_eq(code, VP_ERROR_BAD_FORMAT);
  ck_assert(check_bytes("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x02\x80\0\0\x01\xe0", 24, &kind, &code));
  ck_assert(!check_bytes("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x75\x30\0\0\x75\x30", 24, &kind,
                         &code)); /* 30000×30000 */
  ck_assert_int_eq(code, VP_ERROR_TOO_LARGE);
  ck_assert(!check_bytes("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x1b\x58\0\0\x1b\x58", 24, &kind,
                         &code)); /* 7000×7000: 49 MP */
  ck_assert_int_eq(code, VP_ERROR_TOO_LARGE);
  ck_assert(check_bytes("RIFF\x10\0\0\0WEBPVP8 \0\0\0\0\0\0\0\x9d\x01\x2a\x40\0\x30\0", 30, &kind,
                        &code));
  ck_assert(
      check_bytes("RIFF\x10\0\0\0WEBPVP8X\0\0\0\0\0\0\0\0\x3f\0\0\x2f\0\0", 30, &kind, &code));
  ck_assert(!check_bytes("GIF89a..........", 16, &kind, &code));
  ck_assert_int_eq(code, VP_ERROR_BAD_FORMAT);
  ck_assert(!check_bytes("OggS", 4, &kind, &code)); /* no OpusHead */
  ck_assert(!check_bytes("", 0, &kind, &code));
}
END_TEST

START_TEST(migrations_and_directory)
{
  g_autofree char *dir = g_dir_make_tmp("vindu-hub-unit-XXXXXX", NULL);
  {
    g_autoptr(HubDb) db = hub_db_open(dir, NULL);
    ck_assert_ptr_nonnull(db);
    g_autofree char *h = NULL, *code = NULL;
    ck_assert(hub_household_create(db, "Ingebjørg", "nb", &h, &code, NULL));
    g_autofree char *p = NULL, *link = NULL;
    ck_assert(hub_invite_create(db, h, "Anna", "Daughter", "family", HUB_RIGHT_CALL,
                                "https://hub.example/", &p, &link, NULL, NULL));
    ck_assert(g_str_has_prefix(link, "https://hub.example/#join="));
    HubNewSession first = {0}, again = {0}, back = {0};
    ck_assert(hub_auth_invite(db, strstr(link, "#join=") + 6, "Firefox on Linux", &first, NULL));
    ck_assert_str_eq(first.person, p);
    ck_assert(!hub_auth_invite(db, strstr(link, "#join=") + 6, NULL, &again, NULL));
    ck_assert(hub_auth_session(db, first.token, &back, NULL));
    ck_assert_str_eq(back.session, first.session);
    hub_new_session_clear(&first);
    hub_new_session_clear(&back);
    ck_assert(hub_person_revoke(db, h, p, NULL));
    g_autoptr(GPtrArray) ms = hub_person_memberships(db, p);
    ck_assert_uint_eq(ms->len, 0);
  }
  /* reopening applies nothing new and keeps the data */
  g_autoptr(HubDb) db = hub_db_open(dir, NULL);
  ck_assert_ptr_nonnull(db);
  sqlite3_stmt *st = hub_db_prepare(db, "PRAGMA user_version", NULL);
  ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
  ck_assert_int_eq(sqlite3_column_int(st, 0), hub_migrations_latest());
  sqlite3_reset(st);
  g_autoptr(JsonNode) list = hub_directory_list(db);
  ck_assert_uint_eq(
      json_array_get_length(json_object_get_array_member(json_node_get_object(list), "households")),
      1);
  ck_assert(vindu_temp_dir_remove(dir));
}
END_TEST

/* Raw rows for the staff figures: a check-in document and a call, at chosen times. */
static void
add_checkin(HubDb *db, const char *h, const char *doc, gint64 at, const char *person)
{
  g_autofree char *sql = g_strdup_printf(
      "INSERT INTO documents(household_id, kind, doc, rev, body, updated_by, updated_at)"
      " VALUES('%s','checkin','%s',1,'{\"at\":%" G_GINT64_FORMAT ",\"person\":\"%s\"}','p',0)",
      h, doc, at, person);
  ck_assert_int_eq(sqlite3_exec(hub_db_handle(db), sql, NULL, NULL, NULL), SQLITE_OK);
}

static void
add_call(HubDb *db, const char *h, const char *id, const char *caller, const char *callee,
         gint64 started, gboolean answered)
{
  /* answered_at's value does not matter to the figures, only whether there is one */
  g_autofree char *sql =
      g_strdup_printf("INSERT INTO calls(id, household_id, caller, callee, started_at, answered_at)"
                      " VALUES('%s','%s','%s','%s',%" G_GINT64_FORMAT ",%s)",
                      id, h, caller, callee, started, answered ? "1" : "NULL");
  ck_assert_int_eq(sqlite3_exec(hub_db_handle(db), sql, NULL, NULL, NULL), SQLITE_OK);
}

START_TEST(staff_figures_missed_and_last_call)
{
  g_autofree char *dir = g_dir_make_tmp("vindu-hub-unit-XXXXXX", NULL);
  g_autoptr(HubDb) db = hub_db_open(dir, NULL);
  ck_assert_ptr_nonnull(db);
  g_autofree char *h = NULL, *code = NULL;
  ck_assert(hub_household_create(db, "Ingebjørg", "nb", &h, &code, NULL));
  const gint64 now = 1795000000, hour = 3600, day = 24 * hour;
  ck_assert_int_eq(staff_last_call_at(db, h), 0);
  ck_assert_int_eq(staff_missed_checkins(db, h, now), 0);

  add_checkin(db, h, "kept", now - 5 * hour, "p_kari"); /* answered 20 min late */
  add_call(db, h, "c1", "p_kari", "k_1", now - 5 * hour + 1200, TRUE);
  add_checkin(db, h, "kiosk-called", now - day, "p_kari"); /* the kiosk called Kari */
  add_call(db, h, "c2", "k_1", "p_kari", now - day - 600, TRUE);
  add_checkin(db, h, "unanswered", now - 3 * hour, "p_kari"); /* rang, nobody answered */
  add_call(db, h, "c3", "p_kari", "k_1", now - 3 * hour, FALSE);
  add_checkin(db, h, "someone-else", now - 2 * day, "p_kari"); /* only the daughter called */
  add_call(db, h, "c4", "p_anna", "k_1", now - 2 * day, TRUE);
  add_checkin(db, h, "late-call", now - 3 * day, "p_kari"); /* called the next day */
  add_call(db, h, "c5", "p_kari", "k_1", now - 2 * day + 3 * hour, TRUE);
  add_checkin(db, h, "still-open", now - 30 * 60, "p_kari"); /* the call may still come */
  add_checkin(db, h, "tomorrow", now + day, "p_kari");
  add_checkin(db, h, "last-month", now - 30 * day, "p_kari"); /* too old to count */
  /* stored before doc.put checked bodies: a string compares above every number in SQLite, so
   * this month-old one would stay "in the last 7 days" and missed forever */
  g_autofree char *as_text = g_strdup_printf(
      "INSERT INTO documents(household_id, kind, doc, rev, body, updated_by, updated_at)"
      " VALUES('%s','checkin','text-time',1,'{\"at\":\"%" G_GINT64_FORMAT "\"}','p',0)",
      h, now - 30 * day);
  ck_assert_int_eq(sqlite3_exec(hub_db_handle(db), as_text, NULL, NULL, NULL), SQLITE_OK);
  ck_assert_int_eq(staff_missed_checkins(db, h, now), 3);
  /* two hours later the open one's window has closed too */
  ck_assert_int_eq(staff_missed_checkins(db, h, now + 2 * hour), 4);
  /* the last answered call, not the later unanswered one */
  ck_assert_int_eq(staff_last_call_at(db, h), now - 5 * hour + 1200);
  ck_assert(vindu_temp_dir_remove(dir));
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("hub");
  TCase *tc = tcase_create("units");
  tcase_add_test(tc, tokens_are_long_random_and_hashed);
  tcase_add_test(tc, rights_round_trip);
  tcase_add_test(tc, failures_say_how_long_to_wait);
  tcase_add_test(tc, quiet_hours_over_midnight);
  tcase_add_test(tc, rate_limits);
  tcase_add_test(tc, turn_credentials_coturn_rest);
  tcase_add_test(tc, file_content_checks);
  tcase_add_test(tc, migrations_and_directory);
  tcase_add_test(tc, staff_figures_missed_and_last_call);
  suite_add_tcase(s, tc);
  return vindu_check_run(s);
}
