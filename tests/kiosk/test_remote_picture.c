/* The watch on the other person's picture, with time fed by hand: stopped after
 * VK_PICTURE_STOPPED_MS without a frame, live again with the next frame, one check per deadline
 * rather than one per frame; a late first frame is waited for, and a weak link pauses the
 * picture rather than turning their camera off. */
#include "check_main.h"

#include "kiosk/remote_picture.h"

/* Frames every frame_ms from `from` until `until`, with the app's one timer run at each
 * deadline as the main loop would. Returns the time the picture was found stopped, or -1. */
static gint64
run(VkPictureWatch *w, gint64 from, gint64 until, gint64 frame_ms, gint64 end)
{
  for (gint64 t = from; t <= end; t++) {
    if (frame_ms && t < until && (t - from) % frame_ms == 0)
      vk_picture_watch_frame(w, t);
    gint64 d = vk_picture_watch_deadline(w);
    if (d && t >= d && vk_picture_watch_check(w, t))
      return t;
  }
  return -1;
}

START_TEST(stops_two_seconds_after_the_last_frame)
{
  VkPictureWatch w = {0};
  vk_picture_watch_start(&w, 1000);
  ck_assert_str_eq(vk_picture_watch_name(&w), "waiting"); /* their photo until the first frame */
  /* 30 frames a second for 10 s, then none: found stopped exactly 2 s after the last one */
  gint64 at = run(&w, 1000, 11000, 33, 20000);
  gint64 last = 1000 + (10000 - 1) / 33 * 33;
  ck_assert_int_eq(at, last + VK_PICTURE_STOPPED_MS);
  ck_assert(w.stopped);
  ck_assert_str_eq(vk_picture_watch_name(&w), "stopped");
  /* about one check per 2 s while frames came, not one per frame (300 of them) */
  ck_assert_uint_le(w.checks, 10000 / VK_PICTURE_STOPPED_MS + 2);
  /* stopped: nothing to wait for until a frame comes */
  ck_assert_int_eq(vk_picture_watch_deadline(&w), 0);
}
END_TEST

START_TEST(a_frame_brings_it_back_at_once)
{
  VkPictureWatch w = {0};
  vk_picture_watch_start(&w, 0);
  vk_picture_watch_frame(&w, 0);
  ck_assert(!vk_picture_watch_check(&w, VK_PICTURE_STOPPED_MS - 1));
  ck_assert(vk_picture_watch_check(&w, VK_PICTURE_STOPPED_MS));
  ck_assert(!vk_picture_watch_check(&w, 60000)); /* said once */
  ck_assert(vk_picture_watch_frame(&w, 61000));  /* live again: the screen changes now */
  ck_assert(!w.stopped);
  ck_assert_str_eq(vk_picture_watch_name(&w), "live");
  ck_assert(!vk_picture_watch_frame(&w, 61033)); /* already live: nothing to redo */
  ck_assert_int_eq(vk_picture_watch_deadline(&w), 61033 + VK_PICTURE_STOPPED_MS);
}
END_TEST

START_TEST(no_picture_from_the_start)
{
  /* the camera was off before the call connected: said VK_PICTURE_FIRST_MS after connecting */
  VkPictureWatch w = {0};
  vk_picture_watch_start(&w, 5000);
  ck_assert_str_eq(vk_picture_watch_name(&w), "waiting");
  ck_assert_int_eq(run(&w, 5000, 5000, 0, 30000), 5000 + VK_PICTURE_FIRST_MS);
}
END_TEST

START_TEST(a_late_first_frame_is_waited_for)
{
  /* connected with the first audio; the first key frame 8 s later on a slow link: never
   * "camera off", and from the first frame on the usual 2 s */
  VkPictureWatch w = {0};
  vk_picture_watch_start(&w, 0);
  ck_assert_int_eq(run(&w, 8000, 20000, 40, 8000), -1);
  ck_assert_int_eq(run(&w, 8000, 20000, 40, 19999), -1);
  ck_assert_str_eq(vk_picture_watch_name(&w), "live");
  gint64 last = 8000 + (12000 - 1) / 40 * 40;
  ck_assert_int_eq(run(&w, 20000, 20000, 0, 40000), last + VK_PICTURE_STOPPED_MS);
}
END_TEST

