/* The activities plugin, loaded in this test process through the runner's loader, with a host
 * table that records what it asks for: cards, speech, answers, calls, timers, storage. The
 * whole conversation of an invitation (card, yes, ride, confirmation in words), a new time, a
 * cancellation, quiet hours, the reminders on the plugin's clock, a restart that neither asks
 * again nor forgets, and the strip item's action. Times in Europe/Oslo. */
#include "check_main.h"
#include "plugin_loader.h"

#include <json-glib/json-glib.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
  char *id, *title, *body, *photo;
  char *buttons[3], *labels[3];
} SeenCard;

typedef struct {
  VinduHost host;
  const char *lang;
  gint64 now;
  gboolean quiet;
  GHashTable *timers;  /* id -> gint64* */
  GHashTable *storage; /* survives a reload */
  GPtrArray *cards;    /* SeenCard*, in the order shown */
  GPtrArray *closed;   /* card ids taken away */
  GPtrArray *said, *answers, *calls;
  VinduLoadedPlugin *plugin;
} Host;

static Host h;

static void
seen_card_free(SeenCard *c)
{
  g_free(c->id);
  g_free(c->title);
  g_free(c->body);
  g_free(c->photo);
  for (int i = 0; i < 3; i++) {
    g_free(c->buttons[i]);
    g_free(c->labels[i]);
  }
  g_free(c);
}

