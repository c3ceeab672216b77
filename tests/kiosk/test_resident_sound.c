/* What the resident hears outside a call: the loudspeaker's volume keys on every screen (shown
 * large, the new volume rung once), and visits and check-in calls said a quarter of an hour
 * before — once, never in quiet hours, never over a call. */
#include <check.h>
#include <glib/gstdio.h>
#include <string.h>

#include "kiosk/app.h"
#include "kiosk/i18n.h"
#include "kiosk/plan_announce.h"
#include "kiosk/speech.h"
#include "kiosk/volume_keys.h"
#include "tests/common/check_main.h"
#include "tests/kiosk/headless_options.h"
#include "tests/kiosk/kiosk_run.h"

static VkOptions opts;
static VkApp *app;
static char *speech_dir;

static void
setup(void)
{
  kt_headless_options(&opts);
  vk_i18n_set_language("en");
  speech_dir = g_dir_make_tmp("vindu-sound-XXXXXX", NULL);
  vk_speech_configure(TRUE, speech_dir); /* espeak-ng writes WAV files: counted, not heard */
  GError *e = NULL;
  app = vk_app_new(&opts, &e);
  ck_assert_msg(app != NULL, "%s", e ? e->message : "");
  g_autofree char *fx = kt_source_path("tests/kiosk/fixtures/family.json");
  ck_assert(vk_model_load_fixture(app->model, fx, NULL));
  vk_app_show(app, VK_SCREEN_HOME);
  vk_app_redraw(app);
}

static void
remove_dir(const char *dir)
{
  g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
  for (const char *n = d ? g_dir_read_name(d) : NULL; n; n = g_dir_read_name(d)) {
    g_autofree char *p = g_build_filename(dir, n, NULL);
    g_remove(p);
  }
  g_rmdir(dir);
}

static void
teardown(void)
{
  vk_app_free(app);
  app = NULL;
  vk_options_clear(&opts);
  vk_speech_configure(FALSE, NULL);
  remove_dir(speech_dir);
  g_clear_pointer(&speech_dir, g_free);
}

static void
key(SDL_Keycode k)
{
  SDL_Event ev = {.type = SDL_KEYDOWN};
  ev.key.keysym.sym = k;
  vk_app_handle_event(app, &ev);
  vk_app_redraw(app);
}

static const char *
shown_volume(void)
{
  VkWidget *w = vk_widget_find(app->root, "volume-shown");
  return w ? w->text : NULL;
}

static gint64
local_time(int hour, int minute)
{
  g_autoptr(GDateTime) t = g_date_time_new_local(2026, 11, 24, hour, minute, 0);
  return g_date_time_to_unix(t);
}

START_TEST(volume_keys_work_on_home_and_are_shown)
{
  app->volume = 7;
  ck_assert_ptr_null(shown_volume());
  key(SDLK_VOLUMEUP);
  ck_assert_int_eq(app->volume, 8);
  ck_assert_str_eq(shown_volume(), "Volume: 8 of 10");
  ck_assert_int_eq(app->screen, VK_SCREEN_HOME); /* a volume key is never a touch */
  key(SDLK_VOLUMEDOWN);
  key(SDLK_AUDIOMUTE); /* a step down, never silence */
  ck_assert_int_eq(app->volume, 6);
  ck_assert_str_eq(shown_volume(), "Volume: 6 of 10");
  for (int i = 0; i < 12; i++)
    key(SDLK_VOLUMEUP);
  ck_assert_int_eq(app->volume, 10);
  /* it goes by itself after a few seconds */
  gint64 end = g_get_monotonic_time() + (VK_VOLUME_SHOWN_S + 5) * G_USEC_PER_SEC;
  while (shown_volume() && g_get_monotonic_time() < end) {
    g_main_context_iteration(NULL, FALSE);
    g_usleep(20000);
    vk_app_redraw(app);
  }
  ck_assert_ptr_null(shown_volume());
}
END_TEST

