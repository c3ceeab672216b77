/* The plugin loader's checks (each refusal case, an older minor read with its tail as zero, a
 * failing open()) and the shipped plugins' behaviour, loaded in this test process through the
 * same loader the runner uses, with a host table that records what they ask for. Times are in
 * Europe/Oslo, across a daylight-saving change. */
#include "check_main.h"
#include "plugin_loader.h"
#include "plugin_wire.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

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

/* --- a host table that records ----------------------------------------------------------- */

typedef struct {
  VinduHost host;
  gint64 now;
  GHashTable *timers; /* id -> at */
  GPtrArray *said;
  GHashTable *storage; /* may outlive one plugin instance (a restart) */
  guint today_changed, photos_changed;
} TestHost;

static long long
t_now(const VinduHost *host)
{
  return ((TestHost *)host)->now;
}
static const char *
t_language(const VinduHost *host)
{
  return "nb";
}
static void
t_timer_at(const VinduHost *host, unsigned id, long long at)
{
  TestHost *h = (TestHost *)host;
  if (at < 0)
    g_hash_table_remove(h->timers, GUINT_TO_POINTER(id));
  else
    g_hash_table_replace(h->timers, GUINT_TO_POINTER(id), g_memdup2(&at, sizeof at));
}
static void
t_today_changed(const VinduHost *host)
{
  ((TestHost *)host)->today_changed++;
}
static void
t_photos_changed(const VinduHost *host)
{
  ((TestHost *)host)->photos_changed++;
}
static void
t_say(const VinduHost *host, const char *text)
{
  g_ptr_array_add(((TestHost *)host)->said, g_strdup(text));
}

static char *
t_storage_get(const VinduHost *host, const char *key)
{
  const char *v = g_hash_table_lookup(((TestHost *)host)->storage, key);
  return v ? strdup(v) : NULL;
}
static int
t_storage_set(const VinduHost *host, const char *key, const char *value)
{
  if (value)
    g_hash_table_replace(((TestHost *)host)->storage, g_strdup(key), g_strdup(value));
  else
    g_hash_table_remove(((TestHost *)host)->storage, key);
  return 0;
}

/* cards and logs are not recorded here (tests/plugins/test_activities.c records them) */
static int
t_card_show(const VinduHost *host, const VinduCard *card)
{
  return 0;
}
static void
t_card_close(const VinduHost *host, const char *id)
{
}
static void
t_log(const VinduHost *host, VinduLogLevel level, const char *message)
{
}

static void
test_host_init(TestHost *h)
{
  memset(h, 0, sizeof *h);
  h->host.size = sizeof(VinduHost);
  h->host.now = t_now;
  h->host.language = t_language;
  h->host.timer_at = t_timer_at;
  h->host.today_changed = t_today_changed;
  h->host.photos_changed = t_photos_changed;
  h->host.say = t_say;
  h->host.storage_get = t_storage_get;
  h->host.storage_set = t_storage_set;
  h->host.card_show = t_card_show;
  h->host.card_close = t_card_close;
  h->host.log = t_log;
  h->storage = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  h->timers = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
  h->said = g_ptr_array_new_with_free_func(g_free);
}

static void
test_host_clear(TestHost *h)
{
  g_hash_table_unref(h->timers);
  g_ptr_array_unref(h->said);
  g_hash_table_unref(h->storage);
}

/* --- loading -------------------------------------------------------------------------------- */

static char *
probe(const char *name)
{
  g_autofree char *file = g_strdup_printf("%s.so", name);
  return g_build_filename(PROBE_DIR, file, NULL);
}

static void
assert_refused(const char *name, int code, const char *words)
{
  g_autofree char *path = probe(name);
  g_autoptr(GError) error = NULL;
  VinduLoadedPlugin *p = vindu_plugin_load(path, &error);
  ck_assert_msg(p == NULL, "%s was loaded", name);
  ck_assert_msg(error->code == code, "%s: code %d (%s)", name, error->code, error->message);
  ck_assert_msg(strstr(error->message, words), "%s: \"%s\" does not say \"%s\"", name,
                error->message, words);
  ck_assert_msg(!strchr(error->message, '\n'), "one line");
}

