/* The plugin host with real runner processes: refusals seen from the kiosk's side, a crashing,
 * a hanging and a memory-hungry document (the runner comes back, the document is set aside after
 * three faults, across a restart of the host too, and a new revision gets a fresh try), the
 * sandbox (no network), the storage bound, timers on the host's clock, and services reaching the
 * kiosk. Waits are bounded generously; nothing here passes or fails on speed. */
#include "check_main.h"
#include "plugin_host.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

typedef struct {
  gint64 clock_ms; /* the "kiosk's" clock: real time plus an offset the tests move */
  gint64 offset_ms;
  guint changed;
  GPtrArray *services; /* "svc plugin" lines */
  GPtrArray *cards;    /* card ids */
} Kiosk;

static Kiosk kiosk;
static char *state_dir, *plugin_dir;

static gint64
on_now_ms(gpointer data)
{
  return g_get_real_time() / 1000 + kiosk.offset_ms;
}

static void
on_changed(gpointer data)
{
  kiosk.changed++;
}

static void
on_service(gpointer data, const char *plugin, JsonObject *msg)
{
  const char *svc = json_object_get_string_member(msg, "svc");
  g_ptr_array_add(kiosk.services, g_strdup_printf("%s %s", svc, plugin));
  if (g_str_equal(svc, "card"))
    g_ptr_array_add(kiosk.cards, g_strdup(json_object_get_string_member(
                                     json_object_get_object_member(msg, "card"), "id")));
}

static void
rm_rf(const char *dir)
{
  g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
  const char *n;
  while (d && (n = g_dir_read_name(d))) {
    g_autofree char *p = g_build_filename(dir, n, NULL);
    if (g_file_test(p, G_FILE_TEST_IS_DIR) && !g_file_test(p, G_FILE_TEST_IS_SYMLINK))
      rm_rf(p);
    else
      g_unlink(p);
  }
  g_rmdir(dir);
}

static void
setup(void)
{
  memset(&kiosk, 0, sizeof kiosk);
  kiosk.services = g_ptr_array_new_with_free_func(g_free);
  kiosk.cards = g_ptr_array_new_with_free_func(g_free);
  g_autofree char *tmp = g_dir_make_tmp("vindu-plugin-host-XXXXXX", NULL);
  state_dir = g_build_filename(tmp, "state", NULL);
  plugin_dir = g_build_filename(tmp, "plugins", NULL);
  g_mkdir(plugin_dir, 0700);
}

static void
teardown(void)
{
  g_autofree char *tmp = g_path_get_dirname(state_dir);
  rm_rf(tmp);
  g_clear_pointer(&state_dir, g_free);
  g_clear_pointer(&plugin_dir, g_free);
  g_ptr_array_unref(kiosk.services);
  g_ptr_array_unref(kiosk.cards);
}

static void
add_probe(const char *name)
{
  g_autofree char *file = g_strdup_printf("%s.so", name);
  g_autofree char *target = g_build_filename(PROBE_DIR, file, NULL);
  g_autofree char *link = g_build_filename(plugin_dir, file, NULL);
  ck_assert_int_eq(symlink(target, link), 0);
}

static VinduPluginHost *
host_new(void)
{
  VinduPluginHostOptions o = {
      .runner_path = PLUGIN_RUNNER, .state_dir = state_dir, .memory_mb = 64, .deadline_ms = 1500};
  VinduPluginHostHooks h = {.now_ms = on_now_ms, .changed = on_changed, .service = on_service};
  return vindu_plugin_host_new(&o, &h);
}

typedef gboolean (*Condition)(VinduPluginHost *host, gconstpointer arg);

/* Runs the main loop until cond holds (checked every 20 ms), at most `seconds`. */
static gboolean
wait_for(VinduPluginHost *host, Condition cond, gconstpointer arg, int seconds)
{
  gint64 end = g_get_monotonic_time() + seconds * G_USEC_PER_SEC;
  while (!cond(host, arg)) {
    if (g_get_monotonic_time() > end)
      return FALSE;
    g_main_context_iteration(NULL, FALSE);
    g_usleep(2000);
  }
  return TRUE;
}

static VinduHostPluginInfo
info_of(VinduPluginHost *host, const char *file_part)
{
  for (guint i = 0; i < vindu_plugin_host_count(host); i++) {
    VinduHostPluginInfo info;
    vindu_plugin_host_info(host, i, &info);
    if (strstr(info.file, file_part))
      return info;
  }
  ck_abort_msg("no plugin %s", file_part);
  return (VinduHostPluginInfo){0};
}

