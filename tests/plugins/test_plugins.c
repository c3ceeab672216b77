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
  GPtrArray *cards;   /* "id|title|body|photo|button ids" of each card shown */
  GPtrArray *closed;  /* ids of cards taken away */
  GPtrArray *answers; /* "doc|rev|body" */
  guint chimes;
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

static int
t_card_show(const VinduHost *host, const VinduCard *c)
{
  GString *s = g_string_new(NULL);
  g_string_append_printf(s, "%s|%s|%s|%s|", c->id, c->title, c->body ? c->body : "",
                         c->photo ? c->photo : "");
  for (int i = 0; i < VINDU_CARD_MAX_BUTTONS && c->buttons[i].id; i++)
    g_string_append_printf(s, "%s%s", i ? "," : "", c->buttons[i].id);
  g_ptr_array_add(((TestHost *)host)->cards, g_string_free(s, FALSE));
  return 0;
}
static void
t_card_close(const VinduHost *host, const char *id)
{
  g_ptr_array_add(((TestHost *)host)->closed, g_strdup(id));
}
static void
t_chime(const VinduHost *host)
{
  ((TestHost *)host)->chimes++;
}
static int
t_answer(const VinduHost *host, const char *kind, const char *doc, long long rev, const char *body)
{
  g_ptr_array_add(((TestHost *)host)->answers, g_strdup_printf("%s|%lld|%s", doc, rev, body));
  return 0;
}
static void
t_log(const VinduHost *host, VinduLogLevel level, const char *message)
{
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
  h->host.chime = t_chime;
  h->host.answer = t_answer;
  h->host.log = t_log;
  h->cards = g_ptr_array_new_with_free_func(g_free);
  h->closed = g_ptr_array_new_with_free_func(g_free);
  h->answers = g_ptr_array_new_with_free_func(g_free);
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
  g_ptr_array_unref(h->cards);
  g_ptr_array_unref(h->closed);
  g_ptr_array_unref(h->answers);
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

/* --- reminders: due cards, time zones, old rules ---------------------------------------------- */

/* Seconds of a wall-clock time in a named zone, whatever the process's TZ. */
static gint64
zone_time(const char *zone, int year, int month, int day, int hour, int minute)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier(zone);
  g_autoptr(GDateTime) t = g_date_time_new(tz, year, month, day, hour, minute, 0);
  return g_date_time_to_unix(t);
}

static char *
pills(gint64 first, const char *rrule, int wait_minutes)
{
  return g_strdup_printf("{\"title\":\"Hjertemedisin\",\"starts_at\":%" G_GINT64_FORMAT
                         ",\"rrule\":\"%s\",\"time_zone\":\"Europe/Oslo\",\"wait_minutes\":%d}",
                         first, rrule, wait_minutes);
}

static void
fire(Loaded *l, gint64 at, unsigned timer)
{
  l->h.now = at;
  l->plugin->desc.timer(l->plugin->self, timer);
}

static gint64
timer_of(Loaded *l, unsigned id)
{
  gint64 *at = g_hash_table_lookup(l->h.timers, GUINT_TO_POINTER(id));
  return at ? *at : -1;
}

/* The protocol's own example body (docs/protocol.md) is taken, and falls at 11:00. */
START_TEST(protocol_example_body_is_taken)
{
  Loaded *l = load("reminders", 1795000000);
  ck_assert_int_eq(put(l, "reminder", "walk",
                       "{\"title\":\"Time for your walk\",\"starts_at\":1795000000,"
                       "\"rrule\":\"FREQ=DAILY;BYHOUR=11\"}"),
                   0);
  g_autoptr(GPtrArray) items = between(l, 1795000000, 1795000000 + 2 * 86400);
  ck_assert_uint_ge(items->len, 1);
  ck_assert_int_eq(local_hour(((VinduTodayItem *)items->pdata[0])->starts_at), 11);
  unload(l);
}
END_TEST

/* Every 30 minutes since six years ago: today's 48 are there (the walk starts near today). */
START_TEST(six_year_old_half_hourly_reminder_shows)
{
  Loaded *l = load("reminders", zone_time("Europe/Oslo", 2026, 12, 4, 7, 0));
  g_autofree char *body =
      pills(zone_time("Europe/Oslo", 2020, 12, 4, 0, 0),
            "FREQ=DAILY;BYHOUR=0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23;"
            "BYMINUTE=0,30",
            30);
  ck_assert_int_eq(put(l, "reminder", "often", body), 0);
  g_autoptr(GPtrArray) items = between(l, zone_time("Europe/Oslo", 2026, 12, 4, 0, 0),
                                       zone_time("Europe/Oslo", 2026, 12, 5, 0, 0));
  ck_assert_uint_eq(items->len, 48);
  ck_assert_int_eq(timer_of(l, 1), zone_time("Europe/Oslo", 2026, 12, 4, 7, 30));
  unload(l);
}
END_TEST

