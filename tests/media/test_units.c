/* Pure parts: the frame slot hand-over, the painted timestamp, the bitrate controller. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <gst/video/video.h>

#include "media/congestion.h"
#include "media/frame_slot.h"
#include "media/timestamp.h"

static GstSample *
i420_sample(int width, int height, guint8 luma)
{
  GstVideoInfo info;
  gst_video_info_set_format(&info, GST_VIDEO_FORMAT_I420, width, height);
  GstBuffer *buffer = gst_buffer_new_allocate(NULL, GST_VIDEO_INFO_SIZE(&info), NULL);
  gst_buffer_memset(buffer, 0, luma, GST_VIDEO_INFO_SIZE(&info));
  GST_BUFFER_PTS(buffer) = 40 * GST_MSECOND;
  GstCaps *caps = gst_video_info_to_caps(&info);
  GstSample *sample = gst_sample_new(buffer, caps, NULL, NULL);
  gst_buffer_unref(buffer);
  gst_caps_unref(caps);
  return sample;
}

START_TEST(test_slot_keeps_only_the_newest)
{
  gst_init(NULL, NULL);
  VinduFrameSlot *slot = vindu_frame_slot_new();
  ck_assert_ptr_null(vindu_frame_slot_take(slot));
  GstSample *a = i420_sample(64, 48, 10), *b = i420_sample(32, 16, 20);
  ck_assert(vindu_frame_slot_put(slot, a));  /* empty before: notify */
  ck_assert(!vindu_frame_slot_put(slot, b)); /* replaced an untaken frame: no new notice */
  VinduFrame *frame = vindu_frame_slot_take(slot);
  ck_assert_ptr_nonnull(frame);
  ck_assert_int_eq(frame->width, 32); /* the newer one; a resolution change is just a frame */
  ck_assert_int_eq(frame->height, 16);
  ck_assert_int_eq(frame->plane[0][0], 20);
  ck_assert_int_eq(frame->plane[2][frame->stride[2] * 7 + 15], 20);
  ck_assert_uint_eq(frame->number, 2);
  ck_assert_int_eq(frame->pts_us, 40000);
  ck_assert_ptr_null(vindu_frame_slot_take(slot)); /* taken: empty again */
  ck_assert_uint_eq(vindu_frame_slot_count(slot), 2);
  /* The frame outlives the slot. */
  vindu_frame_slot_free(slot);
  ck_assert_int_eq(frame->plane[1][0], 20);
  vindu_frame_free(frame);
  gst_sample_unref(a);
  gst_sample_unref(b);
}
END_TEST

typedef struct {
  VinduFrameSlot *slot;
  GstSample *sample;
  int puts;
} Producer;

static gpointer
produce(gpointer data)
{
  Producer *p = data;
  for (int i = 0; i < p->puts; i++)
    vindu_frame_slot_put(p->slot, p->sample);
  return NULL;
}

START_TEST(test_slot_between_threads)
{
  gst_init(NULL, NULL);
  VinduFrameSlot *slot = vindu_frame_slot_new();
  Producer p = {slot, i420_sample(16, 16, 7), 20000};
  GThread *thread = g_thread_new("producer", produce, &p);
  guint64 last = 0;
  int taken = 0;
  while (vindu_frame_slot_count(slot) < (guint64)p.puts || taken == 0) {
    VinduFrame *frame = vindu_frame_slot_take(slot);
    if (frame) {
      ck_assert_uint_gt(frame->number, last); /* never an older frame after a newer one */
      last = frame->number;
      taken++;
      vindu_frame_free(frame);
    }
  }
  g_thread_join(thread);
  ck_assert_int_gt(taken, 0);
  ck_assert_uint_eq(vindu_frame_slot_count(slot), (guint64)p.puts);
  vindu_frame_slot_free(slot);
  gst_sample_unref(p.sample);
}
END_TEST

START_TEST(test_timestamp_round_trip)
{
  int w = 640, h = 480, stride = 704;
  guint8 *y = g_malloc(stride * h);
  memset(y, 128, stride * h);
  guint32 ms;
  ck_assert(!vindu_timestamp_read(y, stride, w, h, &ms)); /* a plain picture holds none */
  const guint32 values[] = {0, 1, 0x80000000u, 0xffffffffu, 123456789u};
  for (gsize i = 0; i < G_N_ELEMENTS(values); i++) {
    vindu_timestamp_paint(y, stride, w, h, values[i]);
    ck_assert(vindu_timestamp_read(y, stride, w, h, &ms));
    ck_assert_uint_eq(ms, values[i]);
  }
  /* Survives mild blur-like noise on every pixel. */
  vindu_timestamp_paint(y, stride, w, h, 987654u);
  for (int i = 0; i < stride * h; i++)
    y[i] = (guint8)CLAMP((int)y[i] + (i % 7) * 6 - 18, 0, 255);
  ck_assert(vindu_timestamp_read(y, stride, w, h, &ms));
  ck_assert_uint_eq(ms, 987654u);
  /* Too small a frame is left alone. */
  ck_assert(!vindu_timestamp_read(y, stride, 60, 40, &ms));
  g_free(y);
}
END_TEST

START_TEST(test_congestion_follows_loss)
{
  VinduCongestion *c = vindu_congestion_new(1000, 150, 2000);
  gint64 t = 10 * G_USEC_PER_SEC;
  VinduCongestionInput heavy = {.loss = 0.3, .delay_trend_ms = 0, .sent_kbps = 1000};
  int next = vindu_congestion_update(c, &heavy, t);
  ck_assert_int_eq(next, 850); /* 1000 * (1 - 0.5 * 0.3) */
  /* At most one change a second. */
  ck_assert_int_eq(vindu_congestion_update(c, &heavy, t + 500000), 0);
  /* Keeps falling under loss, never below the floor. */
  for (int i = 1; i < 40; i++)
    vindu_congestion_update(c, &heavy, t + i * G_USEC_PER_SEC);
  ck_assert_int_eq(vindu_congestion_target(c), 150);
  /* A clean path with a full encoder lets it climb back, never above the ceiling. */
  VinduCongestionInput clean = {.loss = 0, .delay_trend_ms = 0, .sent_kbps = 10000};
  for (int i = 40; i < 200; i++)
    vindu_congestion_update(c, &clean, t + i * G_USEC_PER_SEC);
  ck_assert_int_eq(vindu_congestion_target(c), 2000);
  /* Growing queues back off before any loss. */
  VinduCongestionInput queueing = {.loss = 0, .delay_trend_ms = 5, .sent_kbps = 2000};
  ck_assert_int_eq(vindu_congestion_update(c, &queueing, t + 300 * G_USEC_PER_SEC), 1700);
  vindu_congestion_free(c);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("media-units");
  TCase *tc = tcase_create("units");
  tcase_add_test(tc, test_slot_keeps_only_the_newest);
  tcase_add_test(tc, test_slot_between_threads);
  tcase_add_test(tc, test_timestamp_round_trip);
  tcase_add_test(tc, test_congestion_follows_loss);
  suite_add_tcase(s, tc);
  SRunner *runner = srunner_create(s);
  srunner_run_all(runner, CK_NORMAL);
  int failed = srunner_ntests_failed(runner);
  srunner_free(runner);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
