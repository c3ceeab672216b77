/* The hand-over of decoded video from the appsink's streaming thread to the UI thread: one
 * slot holding the newest frame only, so a slow consumer sees fresh frames and memory stays
 * bounded (never a queue). */
#pragma once

#include <gst/gst.h>
#include "media/call.h"

G_BEGIN_DECLS

typedef struct _VinduFrameSlot VinduFrameSlot;

VinduFrameSlot *vindu_frame_slot_new(void);
void vindu_frame_slot_free(VinduFrameSlot *slot);

/* Replaces the frame in the slot (an untaken older frame is dropped) and counts it.
 * sample: (transfer none), I420 video. Returns TRUE when the slot was empty, i.e. the consumer
 * needs a fresh "frame ready" notification. Any thread. */
gboolean vindu_frame_slot_put(VinduFrameSlot *slot, GstSample *sample);

/* The newest frame, mapped for reading, or NULL. Any thread. Returns: (transfer full) */
VinduFrame *vindu_frame_slot_take(VinduFrameSlot *slot);

/* Frames put so far. Any thread. */
guint64 vindu_frame_slot_count(VinduFrameSlot *slot);

G_END_DECLS