/* 08:00 every day in Europe/Oslo stays 08:00 there across both changes, while this process
 * runs in UTC; 02:30 on the night the clock skips it is 03:30. Another zone is its own. */
START_TEST(household_zone_across_both_dst_changes)
{
  setenv("TZ", "UTC", 1);
  tzset();
  const char *oslo = "Europe/Oslo";
  Loaded *l = load("reminders", zone_time(oslo, 2026, 10, 1, 7, 0));
  g_autofree char *daily = pills(zone_time(oslo, 2026, 10, 1, 8, 0), "FREQ=DAILY", 30);
  g_autofree char *night = pills(zone_time(oslo, 2026, 10, 1, 2, 30), "FREQ=DAILY", 30);
  put(l, "reminder", "pills", daily);
  struct {
    int y, m, d;
  } days[] = {{2026, 10, 24}, {2026, 10, 25}, {2026, 10, 26},
              {2027, 3, 27},  {2027, 3, 28},  {2027, 3, 29}};
  for (gsize i = 0; i < G_N_ELEMENTS(days); i++) {
    g_autoptr(GPtrArray) items = between(l, zone_time(oslo, days[i].y, days[i].m, days[i].d, 0, 0),
                                         zone_time(oslo, days[i].y, days[i].m, days[i].d, 23, 59));
    ck_assert_uint_eq(items->len, 1);
    ck_assert_int_eq(((VinduTodayItem *)items->pdata[0])->starts_at,
                     zone_time(oslo, days[i].y, days[i].m, days[i].d, 8, 0));
  }
  put(l, "reminder", "pills", NULL);
  put(l, "reminder", "night", night);
  g_autoptr(GPtrArray) skipped =
      between(l, zone_time(oslo, 2027, 3, 28, 0, 0), zone_time(oslo, 2027, 3, 29, 0, 0));
  ck_assert_uint_eq(skipped->len, 1);
  ck_assert_int_eq(((VinduTodayItem *)skipped->pdata[0])->starts_at,
                   zone_time(oslo, 2027, 3, 28, 3, 30));
  put(l, "reminder", "night", NULL);
  g_autofree char *tokyo =
      g_strdup_printf("{\"title\":\"x\",\"starts_at\":%" G_GINT64_FORMAT
                      ",\"rrule\":\"FREQ=DAILY\",\"time_zone\":\"Asia/Tokyo\"}",
                      zone_time("Asia/Tokyo", 2026, 10, 1, 8, 0));
  put(l, "reminder", "tokyo", tokyo);
  g_autoptr(GPtrArray) t = between(l, zone_time("Asia/Tokyo", 2027, 7, 1, 0, 0),
                                   zone_time("Asia/Tokyo", 2027, 7, 2, 0, 0));
  ck_assert_uint_eq(t->len, 1);
  ck_assert_int_eq(((VinduTodayItem *)t->pdata[0])->starts_at,
                   zone_time("Asia/Tokyo", 2027, 7, 1, 8, 0));
  ck_assert_int_ne(put(l, "reminder", "bad",
                       "{\"title\":\"x\",\"starts_at\":1795000000,"
                       "\"time_zone\":\"Mars/Olympus\"}"),
                   0);
  unload(l);
  setenv("TZ", "Europe/Oslo", 1);
  tzset();
}
END_TEST

/* At 08:00 the card (words, time in words, Done and Later), a chime, the words said, and said
 * again a little later; Done is an answer with the occurrence it answers. */
START_TEST(due_card_done)
{
  gint64 eight = zone_time("Europe/Oslo", 2026, 12, 4, 8, 0);
  Loaded *l = load("reminders", eight - 600);
  g_autofree char *body = pills(eight - 7 * 86400, "FREQ=DAILY", 30);
  put(l, "reminder", "pills", body);
  ck_assert_int_eq(timer_of(l, 1), eight);
  fire(l, eight, 1);
  ck_assert_uint_eq(l->h.cards->len, 1);
  g_autofree char *want =
      g_strdup_printf("pills@%" G_GINT64_FORMAT "|Hjertemedisin|Klokka er 08:00 om morgenen.||"
                      "done,later",
                      eight);
  ck_assert_str_eq(l->h.cards->pdata[0], want);
  ck_assert_uint_eq(l->h.chimes, 1);
  ck_assert_uint_eq(l->h.said->len, 1);
  ck_assert_int_eq(timer_of(l, 2), eight + 15);
  fire(l, eight + 15, 2);
  ck_assert_uint_eq(l->h.said->len, 2);
  ck_assert_str_eq(l->h.said->pdata[1], "Hjertemedisin");
  g_autofree char *card = g_strdup_printf("pills@%" G_GINT64_FORMAT, eight);
  l->h.now = eight + 20;
  l->plugin->desc.action(l->plugin->self, card, "done");
  ck_assert_uint_eq(l->h.answers->len, 1);
  g_autofree char *done = g_strdup_printf("pills|1|{\"state\":\"done\",\"at\":%" G_GINT64_FORMAT
                                          ",\"due\":%" G_GINT64_FORMAT "}",
                                          eight + 20, eight);
  ck_assert_str_eq(l->h.answers->pdata[0], done);
  ck_assert_int_eq(timer_of(l, 2), -1); /* nothing waits */
  unload(l);
}
END_TEST