static long long
t_now(const VinduHost *host)
{
  return h.now;
}
static const char *
t_language(const VinduHost *host)
{
  return h.lang;
}
static int
t_quiet(const VinduHost *host)
{
  return h.quiet;
}
static void
t_log(const VinduHost *host, VinduLogLevel level, const char *message)
{
}
static void
t_timer_at(const VinduHost *host, unsigned id, long long at)
{
  if (at < 0)
    g_hash_table_remove(h.timers, GUINT_TO_POINTER(id));
  else
    g_hash_table_replace(h.timers, GUINT_TO_POINTER(id), g_memdup2(&at, sizeof at));
}
static void
t_nothing(const VinduHost *host)
{
}
static int
t_card_show(const VinduHost *host, const VinduCard *card)
{
  SeenCard *c = g_new0(SeenCard, 1);
  c->id = g_strdup(card->id);
  c->title = g_strdup(card->title);
  c->body = g_strdup(card->body);
  c->photo = g_strdup(card->photo);
  for (int i = 0; i < 3; i++) {
    c->buttons[i] = g_strdup(card->buttons[i].id);
    c->labels[i] = g_strdup(card->buttons[i].label);
  }
  ck_assert_msg(g_utf8_strlen(card->title, -1) <= 80, "title too long: %s", card->title);
  ck_assert_msg(!card->body || g_utf8_strlen(card->body, -1) <= 300, "body too long");
  for (int i = 0; i < 3; i++)
    ck_assert(!card->buttons[i].label || g_utf8_strlen(card->buttons[i].label, -1) <= 24);
  g_ptr_array_add(h.cards, c);
  return 0;
}
static void
t_card_close(const VinduHost *host, const char *id)
{
  g_ptr_array_add(h.closed, g_strdup(id));
}
static void
t_say(const VinduHost *host, const char *text)
{
  g_ptr_array_add(h.said, g_strdup(text));
}
static char *
t_storage_get(const VinduHost *host, const char *key)
{
  const char *v = g_hash_table_lookup(h.storage, key);
  return v ? strdup(v) : NULL;
}
static int
t_storage_set(const VinduHost *host, const char *key, const char *value)
{
  if (value)
    g_hash_table_replace(h.storage, g_strdup(key), g_strdup(value));
  else
    g_hash_table_remove(h.storage, key);
  return 0;
}
static int
t_answer(const VinduHost *host, const char *kind, const char *doc, long long rev, const char *body)
{
  g_ptr_array_add(h.answers, g_strdup_printf("%s/%s@%lld %s", kind, doc, rev, body));
  return 0;
}
static int
t_call(const VinduHost *host, const char *person)
{
  g_ptr_array_add(h.calls, g_strdup(person));
  return 0;
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

static void
load(void)
{
  g_autofree char *path =
      g_build_filename(g_getenv("VINDU_BUILD_DIR"), "plugins", "activities.so", NULL);
  g_autoptr(GError) error = NULL;
  h.plugin = vindu_plugin_load(path, &error);
  ck_assert_msg(h.plugin != NULL, "%s", error ? error->message : "");
  ck_assert(vindu_plugin_open(h.plugin, &h.host, &error));
}

static void
setup(void)
{
  setenv("TZ", "Europe/Oslo", 1);
  tzset();
  memset(&h, 0, sizeof h);
  h.host.size = sizeof(VinduHost);
  h.host.log = t_log;
  h.host.now = t_now;
  h.host.language = t_language;
  h.host.quiet_hours = t_quiet;
  h.host.timer_at = t_timer_at;
  h.host.today_changed = t_nothing;
  h.host.photos_changed = t_nothing;
  h.host.card_show = t_card_show;
  h.host.card_close = t_card_close;
  h.host.say = t_say;
  h.host.storage_get = t_storage_get;
  h.host.storage_set = t_storage_set;
  h.host.answer = t_answer;
  h.host.call_person = t_call;
  h.lang = "nb";
  h.now = local_time(2026, 12, 3, 10, 0); /* Thursday morning */
  h.timers = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
  h.storage = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  h.cards = g_ptr_array_new_with_free_func((GDestroyNotify)seen_card_free);
  h.closed = g_ptr_array_new_with_free_func(g_free);
  h.said = g_ptr_array_new_with_free_func(g_free);
  h.answers = g_ptr_array_new_with_free_func(g_free);
  h.calls = g_ptr_array_new_with_free_func(g_free);
  load();
}

static void
teardown(void)
{
  vindu_plugin_unload(h.plugin);
  g_hash_table_unref(h.timers);
  g_hash_table_unref(h.storage);
  g_ptr_array_unref(h.cards);
  g_ptr_array_unref(h.closed);
  g_ptr_array_unref(h.said);
  g_ptr_array_unref(h.answers);
  g_ptr_array_unref(h.calls);
}

static int
put(const char *doc, long long rev, const char *body)
{
  return h.plugin->desc.put_document(h.plugin->self, "activity", doc, rev, body);
}

static void
touch(const char *item, const char *action)
{
  h.plugin->desc.action(h.plugin->self, item, action);
}

static SeenCard *
last_card(void)
{
  ck_assert_uint_gt(h.cards->len, 0);
  return h.cards->pdata[h.cards->len - 1];
}

static const char *
last(GPtrArray *a)
{
  ck_assert_uint_gt(a->len, 0);
  return a->pdata[a->len - 1];
}

/* Coffee today at 13:00-15:00, Wenche drives at 12:40. */
static char *
coffee(const char *extra)
{
  return g_strdup_printf(
      "{\"title\":\"Kaffe\",\"place\":\"Dagsenteret\",\"address\":\"Storgata 1\","
      "\"starts_at\":%" G_GINT64_FORMAT ",\"ends_at\":%" G_GINT64_FORMAT ","
      "\"invited_by_name\":\"Wenche\",\"invited_by\":\"p_wenche\",\"ride_offered\":true,"
      "\"ride_by\":\"Wenche\",\"pickup_at\":%" G_GINT64_FORMAT "%s}",
      local_time(2026, 12, 3, 13, 0), local_time(2026, 12, 3, 15, 0),
      local_time(2026, 12, 3, 12, 40), extra ? extra : "");
}

static gint64
timer(unsigned id)
{
  gint64 *at = g_hash_table_lookup(h.timers, GUINT_TO_POINTER(id));
  return at ? *at : -1;
}

/* Moves the clock to the reminder timer and fires it, as the host does. */
static void
fire_reminder_timer(void)
{
  gint64 at = timer(1);
  ck_assert_int_gt(at, 0);
  h.now = at;
  h.plugin->desc.timer(h.plugin->self, 1);
}

START_TEST(invitation_yes_with_a_ride_confirmed_in_words)
{
  g_autofree char *body = coffee(NULL);
  ck_assert_int_eq(put("coffee", 1, body), 0);
  SeenCard *c = last_card();
  ck_assert_str_eq(c->id, "invite:coffee");
  ck_assert_str_eq(c->title, "Kaffe");
  ck_assert_str_eq(c->body, "I dag klokka 13:00, til 15:00. Dagsenteret, Storgata 1. Wenche "
                            "inviterer deg.");
  ck_assert_str_eq(c->buttons[0], "yes");
  ck_assert_str_eq(c->buttons[1], "no");
  ck_assert_str_eq(c->buttons[2], "call");
  ck_assert_str_eq(last(h.said), "Kaffe. I dag klokka 13:00, til 15:00. Dagsenteret, Storgata 1. "
                                 "Wenche inviterer deg.");
  touch("invite:coffee", "yes");
  ck_assert_str_eq(last_card()->id, "ride:coffee");
  ck_assert_str_eq(last_card()->title, "Trenger du skyss?");
  ck_assert_uint_eq(h.answers->len, 0); /* not before she said whether she needs a ride */
  touch("ride:coffee", "ride-yes");
  ck_assert_uint_eq(h.answers->len, 1);
  g_autofree char *want = g_strdup_printf(
      "activity/coffee@1 {\"reply\":\"yes\",\"ride\":true,\"at\":%" G_GINT64_FORMAT "}", h.now);
  ck_assert_str_eq(last(h.answers), want);
  ck_assert_str_eq(last_card()->id, "confirm:coffee");
  ck_assert_str_eq(last_card()->body, "Du har svart ja. Vi sees i dag klokka 13:00. Wenche henter "
                                      "deg i dag klokka 12:40.");
}
END_TEST

START_TEST(english_no_and_call_me)
{
  h.lang = "en";
  g_autofree char *body = coffee(NULL);
  put("coffee", 1, body);
  ck_assert_str_eq(last_card()->body, "Today at 13:00, until 15:00. Dagsenteret, Storgata 1. "
                                      "Wenche invites you.");
  touch("invite:coffee", "no");
  ck_assert_str_eq(last_card()->body, "You said no, thank you.");
  ck_assert_ptr_nonnull(strstr(last(h.answers), "\"reply\":\"no\""));
  ck_assert_ptr_null(strstr(last(h.answers), "ride"));
  /* she changes her mind from the strip item: the invitation again; "Call me" calls Wenche */
  touch("coffee", "answer");
  ck_assert_str_eq(last_card()->id, "invite:coffee");
  touch("invite:coffee", "call");
  ck_assert_str_eq(last(h.calls), "p_wenche");
  ck_assert_ptr_nonnull(strstr(last(h.answers), "\"reply\":\"call\""));
  ck_assert_uint_eq(h.answers->len, 2);
}
END_TEST

START_TEST(once_per_revision_even_after_a_restart)
{
  g_autofree char *body = coffee(NULL);
  put("coffee", 1, body);
  touch("invite:coffee", "no");
  guint cards = h.cards->len;
  put("coffee", 1, body); /* the runner's replay */
  ck_assert_uint_eq(h.cards->len, cards);
  vindu_plugin_unload(h.plugin); /* a restart: storage stays */
  load();
  put("coffee", 1, body);
  ck_assert_uint_eq(h.cards->len, cards);
  ck_assert_uint_eq(h.answers->len, 1);
}
END_TEST

START_TEST(new_time_and_cancellation_reach_the_resident)
{
  g_autofree char *body = coffee(NULL);
  put("coffee", 1, body);
  touch("invite:coffee", "yes");
  touch("ride:coffee", "ride-no");
  g_autofree char *later = g_strdup_printf("{\"title\":\"Kaffe\",\"starts_at\":%" G_GINT64_FORMAT
                                           ",\"invited_by_name\":\"Wenche\"}",
                                           local_time(2026, 12, 4, 14, 0));
  put("coffee", 2, later);
  ck_assert_str_eq(last_card()->id, "changed:coffee");
  ck_assert_str_eq(last_card()->title, "Ny tid: Kaffe");
  ck_assert_str_eq(last_card()->body, "Det er nå i morgen klokka 14:00. Du har svart ja. Vi sees "
                                      "i morgen klokka 14:00.");
  g_autofree char *off =
      g_strdup_printf("{\"title\":\"Kaffe\",\"starts_at\":%" G_GINT64_FORMAT ",\"cancelled\":true}",
                      local_time(2026, 12, 4, 14, 0));
  put("coffee", 3, off);
  ck_assert_str_eq(last_card()->id, "cancelled:coffee");
  ck_assert_str_eq(last_card()->title, "Avlyst: Kaffe");
  ck_assert_str_eq(last_card()->body, "Kaffe i morgen klokka 14:00 er avlyst.");
  ck_assert_int_eq(timer(1) < 0 || timer(1) >= local_time(2026, 12, 4, 16, 0), 1); /* no reminder */
}
END_TEST

START_TEST(held_in_quiet_hours_until_they_end)
{
  h.quiet = TRUE;
  g_autofree char *body = coffee(NULL);
  put("coffee", 1, body);
  ck_assert_uint_eq(h.cards->len, 0);
  ck_assert_int_eq(timer(2), h.now + 300);
  h.now += 300;
  h.plugin->desc.timer(h.plugin->self, 2); /* still quiet: later */
  ck_assert_uint_eq(h.cards->len, 0);
  h.quiet = FALSE;
  h.now += 300;
  h.plugin->desc.timer(h.plugin->self, 2);
  ck_assert_uint_eq(h.cards->len, 1);
  ck_assert_str_eq(last_card()->id, "invite:coffee");
}
END_TEST

START_TEST(reminders_evening_before_hour_before_and_pickup)
{
  h.lang = "en";
  g_autofree char *body = g_strdup_printf(
      "{\"title\":\"Choir\",\"starts_at\":%" G_GINT64_FORMAT ",\"ride_offered\":true,"
      "\"ride_by\":\"Wenche\",\"pickup_at\":%" G_GINT64_FORMAT "}",
      local_time(2026, 12, 4, 13, 0), local_time(2026, 12, 4, 12, 40));
  put("choir", 1, body);
  ck_assert_int_eq(timer(1), local_time(2026, 12, 4, 15, 0)); /* only its end, before a yes */
  touch("invite:choir", "yes");
  touch("ride:choir", "ride-yes");
  ck_assert_int_eq(timer(1), local_time(2026, 12, 3, 18, 0));
  fire_reminder_timer();
  ck_assert_str_eq(last_card()->body, "Remember: Choir tomorrow at 13:00.");
  ck_assert_int_eq(timer(1), local_time(2026, 12, 4, 12, 0));
  fire_reminder_timer();
  ck_assert_str_eq(last_card()->body, "Remember: Choir today at 13:00.");
  fire_reminder_timer();
  ck_assert_int_eq(h.now, local_time(2026, 12, 4, 12, 40));
  ck_assert_str_eq(last_card()->body, "Wenche is coming to pick you up now.");
  ck_assert_str_eq(last(h.said), "Choir. Wenche is coming to pick you up now.");
}
END_TEST

static void
collect(void *ctx, const VinduTodayItem *item)
{
  g_ptr_array_add(ctx, g_strdup_printf("%s|%s|%s|%s", item->id, item->title,
                                       item->actions[0].id ? item->actions[0].id : "-",
                                       item->actions[0].label ? item->actions[0].label : "-"));
}

static GPtrArray *
strip(void)
{
  GPtrArray *items = g_ptr_array_new_with_free_func(g_free);
  h.plugin->desc.today(h.plugin->self, h.now - 3600, h.now + 86400, collect, items);
  return items;
}

START_TEST(strip_item_with_its_action_cancelled_plainly_and_gone_when_over)
{
  h.lang = "en";
  g_autofree char *body = coffee(NULL);
  put("coffee", 1, body);
  g_autoptr(GPtrArray) a = strip();
  ck_assert_uint_eq(a->len, 1);
  ck_assert_str_eq(a->pdata[0], "coffee|Kaffe — Dagsenteret|answer|Answer the invitation");
  touch("invite:coffee", "no");
  g_autoptr(GPtrArray) b = strip();
  ck_assert_str_eq(b->pdata[0], "coffee|Kaffe — Dagsenteret|answer|Change your answer");
  g_autofree char *off = coffee(",\"cancelled\":true");
  put("coffee", 2, off);
  g_autoptr(GPtrArray) c = strip();
  ck_assert_str_eq(c->pdata[0], "coffee|Cancelled: Kaffe — Dagsenteret|-|-");
  h.now = local_time(2026, 12, 3, 15, 0); /* over */
  g_autoptr(GPtrArray) d = strip();
  ck_assert_uint_eq(d->len, 0);
  ck_assert_int_ne(put("bad", 1, "{\"title\":\"\"}"), 0);
}
END_TEST

START_TEST(every_language_has_every_card)
{
  static const char *const langs[] = {"nb", "nn", "sv", "en"};
  for (int i = 0; i < 4; i++) {
    h.lang = langs[i];
    g_autofree char *doc = g_strdup_printf("coffee-%s", langs[i]);
    g_autofree char *item = g_strdup_printf("invite:%s", doc);
    g_autofree char *ride = g_strdup_printf("ride:%s", doc);
    g_autofree char *body = coffee(NULL);
    put(doc, 1, body);
    ck_assert_ptr_nonnull(strstr(last_card()->body, "13:00"));
    touch(item, "yes");
    touch(ride, "ride-yes");
    ck_assert_msg(strstr(last_card()->body, "Wenche") && strstr(last_card()->body, "12:40"),
                  "%s: %s", langs[i], last_card()->body);
  }
}
END_TEST

/* A card as the runner sends it to the kiosk: {id, title, body, buttons: [{id, label}]}. */
static JsonNode *
card_json(const SeenCard *c)
{
  g_autoptr(JsonBuilder) b = json_builder_new();
  json_builder_begin_object(b);
  json_builder_set_member_name(b, "id");
  json_builder_add_string_value(b, c->id);
  json_builder_set_member_name(b, "title");
  json_builder_add_string_value(b, c->title);
  json_builder_set_member_name(b, "body");
  json_builder_add_string_value(b, c->body);
  if (c->photo) {
    json_builder_set_member_name(b, "photo");
    json_builder_add_string_value(b, c->photo);
  }
  json_builder_set_member_name(b, "buttons");
  json_builder_begin_array(b);
  for (int i = 0; i < 3 && c->buttons[i]; i++) {
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "id");
    json_builder_add_string_value(b, c->buttons[i]);
    json_builder_set_member_name(b, "label");
    json_builder_add_string_value(b, c->labels[i]);
    json_builder_end_object(b);
  }
  json_builder_end_array(b);
  json_builder_end_object(b);
  return json_builder_get_root(b);
}

