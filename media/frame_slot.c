#include "media/frame_slot.h"

#include <gst/video/video.h>

struct _VinduFrameSlot {
  GMutex lock;
  GstSample *latest; /* owned; NULL when taken */
  guint64 latest_number;
  guint64 count;
};

/* The public VinduFrame first, so a VinduFrame * is a SlotFrame *. */
typedef struct {
  VinduFrame frame;
  GstVideoFrame mapped;
  GstSample *sample;
} SlotFrame;

VinduFrameSlot *
vindu_frame_slot_new(void)
{
  VinduFrameSlot *slot = g_new0(VinduFrameSlot, 1);
  g_mutex_init(&slot->lock);
  return slot;
}

void
vindu_frame_slot_free(VinduFrameSlot *slot)
{
  if (!slot)
    return;
  g_clear_pointer(&slot->latest, gst_sample_unref);
  g_mutex_clear(&slot->lock);
  g_free(slot);
}

gboolean
vindu_frame_slot_put(VinduFrameSlot *slot, GstSample *sample)
{
  GstSample *old;
  gboolean was_empty;
  g_mutex_lock(&slot->lock);
  old = slot->latest;
  was_empty = old == NULL;
  slot->latest = gst_sample_ref(sample);
  slot->latest_number = ++slot->count;
  g_mutex_unlock(&slot->lock);
  /* Unref outside the lock: it may free a buffer back to the decoder's pool. */
  if (old)
    gst_sample_unref(old);
  return was_empty;
}

VinduFrame *
vindu_frame_slot_take(VinduFrameSlot *slot)
{
  GstSample *sample;
  guint64 number;
  g_mutex_lock(&slot->lock);
  sample = g_steal_pointer(&slot->latest);
  number = slot->latest_number;
  g_mutex_unlock(&slot->lock);
  if (!sample)
    return NULL;

  GstVideoInfo info;
  GstBuffer *buffer = gst_sample_get_buffer(sample);
  GstCaps *caps = gst_sample_get_caps(sample);
  if (!buffer || !caps || !gst_video_info_from_caps(&info, caps) ||
      GST_VIDEO_INFO_FORMAT(&info) != GST_VIDEO_FORMAT_I420) {
    g_warning("decoded sample without I420 caps dropped");
    gst_sample_unref(sample);
    return NULL;
  }
  SlotFrame *f = g_new0(SlotFrame, 1);
  if (!gst_video_frame_map(&f->mapped, &info, buffer, GST_MAP_READ)) {
    g_warning("could not map a decoded frame");
    gst_sample_unref(sample);
    g_free(f);
    return NULL;
  }
  f->sample = sample;
  f->frame.width = GST_VIDEO_FRAME_WIDTH(&f->mapped);
  f->frame.height = GST_VIDEO_FRAME_HEIGHT(&f->mapped);
  for (int i = 0; i < 3; i++) {
    f->frame.stride[i] = GST_VIDEO_FRAME_PLANE_STRIDE(&f->mapped, i);
    f->frame.plane[i] = GST_VIDEO_FRAME_PLANE_DATA(&f->mapped, i);
  }
  f->frame.pts_us = GST_BUFFER_PTS_IS_VALID(buffer) ? (gint64)(GST_BUFFER_PTS(buffer) / 1000) : -1;
  f->frame.number = number;
  return &f->frame;
}

void
vindu_frame_free(VinduFrame *frame)
{
  if (!frame)
    return;
  SlotFrame *f = (SlotFrame *)frame;
  gst_video_frame_unmap(&f->mapped);
  gst_sample_unref(f->sample);
  g_free(f);
}

guint64
vindu_frame_slot_count(VinduFrameSlot *slot)
{
  g_mutex_lock(&slot->lock);
  guint64 count = slot->count;
  g_mutex_unlock(&slot->lock);
  return count;
}