START_TEST(each_refusal_has_its_reason)
{
  assert_refused("wrong-major", VINDU_PLUGIN_ERROR_WRONG_ABI, "another major version");
  assert_refused("newer-minor", VINDU_PLUGIN_ERROR_WRONG_ABI, "a newer minor version");
  assert_refused("larger-descriptor", VINDU_PLUGIN_ERROR_WRONG_ABI, "larger");
  assert_refused("smaller-descriptor", VINDU_PLUGIN_ERROR_WRONG_ABI, "smaller than its version");
  assert_refused("no-name", VINDU_PLUGIN_ERROR_INCOMPLETE, "lacks a valid name");
  assert_refused("null-descriptor", VINDU_PLUGIN_ERROR_NOT_A_PLUGIN, "gave no descriptor");
  assert_refused("not-a-plugin", VINDU_PLUGIN_ERROR_NOT_A_PLUGIN, "has no vindu_plugin_v2()");
  g_autofree char *garbage = g_build_filename(g_get_tmp_dir(), "vindu-garbage-XXXXXX.so", NULL);
  int fd = g_mkstemp(garbage);
  ck_assert_int_ge(fd, 0);
  ck_assert_int_eq(write(fd, "not an ELF file", 15), 15);
  close(fd);
  g_autoptr(GError) error = NULL;
  ck_assert_ptr_null(vindu_plugin_load(garbage, &error));
  ck_assert_int_eq(error->code, VINDU_PLUGIN_ERROR_NOT_A_PLUGIN);
  g_unlink(garbage);
}
END_TEST

START_TEST(failing_open_refuses_the_plugin)
{
  g_autofree char *path = probe("open-fails");
  g_autoptr(GError) error = NULL;
  VinduLoadedPlugin *p = vindu_plugin_load(path, &error);
  ck_assert_ptr_nonnull(p);
  TestHost h;
  test_host_init(&h);
  ck_assert(!vindu_plugin_open(p, &h.host, &error));
  ck_assert_int_eq(error->code, VINDU_PLUGIN_ERROR_OPEN_FAILED);
  ck_assert_ptr_nonnull(strstr(error->message, "returned 7"));
  vindu_plugin_unload(p); /* close() is not called for a plugin that did not open */
  test_host_clear(&h);
}
END_TEST

START_TEST(older_minor_loads_with_its_tail_as_zero)
{
  g_autofree char *path = probe("older-minor");
  g_autoptr(GError) error = NULL;
  VinduLoadedPlugin *p = vindu_plugin_load(path, &error);
  ck_assert_msg(p != NULL, "%s", error ? error->message : "");
  ck_assert_uint_eq(p->desc.abi_minor, 0);
  ck_assert_uint_lt(p->desc.descriptor_size, sizeof(VinduPluginDescriptor));
  ck_assert_ptr_nonnull(p->desc.timer);
  /* its memory goes on past the descriptor with a non-NULL pointer: it must not be read */
  ck_assert_ptr_null(p->desc.action);
  TestHost h;
  test_host_init(&h);
  ck_assert(vindu_plugin_open(p, &h.host, &error));
  vindu_plugin_unload(p);
  test_host_clear(&h);
}
END_TEST

/* --- the shipped plugins ---------------------------------------------------------------------- */

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

typedef struct {
  VinduLoadedPlugin *plugin;
  TestHost h;
} Loaded;