/* Later three times (each 10 minutes), then the fourth card has no Later, and left unanswered
 * for its waiting time it goes: "not confirmed". */
START_TEST(due_card_later_three_times_then_not_confirmed)
{
  gint64 eight = zone_time("Europe/Oslo", 2026, 12, 4, 8, 0);
  Loaded *l = load("reminders", eight - 60);
  g_autofree char *body = pills(eight, "FREQ=DAILY", 5);
  put(l, "reminder", "pills", body);
  fire(l, eight, 1);
  g_autofree char *card = g_strdup_printf("pills@%" G_GINT64_FORMAT, eight);
  gint64 t = eight;
  for (int i = 0; i < 3; i++) {
    t += 30;
    l->h.now = t;
    l->plugin->desc.action(l->plugin->self, card, "later");
    ck_assert_int_eq(timer_of(l, 2), t + 600);
    g_autofree char *later =
        g_strdup_printf("pills|1|{\"state\":\"later\",\"at\":%" G_GINT64_FORMAT
                        ",\"due\":%" G_GINT64_FORMAT ",\"until\":%" G_GINT64_FORMAT "}",
                        t, eight, t + 600);
    ck_assert_str_eq(l->h.answers->pdata[i], later);
    t += 600;
    fire(l, t, 2);
    ck_assert_uint_eq(l->h.cards->len, (guint)i + 2);
  }
  ck_assert(g_str_has_suffix(l->h.cards->pdata[3], "|done")); /* no Later the fourth time */
  ck_assert_uint_eq(l->h.chimes, 4);
  fire(l, t + 15, 2); /* said again */
  ck_assert_int_eq(timer_of(l, 2), t + 5 * 60);
  fire(l, t + 5 * 60, 2);
  ck_assert_uint_eq(l->h.closed->len, 1);
  ck_assert_str_eq(l->h.closed->pdata[0], card);
  ck_assert_uint_eq(l->h.answers->len, 4);
  ck_assert_ptr_nonnull(strstr(l->h.answers->pdata[3], "\"state\":\"not_confirmed\""));
  unload(l);
}
END_TEST

/* Missed while the kiosk was off: shown when it is back within the waiting time; after it, only
 * answered "not confirmed". A restart with a card waiting shows it again. */
START_TEST(due_while_off_shown_when_back)
{
  gint64 eight = zone_time("Europe/Oslo", 2026, 12, 4, 8, 0);
  g_autofree char *body = pills(eight - 86400, "FREQ=DAILY", 30);
  for (int late = 0; late < 2; late++) {
    Loaded *l = load("reminders", eight - 600);
    put(l, "reminder", "pills", body);
    fire(l, eight - 300, 1); /* the kiosk ran until 07:55 */
    GHashTable *kept = g_hash_table_ref(l->h.storage);
    unload(l);
    l = load("reminders", late ? eight + 3600 : eight + 600);
    g_hash_table_unref(l->h.storage);
    l->h.storage = kept;
    l->plugin->desc.close(l->plugin->self); /* open again with the kept storage */
    g_autoptr(GError) error = NULL;
    ck_assert(vindu_plugin_open(l->plugin, &l->h.host, &error));
    put(l, "reminder", "pills", body);
    fire(l, l->h.now, 1);
    ck_assert_uint_eq(l->h.cards->len, late ? 0 : 1);
    ck_assert_uint_eq(l->h.answers->len, late ? 1 : 0);
    if (late)
      ck_assert_ptr_nonnull(strstr(l->h.answers->pdata[0], "not_confirmed"));
    unload(l);
  }
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
  tcase_add_test(tc, protocol_example_body_is_taken);
  tcase_add_test(tc, six_year_old_half_hourly_reminder_shows);
  tcase_add_test(tc, household_zone_across_both_dst_changes);
  tcase_add_test(tc, due_card_done);
  tcase_add_test(tc, due_card_later_three_times_then_not_confirmed);
  tcase_add_test(tc, due_while_off_shown_when_back);
  suite_add_tcase(suite, tc);
  return vindu_check_run(suite);
}