/* In one-button mode every other key is the button; the volume keys stay volume keys. */
START_TEST(volume_keys_are_not_the_one_button)
{
  opts.one_button = TRUE;
  app->volume = 5;
  VkWidget *focus = app->focus;
  key(SDLK_VOLUMEDOWN);
  SDL_Event up = {.type = SDL_KEYUP};
  up.key.keysym.sym = SDLK_VOLUMEDOWN;
  vk_app_handle_event(app, &up);
  ck_assert_int_eq(app->volume, 4);
  ck_assert_ptr_eq(app->focus, focus);
}
END_TEST

START_TEST(visit_and_checkin_sentences)
{
  VkTodayItem visit = {.kind = VK_TODAY_VISIT, .who = "kari", .at = local_time(11, 0)};
  VkTodayItem call = {.kind = VK_TODAY_CALL, .who = "anna", .at = local_time(18, 0)};
  VkTodayItem plugin = {.kind = VK_TODAY_PLUGIN, .title = "Walk", .at = local_time(11, 0)};
  ck_assert_ptr_null(vk_plan_announcement(&visit, "Kari", local_time(10, 44)));
  g_autofree char *v = vk_plan_announcement(&visit, "Kari", local_time(10, 45));
  ck_assert_str_eq(v, "Kari is coming to visit at 11:00.");
  ck_assert_ptr_null(vk_plan_announcement(&visit, "Kari", local_time(11, 0)));
  g_autofree char *c = vk_plan_announcement(&call, "Anna", local_time(17, 50));
  ck_assert_str_eq(c, "Anna will call you at 18:00.");
  ck_assert_ptr_null(vk_plan_announcement(&plugin, NULL, local_time(10, 50)));
}
END_TEST

START_TEST(a_visit_is_said_once_before_it)
{
  app->model->fixed_now = local_time(10, 30);
  guint n = vk_speech_count();
  vk_app_clock_tick(app);
  ck_assert_uint_eq(vk_speech_count(), n); /* too early */
  app->model->fixed_now = local_time(10, 46);
  vk_app_clock_tick(app);
  ck_assert_uint_eq(vk_speech_count(), n + 1);
  app->model->fixed_now = local_time(10, 50);
  vk_app_clock_tick(app);
  ck_assert_uint_eq(vk_speech_count(), n + 1); /* once */
}
END_TEST

START_TEST(a_call_is_never_talked_over)
{
  app->model->fixed_now = local_time(17, 50);
  vk_app_call_event(app, CALL_EVENT_REMOTE_INVITE, "jonas", FALSE);
  guint n = vk_speech_count();
  vk_app_clock_tick(app);
  ck_assert_uint_eq(vk_speech_count(), n); /* ringing: Anna's 18:00 call waits */
  vk_app_call_event(app, CALL_EVENT_USER_DECLINE, NULL, FALSE);
  vk_app_clock_tick(app);
  ck_assert_uint_eq(vk_speech_count(), n + 1); /* said once the ring is over */
}
END_TEST

START_TEST(quiet_hours_stay_quiet)
{
  /* the fixture's quiet hours are 22:00–08:00: a check-in at 07:55 is not said at 07:45 */
  VkTodayItem *early = g_new0(VkTodayItem, 1);
  early->kind = VK_TODAY_CALL;
  early->who = g_strdup("anna");
  early->at = local_time(7, 55);
  g_ptr_array_insert(app->model->today, 0, early);
  app->model->fixed_now = local_time(7, 45);
  guint n = vk_speech_count();
  vk_app_clock_tick(app);
  ck_assert_uint_eq(vk_speech_count(), n);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("resident-sound");
  TCase *tc = tcase_create("sound");
  tcase_set_timeout(tc, 60);
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, volume_keys_work_on_home_and_are_shown);
  tcase_add_test(tc, volume_keys_are_not_the_one_button);
  tcase_add_test(tc, visit_and_checkin_sentences);
  tcase_add_test(tc, a_visit_is_said_once_before_it);
  tcase_add_test(tc, a_call_is_never_talked_over);
  tcase_add_test(tc, quiet_hours_stay_quiet);
  suite_add_tcase(s, tc);
  return vindu_check_run(s);
}
