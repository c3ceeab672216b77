/* The non-graphical parts: fixture model, the model's listeners, orientation words in four
 * languages, themes' contrast pairs, mm arithmetic, speech to a WAV file, the ring tone. */
#include "check_main.h"
#include "temp_dir.h"
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "kiosk/cache.h"
#include "kiosk/i18n.h"
#include "kiosk/model.h"
#include "kiosk/orientation.h"
#include "kiosk/ring.h"
#include "kiosk/speech.h"
#include "kiosk/today.h"
#include "kiosk/ui/layout_mm.h"
#include "kiosk/ui/photo.h"
#include "kiosk/ui/theme.h"
#include "tests/kiosk/kiosk_run.h"

START_TEST(fixture_loads_newest_first)
{
  g_autofree char *p = kt_source_path("tests/kiosk/fixtures/family.json");
  g_autoptr(VkModel) m = vk_model_new();
  GError *e = NULL;
  ck_assert_msg(vk_model_load_fixture(m, p, &e), "%s", e ? e->message : "");
  ck_assert_int_eq(m->people->len, 6);
  ck_assert_int_eq(m->messages->len, 4);
  for (guint i = 1; i < m->messages->len; i++)
    ck_assert_int_ge(((VkMessage *)m->messages->pdata[i - 1])->sent_at,
                     ((VkMessage *)m->messages->pdata[i])->sent_at);
  ck_assert_int_eq(vk_model_unseen_count(m), 2);
  ck_assert(vk_model_find_person(m, "anna")->auto_answer);
  ck_assert(!vk_model_find_person(m, "jonas")->auto_answer);
  /* a message is never shown twice */
  VkMessage *dup = vk_message_new("m1", VK_MSG_TEXT, "anna");
  ck_assert(!vk_model_add_message(m, dup));
  ck_assert_int_eq(m->messages->len, 4);
  VkMessage *newer = vk_message_new("m9", VK_MSG_TEXT, "anna");
  newer->sent_at = m->fixed_now;
  ck_assert(vk_model_add_message(m, newer));
  ck_assert_str_eq(((VkMessage *)m->messages->pdata[0])->id, "m9");
}
END_TEST

static VkMessage *
delivered(const char *id, gint64 seq, gint64 sent_at)
{
  VkMessage *msg = vk_message_new(id, VK_MSG_TEXT, "anna");
  msg->seq = seq;
  msg->sent_at = sent_at;
  return msg;
}

static void
assert_order(VkModel *m, const char *const *ids)
{
  for (guint i = 0; ids[i]; i++) {
    ck_assert_uint_gt(m->messages->len, i);
    ck_assert_str_eq(((VkMessage *)m->messages->pdata[i])->id, ids[i]);
  }
}

/* The hub's clock stepped back an hour between two messages: the newer delivery is still on top
 * (and so is the one opened and marked seen), in the model and after a restart from the cache;
 * of two kiosk-made items in the same second the later one is on top. */
START_TEST(messages_follow_the_delivery_sequence)
{
  const gint64 t = 1800000000;
  g_autoptr(VkModel) m = vk_model_new();
  vk_model_add_message(m, delivered("first", 1, t));
  vk_model_add_message(m, delivered("after-step-back", 2, t - 3600));
  vk_model_add_message(m, delivered("same-second", 3, t - 3600));
  assert_order(m, (const char *const[]){"same-second", "after-step-back", "first", NULL});
  vk_model_add_message(m, delivered("missed-a", 0, t + 60));
  vk_model_add_message(m, delivered("missed-b", 0, t + 60));
  ck_assert_str_eq(((VkMessage *)m->messages->pdata[0])->id, "missed-b");

  g_autofree char *dir = g_dir_make_tmp("vindu-order-XXXXXX", NULL);
  VkCache *cache = vk_cache_open(dir, NULL);
  ck_assert_ptr_nonnull(cache);
  for (gint64 seq = 1; seq <= 3; seq++) {
    const char *ids[] = {"first", "after-step-back", "same-second"};
    g_autoptr(GError) e = NULL;
    VkMessage *msg = delivered(ids[seq - 1], seq, seq == 1 ? t : t - 3600);
    ck_assert_msg(vk_cache_store_message(cache, msg, NULL, NULL, &e), "%s", e ? e->message : "");
    vk_message_free(msg);
  }
  vk_cache_close(cache);
  cache = vk_cache_open(dir, NULL);
  g_autoptr(VkModel) again = vk_model_new();
  ck_assert(vk_cache_load_model(cache, again, NULL));
  assert_order(again, (const char *const[]){"same-second", "after-step-back", "first", NULL});
  vk_cache_close(cache);
  ck_assert(vindu_temp_dir_remove(dir));
}
END_TEST