/* The activity card the kiosk's tour draws for the golden images and the UX figures
 * (tests/plugins/fixtures/activity_card.json, `cards`) is the card this plugin shows for the
 * fixture's `activity` at the fixture's `now`, in every language: the images cannot drift from
 * the plugin. VINDU_UPDATE_FIXTURE=1 writes the plugin's cards into the fixture instead. */
START_TEST(fixture_card_is_the_plugins_own)
{
  g_autofree char *path = g_build_filename(g_getenv("VINDU_SOURCE_DIR"), "tests", "plugins",
                                           "fixtures", "activity_card.json", NULL);
  g_autoptr(JsonParser) p = json_parser_new();
  ck_assert(json_parser_load_from_file(p, path, NULL));
  JsonObject *fx = json_node_get_object(json_parser_get_root(p));
  g_autoptr(GTimeZone) tz = g_time_zone_new_local();
  g_autoptr(GDateTime) now =
      g_date_time_new_from_iso8601(json_object_get_string_member(fx, "now"), tz);
  h.now = g_date_time_to_unix(now);
  g_autofree char *body = json_to_string(json_object_get_member(fx, "activity"), FALSE);
  JsonObject *cards = json_object_get_object_member(fx, "cards");
  static const char *const langs[] = {"nb", "nn", "sv", "en"};
  gboolean update = g_getenv("VINDU_UPDATE_FIXTURE") != NULL;
  for (int i = 0; i < 4; i++) {
    h.lang = langs[i];
    g_autofree char *doc = g_strdup_printf("singalong-%s", langs[i]);
    put(doc, 1, body);
    JsonNode *made = card_json(last_card());
    JsonObject *mo = json_node_get_object(made);
    json_object_set_string_member(mo, "id", "invite:singalong");
    if (update) {
      json_object_set_member(cards, langs[i], made);
      continue;
    }
    JsonNode *kept = json_object_get_member(cards, langs[i]);
    g_autofree char *want = json_to_string(made, FALSE);
    ck_assert_msg(kept && json_node_equal(kept, made),
                  "%s: the fixture's card is not the plugin's; the plugin shows %s "
                  "(VINDU_UPDATE_FIXTURE=1 writes it)",
                  langs[i], want);
    json_node_unref(made);
  }
  if (update) {
    g_autoptr(JsonGenerator) g = json_generator_new();
    json_generator_set_pretty(g, TRUE);
    json_generator_set_root(g, json_parser_get_root(p));
    ck_assert(json_generator_to_file(g, path, NULL));
  }
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("activities");
  TCase *tc = tcase_create("activities");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, invitation_yes_with_a_ride_confirmed_in_words);
  tcase_add_test(tc, english_no_and_call_me);
  tcase_add_test(tc, once_per_revision_even_after_a_restart);
  tcase_add_test(tc, new_time_and_cancellation_reach_the_resident);
  tcase_add_test(tc, held_in_quiet_hours_until_they_end);
  tcase_add_test(tc, reminders_evening_before_hour_before_and_pickup);
  tcase_add_test(tc, strip_item_with_its_action_cancelled_plainly_and_gone_when_over);
  tcase_add_test(tc, every_language_has_every_card);
  tcase_add_test(tc, fixture_card_is_the_plugins_own);
  suite_add_tcase(s, tc);
  return vindu_check_run(s);
}
