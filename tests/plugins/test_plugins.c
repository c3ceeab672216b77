/* The plugin host and the plugins that ship with Vindu, loaded from the build tree as the
 * kiosk loads them. Times are checked in Europe/Oslo, across a daylight-saving change. */
#include "check_main.h"
#include "plugin_host.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <time.h>

static char *plugin_dir;

static void
setup(void)
{
  setenv("TZ", "Europe/Oslo", 1);
  tzset();
  plugin_dir = g_build_filename(g_getenv("VINDU_BUILD_DIR"), "plugins", NULL);
}

static void
teardown(void)
{
  g_free(plugin_dir);
}

static gint64
local_time(int year, int month, int day, int hour, int minute)
{
  struct tm t = {.tm_year = year - 1900,
                 .tm_mon = month - 1,
                 .tm_mday = day,
                 .tm_hour = hour,
                 .tm_min = minute,
                 .tm_isdst = -1};
  return (gint64)mktime(&t);
}

static int
local_hour(gint64 when)
{
  time_t t = (time_t)when;
  struct tm local;
  localtime_r(&t, &local);
  return local.tm_hour;
}

static VinduPluginHost *
host_with(const char *name)
{
  VinduPluginHost *host = vindu_plugin_host_new("nb");
  g_autofree char *file = g_strdup_printf("%s.so", name);
  g_autofree char *path = g_build_filename(plugin_dir, file, NULL);
  g_autoptr(GError) error = NULL;
  ck_assert_msg(vindu_plugin_host_load(host, path, &error), "%s", error ? error->message : "");
  return host;
}

static void
put(VinduPluginHost *host, const char *kind, const char *id, const char *body)
{
  g_autoptr(GError) error = NULL;
  ck_assert_msg(vindu_plugin_host_put_document(host, kind, id, body, &error), "%s",
                error ? error->message : "");
}

static GPtrArray *
day(VinduPluginHost *host, int year, int month, int dayno)
{
  return vindu_plugin_host_today(host, local_time(year, month, dayno, 0, 0),
                                 local_time(year, month, dayno + 1, 0, 0));
}

START_TEST(daily_reminder_once_a_day_at_its_time)
{
  g_autoptr(VinduPluginHost) host = host_with("reminders");
  g_autofree char *body = g_strdup_printf(
      "{\"title\":\"Tid for en tur\",\"starts_at\":%" G_GINT64_FORMAT ",\"rrule\":\"FREQ=DAILY\"}",
      local_time(2026, 11, 20, 11, 0));
  put(host, "reminder", "walk", body);
  g_autoptr(GPtrArray) items = day(host, 2026, 11, 24);
  ck_assert_uint_eq(items->len, 1);
  VinduHostTodayItem *item = items->pdata[0];
  ck_assert_str_eq(item->title, "Tid for en tur");
  ck_assert_str_eq(item->kind, "reminder");
  ck_assert_int_eq(item->starts_at, local_time(2026, 11, 24, 11, 0));
  /* Not before it starts. */
  g_autoptr(GPtrArray) before = day(host, 2026, 11, 19);
  ck_assert_uint_eq(before->len, 0);
}
END_TEST

START_TEST(daily_reminder_keeps_wall_clock_time_across_dst)
{
  g_autoptr(VinduPluginHost) host = host_with("reminders");
  g_autofree char *body = g_strdup_printf("{\"title\":\"Medisiner\",\"starts_at\":%" G_GINT64_FORMAT
                                          ",\"rrule\":\"FREQ=DAILY\"}",
                                          local_time(2026, 3, 20, 11, 0));
  put(host, "reminder", "pills", body);
  g_autoptr(GPtrArray) items = day(host, 2026, 3, 30); /* summer time began on 29 March */
  ck_assert_uint_eq(items->len, 1);
  ck_assert_int_eq(local_hour(((VinduHostTodayItem *)items->pdata[0])->starts_at), 11);
}
END_TEST