static gboolean
settled(VinduPluginHost *host, gconstpointer arg)
{
  for (guint i = 0; i < vindu_plugin_host_count(host); i++) {
    VinduHostPluginInfo info;
    vindu_plugin_host_info(host, i, &info);
    if (!g_str_equal(info.state, "running") && !g_str_equal(info.state, "refused"))
      return FALSE;
  }
  return TRUE;
}

static gboolean
quarantined(VinduPluginHost *host, gconstpointer n)
{
  return vindu_quarantine_list(vindu_plugin_host_quarantine(host))->len == GPOINTER_TO_UINT(n);
}

static gboolean
has_item(VinduPluginHost *host, gconstpointer title)
{
  GPtrArray *items = vindu_plugin_host_today(host);
  for (guint i = 0; i < items->len; i++)
    if (g_str_equal(((VinduHostTodayItem *)items->pdata[i])->title, title))
      return TRUE;
  return FALSE;
}

START_TEST(refusals_leave_the_others_running)
{
  const char *names[] = {
      "probe",   "wrong-major", "newer-minor", "larger-descriptor", "smaller-descriptor",
      "no-name", "open-fails",  "probe-again", "not-a-plugin",      "null-descriptor"};
  for (gsize i = 0; i < G_N_ELEMENTS(names); i++)
    add_probe(names[i]);
  g_autoptr(VinduPluginHost) host = host_new();
  ck_assert_uint_eq(vindu_plugin_host_load_dir(host, plugin_dir), G_N_ELEMENTS(names));
  ck_assert(wait_for(host, settled, NULL, 60));
  for (gsize i = 0; i < G_N_ELEMENTS(names); i++) {
    g_autofree char *file = g_strdup_printf("/%s.so", names[i]);
    VinduHostPluginInfo info = info_of(host, file);
    /* "probe" and "probe-again" both read "probe" documents: "probe-again.so" comes first by
     * file name, so it runs and "probe.so" is refused (the same on every start) */
    gboolean runs = g_str_equal(names[i], "probe-again");
    ck_assert_msg(g_str_equal(info.state, runs ? "running" : "refused"), "%s is %s", names[i],
                  info.state);
    ck_assert_uint_eq(info.starts, 1); /* a refused plugin is never started again */
  }
  ck_assert(vindu_plugin_host_put_document(host, "probe", "walk", 1, "{\"title\":\"Walk\"}"));
  vindu_plugin_host_refresh(host, 0, G_MAXINT64 / 2);
  ck_assert(wait_for(host, has_item, "Walk", 30));
}
END_TEST

START_TEST(older_minor_runs)
{
  add_probe("older-minor");
  g_autoptr(VinduPluginHost) host = host_new();
  vindu_plugin_host_load_dir(host, plugin_dir);
  ck_assert(wait_for(host, settled, NULL, 60));
  VinduHostPluginInfo info = info_of(host, "older-minor");
  ck_assert_str_eq(info.state, "running");
  ck_assert_str_eq(info.name, "probe-older");
  /* it has no action(): an action is skipped by its runner, which stays up */
  vindu_plugin_host_action(host, "probe-older", "x", "done");
  vindu_plugin_host_put_document(host, "probe", "a", 1, "{\"title\":\"After\"}");
  vindu_plugin_host_refresh(host, 0, G_MAXINT64 / 2);
  ck_assert(wait_for(host, has_item, "After", 30));
  ck_assert_uint_eq(info_of(host, "older-minor").starts, 1);
}
END_TEST

static gboolean
started_at_least(VinduPluginHost *host, gconstpointer n)
{
  VinduHostPluginInfo info = info_of(host, "probe");
  return info.starts >= GPOINTER_TO_UINT(n) && g_str_equal(info.state, "running");
}

static void
three_faults_set_it_aside(const char *body)
{
  add_probe("probe");
  g_autoptr(VinduPluginHost) host = host_new();
  vindu_plugin_host_put_document(host, "probe", "good", 1, "{\"title\":\"Still here\"}");
  vindu_plugin_host_put_document(host, "probe", "bad", 3, body);
  vindu_plugin_host_refresh(host, 0, G_MAXINT64 / 2);
  vindu_plugin_host_load_dir(host, plugin_dir);
  /* the first start, and one more after each of the three faults */
  ck_assert(wait_for(host, quarantined, GUINT_TO_POINTER(1), 120));
  ck_assert(wait_for(host, started_at_least, GUINT_TO_POINTER(4), 120));
  VinduQuarantined *q = vindu_quarantine_list(vindu_plugin_host_quarantine(host))->pdata[0];
  ck_assert_str_eq(q->plugin, "probe");
  ck_assert_str_eq(q->doc, "bad");
  ck_assert_int_eq(q->rev, 3);
  ck_assert_uint_eq(q->faults, 3);
  /* the runner is back, with the other document */
  ck_assert(wait_for(host, has_item, "Still here", 30));
  guint starts = info_of(host, "probe").starts;
  ck_assert_uint_eq(starts, 4);
}