static Loaded *
load(const char *name, gint64 now)
{
  Loaded *l = g_new0(Loaded, 1);
  g_autofree char *file = g_strdup_printf("%s.so", name);
  g_autofree char *path = g_build_filename(plugin_dir, file, NULL);
  g_autoptr(GError) error = NULL;
  l->plugin = vindu_plugin_load(path, &error);
  ck_assert_msg(l->plugin != NULL, "%s", error ? error->message : "");
  test_host_init(&l->h);
  l->h.now = now;
  ck_assert(vindu_plugin_open(l->plugin, &l->h.host, &error));
  return l;
}

static void
unload(Loaded *l)
{
  vindu_plugin_unload(l->plugin);
  test_host_clear(&l->h);
  g_free(l);
}

static int
put(Loaded *l, const char *kind, const char *id, const char *body)
{
  return l->plugin->desc.put_document(l->plugin->self, kind, id, 1, body);
}

static void
collect(void *ctx, const VinduTodayItem *item)
{
  VinduTodayItem *copy = g_new0(VinduTodayItem, 1);
  copy->id = g_strdup(item->id);
  copy->title = g_strdup(item->title);
  copy->kind = g_strdup(item->kind);
  copy->starts_at = item->starts_at;
  g_ptr_array_add(ctx, copy);
}

static void
item_free(VinduTodayItem *item)
{
  g_free((char *)item->id);
  g_free((char *)item->title);
  g_free((char *)item->kind);
  g_free(item);
}

static GPtrArray *
between(Loaded *l, gint64 from, gint64 to)
{
  GPtrArray *items = g_ptr_array_new_with_free_func((GDestroyNotify)item_free);
  l->plugin->desc.today(l->plugin->self, from, to, collect, items);
  return items;
}

static GPtrArray *
day(Loaded *l, int year, int month, int dayno)
{
  return between(l, local_time(year, month, dayno, 0, 0), local_time(year, month, dayno + 1, 0, 0));
}

START_TEST(daily_reminder_once_a_day_at_its_time)
{
  Loaded *l = load("reminders", local_time(2026, 11, 24, 8, 0));
  g_autofree char *body = g_strdup_printf(
      "{\"title\":\"Tid for en tur\",\"starts_at\":%" G_GINT64_FORMAT ",\"rrule\":\"FREQ=DAILY\"}",
      local_time(2026, 11, 20, 11, 0));
  ck_assert_int_eq(put(l, "reminder", "walk", body), 0);
  g_autoptr(GPtrArray) items = day(l, 2026, 11, 24);
  ck_assert_uint_eq(items->len, 1);
  VinduTodayItem *item = items->pdata[0];
  ck_assert_str_eq(item->title, "Tid for en tur");
  ck_assert_str_eq(item->kind, "reminder");
  ck_assert_int_eq(item->starts_at, local_time(2026, 11, 24, 11, 0));
  g_autoptr(GPtrArray) before = day(l, 2026, 11, 19);
  ck_assert_uint_eq(before->len, 0);
  unload(l);
}
END_TEST

/* The timer is asked for the reminder's own second, and firing it then says it: not a minute
 * late, as the old minute tick did ([now - 60, now) missed what fell on the tick itself). */
START_TEST(reminder_said_at_its_second)
{
  gint64 eleven = local_time(2026, 11, 24, 11, 0);
  Loaded *l = load("reminders", eleven - 3600);
  g_autofree char *body = g_strdup_printf(
      "{\"title\":\"Tid for en tur\",\"starts_at\":%" G_GINT64_FORMAT ",\"rrule\":\"FREQ=DAILY\"}",
      local_time(2026, 11, 20, 11, 0));
  put(l, "reminder", "walk", body);
  gint64 *at = g_hash_table_lookup(l->h.timers, GUINT_TO_POINTER(1));
  ck_assert_ptr_nonnull(at);
  ck_assert_int_eq(*at, eleven);
  l->h.now = eleven;
  l->plugin->desc.timer(l->plugin->self, 1);
  ck_assert_uint_eq(l->h.said->len, 1);
  ck_assert_str_eq(l->h.said->pdata[0], "Tid for en tur");
  at = g_hash_table_lookup(l->h.timers, GUINT_TO_POINTER(1));
  ck_assert_int_eq(*at, eleven + 86400);     /* tomorrow's */
  l->plugin->desc.timer(l->plugin->self, 1); /* a second firing at the same second says nothing */
  ck_assert_uint_eq(l->h.said->len, 1);
  unload(l);
}
END_TEST