START_TEST(bad_fixture_is_an_error)
{
  g_autofree char *tmp = g_build_filename(g_get_tmp_dir(), "vindu-bad-fixture.json", NULL);
  g_file_set_contents(tmp, "[1,2", -1, NULL);
  g_autoptr(VkModel) m = vk_model_new();
  GError *e = NULL;
  ck_assert(!vk_model_load_fixture(m, tmp, &e));
  ck_assert_ptr_nonnull(e);
  g_error_free(e);
  g_unlink(tmp);
}
END_TEST

static gint64
at(int y, int mo, int d, int h, int mi)
{
  g_autoptr(GDateTime) dt = g_date_time_new_local(y, mo, d, h, mi, 0);
  return g_date_time_to_unix(dt);
}

START_TEST(orientation_in_words)
{
  struct {
    const char *lang, *morning, *night;
  } cases[] = {
      {"en", "Tuesday 24 November, morning", "Tuesday 24 November, night"},
      {"nb", "Tirsdag 24. november, morgen", "Tirsdag 24. november, natt"},
      {"nn", "Tysdag 24. november, morgon", "Tysdag 24. november, natt"},
      {"sv", "Tisdag 24 november, morgon", "Tisdag 24 november, natt"},
  };
  for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
    ck_assert(vk_i18n_set_language(cases[i].lang));
    g_autofree char *m = vk_orientation_text(at(2026, 11, 24, 9, 30));
    g_autofree char *n = vk_orientation_text(at(2026, 11, 24, 2, 0));
    ck_assert_str_eq(m, cases[i].morning);
    ck_assert_str_eq(n, cases[i].night);
  }
  ck_assert(!vk_i18n_set_language("de"));
  ck_assert(vk_i18n_set_language("en"));
  ck_assert_int_eq(vk_part_of_day(12), VK_PART_AFTERNOON);
  ck_assert_int_eq(vk_part_of_day(18), VK_PART_EVENING);
  g_autofree char *w = vk_when_text(at(2026, 11, 23, 14, 10), at(2026, 11, 24, 9, 0));
  ck_assert_str_eq(w, "yesterday at 14:10");
}
END_TEST

START_TEST(every_theme_pair_reaches_7_to_1)
{
  g_autofree char *dir = kt_source_path("themes");
  for (int i = 0; vk_theme_names[i]; i++) {
    GError *e = NULL;
    g_autoptr(VkTheme) t = vk_theme_load(dir, vk_theme_names[i], &e);
    ck_assert_msg(t != NULL, "%s: %s", vk_theme_names[i], e ? e->message : "");
    struct {
      VkColor fg, bg;
      const char *what;
    } pairs[] = {
        {t->text, t->background, "text"},
        {t->secondary, t->background, "secondary"},
        {t->tile_text, t->tile, "tile"},
        {t->secondary, t->tile, "secondary on tile"},
        {t->button_text, t->button, "button"},
        {t->call_text, t->call, "call"},
        {t->hangup_text, t->hangup, "hang up"},
        {t->banner_text, t->banner, "banner"},
        {t->available_text, t->available, "available"},
        {t->photo_band_text, t->photo_band, "photo band"},
    };
    for (guint k = 0; k < G_N_ELEMENTS(pairs); k++) {
      double c = vk_contrast_ratio(pairs[k].fg, pairs[k].bg);
      ck_assert_msg(c >= 7.0, "%s: %s %.2f:1", vk_theme_names[i], pairs[k].what, c);
    }
    ck_assert(g_file_test(t->font, G_FILE_TEST_EXISTS));
    ck_assert(g_file_test(t->font_bold, G_FILE_TEST_EXISTS));
  }
  GError *e = NULL;
  ck_assert_ptr_null(vk_theme_load(dir, "../etc/passwd", &e));
  g_clear_error(&e);
}
END_TEST