START_TEST(crashing_document_is_set_aside)
{
  three_faults_set_it_aside("{\"crash\":true}");
}
END_TEST

START_TEST(hanging_document_is_set_aside)
{
  three_faults_set_it_aside("{\"hang\":true}");
}
END_TEST

/* A document that brings the plugin down only later — when the strip asks for today(), or when
 * its timer comes due — is set aside too: the fault counts against the document the plugin was
 * last given as it arrived, or that set the timer (docs/plugins.md). Before, such a fault was
 * counted against nothing and the plugin went down again at every start. */
static void
later_fault_sets_it_aside(const char *body)
{
  add_probe("probe");
  g_autoptr(VinduPluginHost) host = host_new();
  vindu_plugin_host_put_document(host, "probe", "good", 1, "{\"title\":\"Still here\"}");
  vindu_plugin_host_refresh(host, 0, G_MAXINT64 / 2);
  vindu_plugin_host_load_dir(host, plugin_dir);
  ck_assert(wait_for(host, has_item, "Still here", 30));
  vindu_plugin_host_put_document(host, "probe", "bad", 2, body);
  ck_assert(wait_for(host, quarantined, GUINT_TO_POINTER(1), 120));
  VinduQuarantined *q = vindu_quarantine_list(vindu_plugin_host_quarantine(host))->pdata[0];
  ck_assert_str_eq(q->doc, "bad");
  ck_assert_int_eq(q->rev, 2);
  ck_assert_uint_eq(q->faults, 3);
  ck_assert(wait_for(host, started_at_least, GUINT_TO_POINTER(4), 120));
  ck_assert(wait_for(host, has_item, "Still here", 30));
}

START_TEST(fault_in_today_is_set_aside)
{
  later_fault_sets_it_aside("{\"crash_in\":\"today\"}");
}
END_TEST

START_TEST(fault_in_timer_is_set_aside)
{
  later_fault_sets_it_aside("{\"crash_in\":\"timer\",\"at\":1}");
}
END_TEST

/* The memory limit is compiled out of a sanitizer build's runner (plugins/runner/sandbox.c), so
 * there a hungry document only faults by running past the call's deadline: timing, not the rule
 * under test. The case runs in the normal build. */
#if defined(__SANITIZE_ADDRESS__)
#define RUNNER_TEST_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define RUNNER_TEST_UNDER_ASAN 1
#endif
#endif
#ifndef RUNNER_TEST_UNDER_ASAN
#define RUNNER_TEST_UNDER_ASAN 0
#endif

#if !RUNNER_TEST_UNDER_ASAN
START_TEST(memory_hungry_document_is_set_aside)
{
  three_faults_set_it_aside("{\"eat_mb\":200}");
}
END_TEST
#endif

/* Set aside survives the host (the kiosk restarting); a new revision gets a fresh try. */
START_TEST(set_aside_survives_and_new_revision_retries)
{
  add_probe("probe");
  {
    g_autoptr(VinduPluginHost) host = host_new();
    vindu_plugin_host_put_document(host, "probe", "bad", 3, "{\"crash\":true}");
    vindu_plugin_host_load_dir(host, plugin_dir);
    ck_assert(wait_for(host, quarantined, GUINT_TO_POINTER(1), 120));
  }
  g_autoptr(VinduPluginHost) host = host_new();
  ck_assert(wait_for(host, quarantined, GUINT_TO_POINTER(1), 1));
  vindu_plugin_host_put_document(host, "probe", "bad", 3, "{\"crash\":true}");
  vindu_plugin_host_load_dir(host, plugin_dir);
  ck_assert(wait_for(host, settled, NULL, 30));
  g_usleep(300000);
  g_main_context_iteration(NULL, FALSE);
  ck_assert(wait_for(host, settled, NULL, 30));
  ck_assert_uint_eq(info_of(host, "probe").starts, 1); /* replay skipped it: no crash loop */
  vindu_plugin_host_put_document(host, "probe", "bad", 4, "{\"title\":\"Fixed\"}");
  ck_assert(wait_for(host, quarantined, GUINT_TO_POINTER(0), 1));
  vindu_plugin_host_refresh(host, 0, G_MAXINT64 / 2);
  ck_assert(wait_for(host, has_item, "Fixed", 30));
}
END_TEST