START_TEST(daily_reminder_keeps_wall_clock_time_across_dst)
{
  Loaded *l = load("reminders", local_time(2026, 3, 20, 8, 0));
  g_autofree char *body = g_strdup_printf("{\"title\":\"Medisiner\",\"starts_at\":%" G_GINT64_FORMAT
                                          ",\"rrule\":\"FREQ=DAILY\"}",
                                          local_time(2026, 3, 20, 11, 0));
  put(l, "reminder", "pills", body);
  g_autoptr(GPtrArray) items = day(l, 2026, 3, 30); /* summer time began on 29 March */
  ck_assert_uint_eq(items->len, 1);
  ck_assert_int_eq(local_hour(((VinduTodayItem *)items->pdata[0])->starts_at), 11);
  unload(l);
}
END_TEST

START_TEST(weekly_and_counted_reminders)
{
  Loaded *l = load("reminders", local_time(2026, 11, 1, 8, 0));
  g_autofree char *weekly =
      g_strdup_printf("{\"title\":\"Wenche kommer\",\"starts_at\":%" G_GINT64_FORMAT
                      ",\"rrule\":\"FREQ=WEEKLY;BYDAY=TU\"}",
                      local_time(2026, 11, 3, 10, 0));
  put(l, "reminder", "visit", weekly);
  g_autoptr(GPtrArray) week =
      between(l, local_time(2026, 11, 23, 0, 0), local_time(2026, 11, 30, 0, 0));
  ck_assert_uint_eq(week->len, 1);
  ck_assert_int_eq(((VinduTodayItem *)week->pdata[0])->starts_at, local_time(2026, 11, 24, 10, 0));
  /* COUNT=3 counts from the first time: nothing after the third day */
  g_autofree char *counted = g_strdup_printf("{\"title\":\"Kur\",\"starts_at\":%" G_GINT64_FORMAT
                                             ",\"rrule\":\"FREQ=DAILY;COUNT=3\"}",
                                             local_time(2026, 11, 5, 9, 0));
  put(l, "reminder", "cure", counted);
  g_autoptr(GPtrArray) third = day(l, 2026, 11, 7);
  g_autoptr(GPtrArray) fourth = day(l, 2026, 11, 8);
  ck_assert_uint_eq(third->len, 1);
  ck_assert_uint_eq(fourth->len, 0);
  unload(l);
}
END_TEST

START_TEST(bad_document_changes_nothing)
{
  Loaded *l = load("reminders", local_time(2026, 11, 1, 8, 0));
  g_autofree char *good = g_strdup_printf("{\"title\":\"Lunsj\",\"starts_at\":%" G_GINT64_FORMAT
                                          ",\"rrule\":\"FREQ=DAILY\"}",
                                          local_time(2026, 11, 1, 12, 0));
  put(l, "reminder", "lunch", good);
  const char *bad[] = {"{\"title\":\"Lunsj\",\"starts_at\":1,\"rrule\":\"FREQ=SOMETIMES\"}",
                       "not json", "[1,2]", "{\"title\":7,\"starts_at\":1}",
                       "{\"title\":\"Lunsj\",\"starts_at\":\"noon\"}"};
  for (gsize i = 0; i < G_N_ELEMENTS(bad); i++)
    ck_assert_int_ne(put(l, "reminder", "lunch", bad[i]), 0);
  g_autoptr(GPtrArray) items = day(l, 2026, 11, 24);
  ck_assert_uint_eq(items->len, 1);
  ck_assert_str_eq(((VinduTodayItem *)items->pdata[0])->title, "Lunsj");
  put(l, "reminder", "lunch", NULL);
  g_autoptr(GPtrArray) after = day(l, 2026, 11, 24);
  ck_assert_uint_eq(after->len, 0);
  unload(l);
}
END_TEST