START_TEST(contrast_formula)
{
  VkColor black = {0, 0, 0}, white = {255, 255, 255}, grey = {0x76, 0x76, 0x76};
  ck_assert(fabs(vk_contrast_ratio(black, white) - 21.0) < 0.01);
  ck_assert(fabs(vk_contrast_ratio(white, grey) - 4.54) < 0.01);
  VkColor c;
  ck_assert(vk_color_parse("#1b5e3b", &c));
  ck_assert(!vk_color_parse("1b5e3b", &c));
  ck_assert(!vk_color_parse("#1b5e3", &c));
}
END_TEST

START_TEST(millimetres)
{
  VkLayout l = {1280, 800, 150};
  ck_assert_int_eq(vk_mm_to_px(&l, 20), 119); /* UX.md: "about 120 px at 150 dpi" */
  ck_assert_int_eq(vk_mm_to_px(&l, 25.4), 150);
  ck_assert(fabs(vk_px_to_mm(&l, 150) - 25.4) < 1e-9);
  ck_assert_int_eq(vk_font_px(&l, 1.0, VK_MIN_BODY_PX), VK_MIN_BODY_PX);
}
END_TEST

START_TEST(speech_to_wav)
{
  g_autofree char *dir = g_dir_make_tmp("vindu-speech-XXXXXX", NULL);
  const char *langs[] = {"nb", "sv", "en"};
  for (guint i = 0; i < G_N_ELEMENTS(langs); i++) {
    vk_i18n_set_language(langs[i]);
    vk_speech_configure(TRUE, dir);
    GError *e = NULL;
    ck_assert_msg(vk_speech_say_sync("Anna ringer", &e), "%s", e ? e->message : "");
    g_autofree char *wav = g_build_filename(dir, "speech-001.wav", NULL);
    g_autofree char *data = NULL;
    gsize len = 0;
    ck_assert(g_file_get_contents(wav, &data, &len, NULL));
    ck_assert_int_gt(len, 8000); /* more than a header: real audio */
    ck_assert(memcmp(data, "RIFF", 4) == 0 && memcmp(data + 8, "WAVE", 4) == 0);
    g_unlink(wav);
  }
  vk_speech_configure(FALSE, dir);
  GError *e = NULL;
  ck_assert(!vk_speech_say_sync("x", &e));
  g_clear_error(&e);
  ck_assert(!vk_speech_say("x"));
  vk_speech_configure(FALSE, NULL);
  g_rmdir(dir);
  vk_i18n_set_language("en");
}
END_TEST

START_TEST(ring_is_loud_with_pauses)
{
  float buf[48000 * 3];
  vk_ring_synth(buf, G_N_ELEMENTS(buf), 0);
  double peak_on = 0, peak_rest = 0;
  for (int i = 0; i < 48000 * 3; i++) {
    if (i < 48000 * 4 / 10)
      peak_on = MAX(peak_on, fabs(buf[i]));
    if (i > 48000 * 12 / 10)
      peak_rest = MAX(peak_rest, fabs(buf[i]));
  }
  ck_assert(peak_on > 0.5);
  ck_assert(peak_rest == 0);
}
END_TEST

static Uint32
pixel(SDL_Surface *s, int x, int y)
{
  return ((Uint32 *)((Uint8 *)s->pixels + y * s->pitch))[x];
}

