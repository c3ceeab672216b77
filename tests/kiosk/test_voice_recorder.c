/* The voice-reply recorder with the test tone standing in for the microphone: a whole Ogg Opus
 * file of the right length on stop, the limit stopping it by itself, nothing left behind on
 * cancel, and a touch by mistake (too short) refused with no file. */
#include <check.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#include "kiosk/voice_recorder.h"
#include "tests/common/check_main.h"

typedef struct {
  GMainLoop *loop;
  char *path;
  guint duration_ms;
  GError *error;
  int calls;
} Result;

static void
done(gpointer data, const char *path, guint duration_ms, const GError *error)
{
  Result *r = data;
  r->calls++;
  r->path = g_strdup(path);
  r->duration_ms = duration_ms;
  r->error = error ? g_error_copy(error) : NULL;
  g_main_loop_quit(r->loop);
}

static gboolean
quit_cb(gpointer loop)
{
  g_main_loop_quit(loop);
  return G_SOURCE_REMOVE;
}

/* Runs the loop for ms (or until done() quits it). */
static void
run_for(GMainLoop *loop, guint ms)
{
  guint id = g_timeout_add(ms, quit_cb, loop);
  g_main_loop_run(loop);
  g_source_remove(id);
}

static char *
temp_path(void)
{
  g_autofree char *dir = g_dir_make_tmp("vindu-rec-XXXXXX", NULL);
  return g_build_filename(dir, "reply.ogg", NULL);
}

/* Records the test tone into path; r collects what done() says. */
static VkVoiceRecorder *
start(Result *r, const char *path, guint max_ms)
{
  r->loop = g_main_loop_new(NULL, FALSE);
  GError *err = NULL;
  VkVoiceRecorder *rec = vk_voice_recorder_start(path, TRUE, max_ms, done, r, &err);
  ck_assert_msg(rec, "%s", err ? err->message : "");
  return rec;
}

/* Frees r and removes the recording and its temporary folder. */
static void
result_clear(Result *r, const char *path)
{
  g_main_loop_unref(r->loop);
  g_free(r->path);
  g_clear_error(&r->error);
  g_unlink(path);
  g_autofree char *dir = g_path_get_dirname(path);
  g_rmdir(dir);
}

START_TEST(stop_gives_a_whole_ogg_opus_file)
{
  Result r = {0};
  g_autofree char *path = temp_path();
  VkVoiceRecorder *rec = start(&r, path, 120000);
  run_for(r.loop, 1500);
  ck_assert_int_eq(r.calls, 0);
  ck_assert_uint_ge(vk_voice_recorder_elapsed_ms(rec), 1400);
  vk_voice_recorder_stop(rec);
  vk_voice_recorder_stop(rec); /* twice is harmless */
  run_for(r.loop, 5000);
  ck_assert_int_eq(r.calls, 1);
  ck_assert_msg(!r.error, "%s", r.error ? r.error->message : "");
  ck_assert_str_eq(r.path, path);
  /* the audio that was recorded, not the wall clock: about 1.5 s */
  ck_assert_uint_ge(r.duration_ms, 1200);
  ck_assert_uint_le(r.duration_ms, 2500);
  g_autofree char *bytes = NULL;
  gsize len = 0;
  ck_assert(g_file_get_contents(path, &bytes, &len, NULL));
  ck_assert_uint_gt(len, 1000);
  ck_assert(memcmp(bytes, "OggS", 4) == 0);
  ck_assert(memmem(bytes, len, "OpusHead", 8));
  ck_assert(memmem(bytes, len, "OpusTags", 8));
  /* the last page is marked end-of-stream (header_type bit 2): the file is finished */
  const char *last = NULL;
  for (const char *p = bytes; (p = memmem(p, len - (gsize)(p - bytes), "OggS", 4)); p += 4)
    last = p;
  ck_assert(last && (last[5] & 0x04));
  vk_voice_recorder_free(rec);
  result_clear(&r, path);
}
END_TEST

START_TEST(the_limit_stops_and_keeps_it)
{
  Result r = {0};
  g_autofree char *path = temp_path();
  VkVoiceRecorder *rec = start(&r, path, 800);
  run_for(r.loop, 6000);
  ck_assert_int_eq(r.calls, 1);
  ck_assert(!r.error);
  ck_assert_uint_ge(r.duration_ms, 600);
  ck_assert_uint_le(r.duration_ms, 1500);
  ck_assert(g_file_test(path, G_FILE_TEST_EXISTS));
  vk_voice_recorder_free(rec);
  result_clear(&r, path);
}
END_TEST

START_TEST(cancel_leaves_nothing)
{
  Result r = {0};
  g_autofree char *path = temp_path();
  VkVoiceRecorder *rec = start(&r, path, 120000);
  run_for(r.loop, 700);
  vk_voice_recorder_cancel(rec);
  run_for(r.loop, 500);
  ck_assert_int_eq(r.calls, 0);
  ck_assert(!g_file_test(path, G_FILE_TEST_EXISTS));
  result_clear(&r, path);
}
END_TEST

START_TEST(a_touch_by_mistake_is_too_short)
{
  Result r = {0};
  g_autofree char *path = temp_path();
  VkVoiceRecorder *rec = start(&r, path, 120000);
  vk_voice_recorder_stop(rec);
  run_for(r.loop, 5000);
  ck_assert_int_eq(r.calls, 1);
  ck_assert(r.error);
  ck_assert(!r.path);
  ck_assert(!g_file_test(path, G_FILE_TEST_EXISTS));
  vk_voice_recorder_free(rec);
  result_clear(&r, path);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("voice recorder");
  TCase *tc = tcase_create("record");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, stop_gives_a_whole_ogg_opus_file);
  tcase_add_test(tc, the_limit_stops_and_keeps_it);
  tcase_add_test(tc, cancel_leaves_nothing);
  tcase_add_test(tc, a_touch_by_mistake_is_too_short);
  suite_add_tcase(s, tc);
  return vindu_check_run(s);
}