START_TEST(a_weak_link_pauses_the_picture)
{
  VkPictureWatch w = {0};
  vk_picture_watch_start(&w, 0);
  vk_picture_watch_frame(&w, 0);
  vk_picture_watch_weak(&w, TRUE, 500);
  /* no frame on the weak link: paused (the connection), not stopped (their camera) */
  ck_assert(vk_picture_watch_check(&w, VK_PICTURE_STOPPED_MS));
  ck_assert(w.paused && !w.stopped);
  ck_assert_str_eq(vk_picture_watch_name(&w), "paused");
  ck_assert_int_eq(vk_picture_watch_deadline(&w), 0); /* nothing to wake for while weak */
  /* the link is good again at 30 s: the picture has 2 s to come back, then it is their camera */
  vk_picture_watch_weak(&w, FALSE, 30000);
  ck_assert_int_eq(vk_picture_watch_deadline(&w), 30000 + VK_PICTURE_STOPPED_MS);
  ck_assert(vk_picture_watch_check(&w, 30000 + VK_PICTURE_STOPPED_MS));
  ck_assert(w.stopped && !w.paused);
  ck_assert_str_eq(vk_picture_watch_name(&w), "stopped");
  /* a frame brings it back; paused again on the next weak stall, back with the next frame */
  ck_assert(vk_picture_watch_frame(&w, 40000));
  vk_picture_watch_weak(&w, TRUE, 40100);
  ck_assert(vk_picture_watch_check(&w, 40000 + VK_PICTURE_STOPPED_MS));
  ck_assert_str_eq(vk_picture_watch_name(&w), "paused");
  ck_assert(vk_picture_watch_frame(&w, 50000));
  ck_assert_str_eq(vk_picture_watch_name(&w), "live");
  /* stopped on a good link (camera off), then the link turns weak: still their camera */
  vk_picture_watch_weak(&w, FALSE, 50001);
  ck_assert(vk_picture_watch_check(&w, 50000 + VK_PICTURE_STOPPED_MS));
  vk_picture_watch_weak(&w, TRUE, 60000);
  ck_assert_str_eq(vk_picture_watch_name(&w), "stopped");
}
END_TEST

START_TEST(only_in_a_connected_call)
{
  VkPictureWatch w = {0};
  ck_assert_str_eq(vk_picture_watch_name(&w), "none");
  ck_assert(!vk_picture_watch_frame(&w, 100));
  ck_assert_int_eq(vk_picture_watch_deadline(&w), 0);
  ck_assert(!vk_picture_watch_check(&w, 100000));
  vk_picture_watch_start(&w, 0);
  ck_assert(vk_picture_watch_check(&w, VK_PICTURE_FIRST_MS));
  /* reconnecting or ended: not stopped any more, nothing to wait for */
  vk_picture_watch_stop(&w);
  ck_assert(!w.stopped);
  ck_assert_str_eq(vk_picture_watch_name(&w), "none");
  ck_assert_int_eq(vk_picture_watch_deadline(&w), 0);
  /* connected again: a fresh start, not the old frame's time */
  vk_picture_watch_start(&w, 90000);
  ck_assert_int_eq(vk_picture_watch_deadline(&w), 90000 + VK_PICTURE_FIRST_MS);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("remote_picture");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, stops_two_seconds_after_the_last_frame);
  tcase_add_test(tc, a_frame_brings_it_back_at_once);
  tcase_add_test(tc, no_picture_from_the_start);
  tcase_add_test(tc, a_late_first_frame_is_waited_for);
  tcase_add_test(tc, a_weak_link_pauses_the_picture);
  tcase_add_test(tc, only_in_a_connected_call);
  suite_add_tcase(s, tc);
  return vindu_check_run(s);
}