START_TEST(photos_the_right_way_up)
{
  g_autofree char *rotated = kt_source_path("tests/kiosk/fixtures/rotated.jpg");
  g_autofree char *plain = kt_source_path("tests/kiosk/fixtures/anna.jpg");
  ck_assert_int_eq(vk_photo_orientation(rotated), 6);
  ck_assert_int_eq(vk_photo_orientation(plain), 1);
  SDL_Surface *s = vk_photo_load(rotated);
  ck_assert_ptr_nonnull(s);
  /* stored 60x30 with a blue band on the left; shown 30x60 with the band on top */
  ck_assert_int_eq(s->w, 30);
  ck_assert_int_eq(s->h, 60);
  Uint8 r, g, b;
  SDL_GetRGB(pixel(s, 15, 3), s->format, &r, &g, &b);
  ck_assert_msg(b > 150 && r < 100, "top is not blue: %d %d %d", r, g, b);
  SDL_GetRGB(pixel(s, 15, 50), s->format, &r, &g, &b);
  ck_assert_msg(r > 150 && b < 100, "bottom is not red: %d %d %d", r, g, b);
  SDL_FreeSurface(s);
  ck_assert_ptr_null(vk_photo_load("/nonexistent.jpg"));
}
END_TEST

/* The strip's day ends at local midnight, also on the days the clocks change (23 and 25 hours
 * in Europe/Oslo, the tests' TZ), and equal times keep the order they came in. */
START_TEST(today_midnight_and_order)
{
  g_autoptr(GDateTime) spring = g_date_time_new_local(2026, 3, 29, 12, 0, 0); /* 23 h day */
  g_autoptr(GDateTime) spring_end = g_date_time_new_local(2026, 3, 30, 0, 0, 0);
  ck_assert_int_eq(vk_today_next_midnight(g_date_time_to_unix(spring)),
                   g_date_time_to_unix(spring_end));
  g_autoptr(GDateTime) autumn = g_date_time_new_local(2026, 10, 25, 23, 59, 59); /* 25 h day */
  g_autoptr(GDateTime) autumn_end = g_date_time_new_local(2026, 10, 26, 0, 0, 0);
  ck_assert_int_eq(vk_today_next_midnight(g_date_time_to_unix(autumn)),
                   g_date_time_to_unix(autumn_end));
  ck_assert_int_eq(vk_today_next_midnight(g_date_time_to_unix(autumn_end)),
                   g_date_time_to_unix(autumn_end) + 24 * 3600);

  g_autoptr(GPtrArray) today = g_ptr_array_new_with_free_func(g_free);
  const gint64 at[] = {50, 10, 30, 10, 30};
  VkTodayItem *items[G_N_ELEMENTS(at)];
  for (guint k = 0; k < G_N_ELEMENTS(at); k++) {
    items[k] = g_new0(VkTodayItem, 1);
    items[k]->at = at[k];
    vk_today_insert_sorted(today, items[k]);
  }
  VkTodayItem *want[] = {items[1], items[3], items[2], items[4], items[0]};
  for (guint k = 0; k < G_N_ELEMENTS(want); k++)
    ck_assert_ptr_eq(today->pdata[k], want[k]);
}
END_TEST

/* A listener that writes down what it heard: "name:bits" (and the document's kind, if any). */
typedef struct {
  GString *log;
  const char *name;
  guint unlisten; /* a listener to remove when this one is called, or 0 */
} Heard;

static void
heard(VkModel *m, guint changes, gpointer data)
{
  Heard *h = data;
  g_string_append_printf(h->log, "%s:%u%s%s ", h->name, changes, m->document ? "/" : "",
                         m->document ? m->document->kind : "");
  if (h->unlisten)
    vk_model_unlisten(m, h->unlisten);
}