START_TEST(activities_in_their_window_with_place)
{
  Loaded *l = load("activities", local_time(2026, 11, 24, 8, 0));
  g_autofree char *coffee = g_strdup_printf(
      "{\"title\":\"Kaffe\",\"place\":\"Dagsenteret\",\"starts_at\":%" G_GINT64_FORMAT "}",
      local_time(2026, 11, 24, 13, 0));
  g_autofree char *choir = g_strdup_printf("{\"title\":\"Kor\",\"starts_at\":%" G_GINT64_FORMAT "}",
                                           local_time(2026, 11, 26, 18, 0));
  put(l, "activity", "coffee", coffee);
  put(l, "activity", "choir", choir);
  ck_assert_uint_ge(l->h.today_changed, 2);
  g_autoptr(GPtrArray) items = day(l, 2026, 11, 24);
  ck_assert_uint_eq(items->len, 1);
  ck_assert_str_eq(((VinduTodayItem *)items->pdata[0])->title, "Kaffe — Dagsenteret");
  ck_assert_str_eq(((VinduTodayItem *)items->pdata[0])->id, "coffee");
  ck_assert_int_ne(put(l, "activity", "x", "{\"title\":\"\"}"), 0);
  unload(l);
}
END_TEST

static void
collect_photo(void *ctx, const VinduPhoto *photo)
{
  g_ptr_array_add(ctx, g_strdup(photo->caption));
}

START_TEST(memory_book_photos)
{
  Loaded *l = load("memory-book", 0);
  ck_assert_int_eq(
      put(l, "memory", "cabin",
          "{\"file\":\"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\","
          "\"caption\":\"Hytta, 1974\",\"taken_at\":134000000}"),
      0);
  ck_assert_int_ne(put(l, "memory", "bad", "{\"file\":\"../etc/passwd\"}"), 0);
  ck_assert_uint_eq(l->h.photos_changed, 1);
  g_autoptr(GPtrArray) captions = g_ptr_array_new_with_free_func(g_free);
  l->plugin->desc.photos(l->plugin->self, collect_photo, captions);
  ck_assert_uint_eq(captions->len, 1);
  ck_assert_str_eq(captions->pdata[0], "Hytta, 1974");
  unload(l);
}
END_TEST

/* The example plugin: the words on their day's strip, said once at 08:00, not again after a
 * restart (its storage remembers), and a note for a day that is over is only shown. */
START_TEST(weather_on_the_strip_and_said_once_in_the_morning)
{
  gint64 six = local_time(2026, 12, 4, 6, 0), eight = local_time(2026, 12, 4, 8, 0);
  Loaded *l = load("weather", six);
  const char *note = "{\"date\":\"2026-12-04\",\"words\":\"Sol og kaldt, fem minus.\"}";
  ck_assert_int_eq(put(l, "weather", "today", note), 0);
  ck_assert_int_ne(put(l, "weather", "bad", "{\"date\":\"2026-02-31\",\"words\":\"x\"}"), 0);
  ck_assert_int_ne(put(l, "weather", "bad", "{\"date\":\"2026-12-04\"}"), 0);
  g_autoptr(GPtrArray) items = day(l, 2026, 12, 4);
  ck_assert_uint_eq(items->len, 1);
  ck_assert_str_eq(((VinduTodayItem *)items->pdata[0])->title, "Sol og kaldt, fem minus.");
  g_autoptr(GPtrArray) next = day(l, 2026, 12, 5);
  ck_assert_uint_eq(next->len, 0);
  gint64 *at = g_hash_table_lookup(l->h.timers, GUINT_TO_POINTER(1));
  ck_assert_ptr_nonnull(at);
  ck_assert_int_eq(*at, eight);
  l->h.now = eight;
  l->plugin->desc.timer(l->plugin->self, 1);
  ck_assert_uint_eq(l->h.said->len, 1);
  ck_assert_ptr_null(g_hash_table_lookup(l->h.timers, GUINT_TO_POINTER(1))); /* nothing left */
  /* a restart at 08:30 with the same storage: not said again */
  GHashTable *kept = g_hash_table_ref(l->h.storage);
  unload(l);
  l = load("weather", eight + 1800);
  g_hash_table_unref(l->h.storage);
  l->h.storage = kept;
  put(l, "weather", "today", note);
  ck_assert_ptr_null(g_hash_table_lookup(l->h.timers, GUINT_TO_POINTER(1)));
  ck_assert_uint_eq(l->h.said->len, 0);
  unload(l);
}
END_TEST