START_TEST(weekly_reminder_only_on_its_day)
{
  g_autoptr(VinduPluginHost) host = host_with("reminders");
  g_autofree char *body =
      g_strdup_printf("{\"title\":\"Wenche kommer\",\"starts_at\":%" G_GINT64_FORMAT
                      ",\"rrule\":\"FREQ=WEEKLY;BYDAY=TU\"}",
                      local_time(2026, 11, 3, 10, 0));
  put(host, "reminder", "visit", body);
  g_autoptr(GPtrArray) week =
      vindu_plugin_host_today(host, local_time(2026, 11, 23, 0, 0), local_time(2026, 11, 30, 0, 0));
  ck_assert_uint_eq(week->len, 1);
  ck_assert_int_eq(((VinduHostTodayItem *)week->pdata[0])->starts_at,
                   local_time(2026, 11, 24, 10, 0));
}
END_TEST

START_TEST(bad_document_changes_nothing)
{
  g_autoptr(VinduPluginHost) host = host_with("reminders");
  g_autofree char *good = g_strdup_printf("{\"title\":\"Lunsj\",\"starts_at\":%" G_GINT64_FORMAT
                                          ",\"rrule\":\"FREQ=DAILY\"}",
                                          local_time(2026, 11, 1, 12, 0));
  put(host, "reminder", "lunch", good);
  const char *bad[] = {"{\"title\":\"Lunsj\",\"starts_at\":1,\"rrule\":\"FREQ=SOMETIMES\"}",
                       "not json", "[1,2]", "{\"title\":7,\"starts_at\":1}",
                       "{\"title\":\"Lunsj\",\"starts_at\":\"noon\"}"};
  for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
    g_autoptr(GError) error = NULL;
    ck_assert(!vindu_plugin_host_put_document(host, "reminder", "lunch", bad[i], &error));
    ck_assert_int_eq(error->code, VINDU_PLUGIN_ERROR_REFUSED);
    /* The error names the document, never its words. */
    ck_assert_ptr_null(strstr(error->message, "Lunsj"));
  }
  g_autoptr(GPtrArray) items = day(host, 2026, 11, 24);
  ck_assert_uint_eq(items->len, 1);
  ck_assert_str_eq(((VinduHostTodayItem *)items->pdata[0])->title, "Lunsj");
  /* Deleting it removes it. */
  put(host, "reminder", "lunch", NULL);
  g_autoptr(GPtrArray) after = day(host, 2026, 11, 24);
  ck_assert_uint_eq(after->len, 0);
}
END_TEST

START_TEST(activities_in_their_window_with_place)
{
  g_autoptr(VinduPluginHost) host = host_with("activities");
  g_autofree char *coffee = g_strdup_printf(
      "{\"title\":\"Kaffe\",\"place\":\"Dagsenteret\",\"starts_at\":%" G_GINT64_FORMAT "}",
      local_time(2026, 11, 24, 13, 0));
  g_autofree char *choir = g_strdup_printf("{\"title\":\"Kor\",\"starts_at\":%" G_GINT64_FORMAT "}",
                                           local_time(2026, 11, 26, 18, 0));
  put(host, "activity", "coffee", coffee);
  put(host, "activity", "choir", choir);
  g_autoptr(GPtrArray) items = day(host, 2026, 11, 24);
  ck_assert_uint_eq(items->len, 1);
  ck_assert_str_eq(((VinduHostTodayItem *)items->pdata[0])->title, "Kaffe — Dagsenteret");
  ck_assert_str_eq(((VinduHostTodayItem *)items->pdata[0])->kind, "activity");
  g_autoptr(GError) error = NULL;
  ck_assert(!vindu_plugin_host_put_document(host, "activity", "x", "{\"title\":\"\"}", &error));
}
END_TEST

START_TEST(memory_book_photos_newest_first)
{
  g_autoptr(VinduPluginHost) host = host_with("memory-book");
  put(host, "memory", "cabin",
      "{\"file\":\"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\","
      "\"caption\":\"Hytta, 1974\",\"taken_at\":134000000}");
  put(host, "memory", "wedding",
      "{\"file\":\"60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752\","
      "\"caption\":\"Bryllupet\",\"taken_at\":1600000000}");
  g_autoptr(GError) error = NULL;
  ck_assert(!vindu_plugin_host_put_document(host, "memory", "bad", "{\"file\":\"../etc/passwd\"}",
                                            &error));
  g_autoptr(GPtrArray) photos = vindu_plugin_host_photos(host);
  ck_assert_uint_eq(photos->len, 2);
  ck_assert_str_eq(((VinduHostPhoto *)photos->pdata[0])->caption, "Bryllupet");
  ck_assert_str_eq(((VinduHostPhoto *)photos->pdata[1])->caption, "Hytta, 1974");
}
END_TEST