START_TEST(listeners_hear_what_changed_in_order)
{
  g_autoptr(VkModel) m = vk_model_new();
  g_autoptr(GString) log = g_string_new("");
  Heard a = {log, "a", 0}, b = {log, "b", 0};
  guint ia = vk_model_listen(m, heard, &a);
  guint ib = vk_model_listen(m, heard, &b);
  ck_assert_uint_ne(ia, 0);
  ck_assert_uint_ne(ia, ib);
  vk_model_changed(m, VK_MODEL_PEOPLE | VK_MODEL_PRESENCE);
  ck_assert_str_eq(log->str, "a:3 b:3 "); /* both, in the order they came */
  g_string_truncate(log, 0);
  VkModelDocument doc = {.kind = "reminder", .doc = "r1", .rev = 2, .body_json = "{}"};
  vk_model_document_arrived(m, &doc);
  ck_assert_str_eq(log->str, "a:16/reminder b:16/reminder ");
  ck_assert_ptr_null(m->document); /* only while they run */
  g_string_truncate(log, 0);
  vk_model_unlisten(m, ia);
  vk_model_changed(m, VK_MODEL_FILE_ARRIVED);
  ck_assert_str_eq(log->str, "b:8 "); /* not after unlisten */
  g_string_truncate(log, 0);
  vk_model_changed(m, 0);
  ck_assert_str_eq(log->str, ""); /* nothing changed: nobody is told */
  vk_model_unlisten(m, ib);
  vk_model_changed(m, VK_MODEL_MESSAGES);
  ck_assert_str_eq(log->str, "");
}
END_TEST

START_TEST(listener_removed_while_listeners_run)
{
  g_autoptr(VkModel) m = vk_model_new();
  g_autoptr(GString) log = g_string_new("");
  Heard a = {log, "a", 0}, b = {log, "b", 0}, c = {log, "c", 0};
  vk_model_listen(m, heard, &a);
  guint ib = vk_model_listen(m, heard, &b);
  vk_model_listen(m, heard, &c);
  a.unlisten = ib; /* a removes b before b is called */
  vk_model_changed(m, VK_MODEL_MESSAGES);
  ck_assert_str_eq(log->str, "a:4 c:4 ");
  g_string_truncate(log, 0);
  a.unlisten = 0;
  vk_model_changed(m, VK_MODEL_MESSAGES);
  ck_assert_str_eq(log->str, "a:4 c:4 ");
}
END_TEST

START_TEST(connection_is_told_when_it_changes)
{
  g_autoptr(VkModel) m = vk_model_new();
  g_autoptr(GString) log = g_string_new("");
  Heard a = {log, "a", 0};
  vk_model_listen(m, heard, &a);
  VkPerson *p = vk_person_new("anna", "Anna", NULL);
  g_ptr_array_add(m->people, p);
  vk_model_set_connected(m, TRUE);
  p->reachable = TRUE;
  vk_model_set_connected(m, TRUE); /* no change: not told */
  ck_assert_str_eq(log->str, "a:32 ");
  ck_assert(m->connected);
  vk_model_set_connected(m, FALSE);
  ck_assert_str_eq(log->str, "a:32 a:32 ");
  ck_assert(!m->connected);
  ck_assert(!p->reachable); /* nobody is reachable through a hub the kiosk cannot reach */
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("model");
  TCase *tc = tcase_create("model");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, fixture_loads_newest_first);
  tcase_add_test(tc, bad_fixture_is_an_error);
  tcase_add_test(tc, messages_follow_the_delivery_sequence);
  tcase_add_test(tc, listeners_hear_what_changed_in_order);
  tcase_add_test(tc, listener_removed_while_listeners_run);
  tcase_add_test(tc, connection_is_told_when_it_changes);
  tcase_add_test(tc, orientation_in_words);
  tcase_add_test(tc, every_theme_pair_reaches_7_to_1);
  tcase_add_test(tc, contrast_formula);
  tcase_add_test(tc, millimetres);
  tcase_add_test(tc, speech_to_wav);
  tcase_add_test(tc, ring_is_loud_with_pauses);
  tcase_add_test(tc, photos_the_right_way_up);
  tcase_add_test(tc, today_midnight_and_order);
  suite_add_tcase(s, tc);
  return vindu_check_run(s);
}