static char *
storage_file(void)
{
  return g_build_filename(state_dir, "probe.storage.json", NULL);
}

static gboolean
storage_says(VinduPluginHost *host, gconstpointer words)
{
  g_autofree char *path = storage_file();
  g_autofree char *text = NULL;
  return g_file_get_contents(path, &text, NULL, NULL) && strstr(text, words);
}

START_TEST(runner_has_no_network)
{
  add_probe("probe");
  g_autoptr(VinduPluginHost) host = host_new();
  vindu_plugin_host_load_dir(host, plugin_dir);
  vindu_plugin_host_put_document(host, "probe", "net", 1, "{\"net\":true}");
  ck_assert(wait_for(host, storage_says, "\"net\":\"refused\"", 30));
}
END_TEST

START_TEST(storage_is_bounded_and_kept)
{
  add_probe("probe");
  g_autoptr(VinduPluginHost) host = host_new();
  vindu_plugin_host_load_dir(host, plugin_dir);
  vindu_plugin_host_put_document(host, "probe", "s1", 1, "{\"store_kb\":70}");
  ck_assert(wait_for(host, storage_says, "\"store\":\"refused\"", 30));
  vindu_plugin_host_put_document(host, "probe", "s2", 1, "{\"store_kb\":8}");
  ck_assert(wait_for(host, storage_says, "\"store\":\"kept\"", 30));
  g_autofree char *path = storage_file();
  g_autofree char *text = NULL;
  ck_assert(g_file_get_contents(path, &text, NULL, NULL));
  ck_assert_uint_gt(strlen(text), 8 * 1024);
  ck_assert_uint_lt(strlen(text), 66 * 1024);
}
END_TEST

static gboolean
card_arrived(VinduPluginHost *host, gconstpointer id)
{
  for (guint i = 0; i < kiosk.cards->len; i++)
    if (g_str_equal(kiosk.cards->pdata[i], id))
      return TRUE;
  return FALSE;
}

/* A timer follows the host's clock: moved on, it fires at once, and the card reaches the kiosk. */
START_TEST(timer_follows_the_clock)
{
  add_probe("probe");
  g_autoptr(VinduPluginHost) host = host_new();
  vindu_plugin_host_load_dir(host, plugin_dir);
  ck_assert(wait_for(host, settled, NULL, 30));
  gint64 in_an_hour = g_get_real_time() / G_USEC_PER_SEC + 3600;
  g_autofree char *body =
      g_strdup_printf("{\"at\":%" G_GINT64_FORMAT ",\"card\":{\"title\":\"Time for your walk\","
                      "\"buttons\":[{\"id\":\"done\",\"label\":\"Done\"}]}}",
                      in_an_hour);
  vindu_plugin_host_put_document(host, "probe", "walk", 1, body);
  ck_assert(!wait_for(host, card_arrived, "walk", 1));
  kiosk.offset_ms = 3600 * 1000;
  vindu_plugin_host_clock_changed(host);
  ck_assert(wait_for(host, card_arrived, "walk", 30));
}
END_TEST

int
main(void)
{
  Suite *suite = suite_create("plugin-host");
  TCase *tc = tcase_create("plugin-host");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 240);
  tcase_add_test(tc, refusals_leave_the_others_running);
  tcase_add_test(tc, older_minor_runs);
  tcase_add_test(tc, crashing_document_is_set_aside);
  tcase_add_test(tc, hanging_document_is_set_aside);
  tcase_add_test(tc, fault_in_today_is_set_aside);
  tcase_add_test(tc, fault_in_timer_is_set_aside);
#if !RUNNER_TEST_UNDER_ASAN /* the runner has no memory limit there (ASan reserves terabytes) */
  tcase_add_test(tc, memory_hungry_document_is_set_aside);
#endif
  tcase_add_test(tc, set_aside_survives_and_new_revision_retries);
  tcase_add_test(tc, runner_has_no_network);
  tcase_add_test(tc, storage_is_bounded_and_kept);
  tcase_add_test(tc, timer_follows_the_clock);
  suite_add_tcase(suite, tc);
  return vindu_check_run(suite);
}