static void
link_into(const char *dir, const char *target, const char *name)
{
  g_autofree char *link = g_build_filename(dir, name, NULL);
  ck_assert_int_eq(symlink(target, link), 0);
}

START_TEST(load_dir_refuses_foreign_and_broken_plugins)
{
  g_autofree char *dir = g_dir_make_tmp("vindu-plugins-XXXXXX", NULL);
  ck_assert_ptr_nonnull(dir);
  const char *ours[] = {"reminders.so", "activities.so", "memory-book.so"};
  for (gsize i = 0; i < G_N_ELEMENTS(ours); i++) {
    g_autofree char *target = g_build_filename(plugin_dir, ours[i], NULL);
    link_into(dir, target, ours[i]);
  }
  link_into(dir, WRONG_ABI_PLUGIN, "wrong_abi.so");
  link_into(dir, NOT_A_PLUGIN, "not_a_plugin.so");
  g_autofree char *garbage = g_build_filename(dir, "garbage.so", NULL);
  ck_assert(g_file_set_contents(garbage, "this is not an ELF file", -1, NULL));

  g_autoptr(VinduPluginHost) host = vindu_plugin_host_new("sv");
  g_autoptr(GPtrArray) refusals = g_ptr_array_new_with_free_func(g_free);
  ck_assert_uint_eq(vindu_plugin_host_load_dir(host, dir, refusals), 3);
  ck_assert_uint_eq(refusals->len, 3);
  gboolean abi_named = FALSE;
  for (guint i = 0; i < refusals->len; i++)
    abi_named |= strstr(refusals->pdata[i], "ABI 2") != NULL;
  ck_assert_msg(abi_named, "the refusal of the foreign plugin should name its ABI");
  GPtrArray *names = vindu_plugin_host_names(host);
  ck_assert_str_eq(names->pdata[0], "activities");
  ck_assert_str_eq(names->pdata[1], "memory-book");
  ck_assert_str_eq(names->pdata[2], "reminders");

  /* A second plugin for the same kind is refused; the first stays. */
  g_autoptr(GError) error = NULL;
  g_autofree char *again = g_build_filename(plugin_dir, "reminders.so", NULL);
  ck_assert(!vindu_plugin_host_load(host, again, &error));
  ck_assert_int_eq(error->code, VINDU_PLUGIN_ERROR_DUPLICATE);
  g_clear_error(&error);
  ck_assert(!vindu_plugin_host_put_document(host, "checkin", "x", "{}", &error));
  ck_assert_int_eq(error->code, VINDU_PLUGIN_ERROR_NO_PLUGIN);

  g_autoptr(GDir) listing = g_dir_open(dir, 0, NULL);
  const char *name;
  while ((name = g_dir_read_name(listing)) != NULL) {
    g_autofree char *path = g_build_filename(dir, name, NULL);
    g_unlink(path);
  }
  g_rmdir(dir);
}
END_TEST

int
main(void)
{
  Suite *suite = suite_create("plugins");
  TCase *tc = tcase_create("plugins");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, daily_reminder_once_a_day_at_its_time);
  tcase_add_test(tc, daily_reminder_keeps_wall_clock_time_across_dst);
  tcase_add_test(tc, weekly_reminder_only_on_its_day);
  tcase_add_test(tc, bad_document_changes_nothing);
  tcase_add_test(tc, activities_in_their_window_with_place);
  tcase_add_test(tc, memory_book_photos_newest_first);
  tcase_add_test(tc, load_dir_refuses_foreign_and_broken_plugins);
  suite_add_tcase(suite, tc);
  return vindu_check_run(suite);
}