static gboolean
card_ok(const char *json)
{
  g_autoptr(JsonObject) card = vindu_wire_parse(json, -1);
  ck_assert_ptr_nonnull(card);
  g_autofree char *why = NULL;
  gboolean ok = vindu_wire_card_is_valid(card, &why);
  ck_assert(ok == (why == NULL));
  return ok;
}

/* The host refuses a card that would break the resident's rules rather than shrink it. */
START_TEST(cards_that_break_the_rules_are_refused)
{
  ck_assert(card_ok("{\"id\":\"a\",\"title\":\"Tid for en tur\",\"body\":\"Ta på skoene.\","
                    "\"countdown_s\":30,\"buttons\":[{\"id\":\"done\",\"label\":\"Ferdig\"}]}"));
  ck_assert(!card_ok("{\"id\":\"a\"}"));
  ck_assert(!card_ok("{\"title\":\"No id\"}"));
  g_autofree char *long_title = g_strdup_printf("{\"id\":\"a\",\"title\":\"%0*d\"}", 81, 0);
  ck_assert(!card_ok(long_title));
  ck_assert(!card_ok("{\"id\":\"a\",\"title\":\"t\",\"buttons\":[{\"id\":\"1\",\"label\":\"1\"},"
                     "{\"id\":\"2\",\"label\":\"2\"},{\"id\":\"3\",\"label\":\"3\"},"
                     "{\"id\":\"4\",\"label\":\"4\"}]}"));
  ck_assert(!card_ok("{\"id\":\"a\",\"title\":\"t\",\"buttons\":[{\"id\":\"1\","
                     "\"label\":\"a label far longer than a button\"}]}"));
  ck_assert(!card_ok("{\"id\":\"a\",\"title\":\"t\",\"buttons\":[{\"label\":\"No id\"}]}"));
  ck_assert(!card_ok("{\"id\":\"a\",\"title\":\"t\",\"photo\":\"../../etc/passwd\"}"));
  ck_assert(!card_ok("{\"id\":\"a\",\"title\":\"t\",\"countdown_s\":601}"));
}
END_TEST

int
main(void)
{

  Suite *suite = suite_create("plugins");
  TCase *tc = tcase_create("plugins");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, each_refusal_has_its_reason);
  tcase_add_test(tc, failing_open_refuses_the_plugin);
  tcase_add_test(tc, older_minor_loads_with_its_tail_as_zero);
  tcase_add_test(tc, daily_reminder_once_a_day_at_its_time);
  tcase_add_test(tc, reminder_said_at_its_second);
  tcase_add_test(tc, daily_reminder_keeps_wall_clock_time_across_dst);
  tcase_add_test(tc, weekly_and_counted_reminders);
  tcase_add_test(tc, bad_document_changes_nothing);
  tcase_add_test(tc, activities_in_their_window_with_place);
  tcase_add_test(tc, memory_book_photos);
  tcase_add_test(tc, weather_on_the_strip_and_said_once_in_the_morning);
  tcase_add_test(tc, cards_that_break_the_rules_are_refused);
  suite_add_tcase(suite, tc);
  return vindu_check_run(suite);
}
