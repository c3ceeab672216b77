/* The photo frame's own state (kiosk/screens/photo_frame.c, and photo_frame_fade.c, its
 * crossfade and figures): the slide due, and the fade from the slide before. Why it is declared
 * here and not in kiosk/screens/: kiosk/screen_state/home.h. */
#pragma once

#include <glib.h>

#include "kiosk/ui/crossfade.h"

G_BEGIN_DECLS

typedef struct {
  int photo_index;         /* the slide due */
  gint64 slide_due_us;     /* when the slide fell due (monotonic): its figure is due to on screen */
  gboolean fade_due;       /* this redraw shows a new slide over the old one */
  gboolean slide_arrived;  /* the slide due is drawn for the first time */
  VkCrossfade fade;        /* the old slide fading out over the new */
  guint fade_timer;        /* the next frame of the fade */
  gboolean fade_preparing; /* this frame drew the new slide, still hidden: the fade starts next */
  GArray *fade_frames_us;  /* --control: how long each frame of the fade took to draw (bench) */
} VkFrameState;

/* The frame starts playing: its first slide is due now. */
static inline void
vk_frame_state_start(VkFrameState *s)
{
  s->photo_index = 0;
  s->slide_due_us = g_get_monotonic_time();
}

/* The frame's pace: the next slide is due now. */
static inline void
vk_frame_state_next(VkFrameState *s)
{
  s->photo_index++;
  s->slide_due_us = g_get_monotonic_time();
}

/* Back to the first slide (another chapter; the tour), which is not yet due. */
static inline void
vk_frame_state_rewind(VkFrameState *s)
{
  s->photo_index = 0;
}

/* The kiosk stops: the fade's timer, textures and figures go. */
static inline void
vk_frame_state_clear(VkFrameState *s)
{
  g_clear_handle_id(&s->fade_timer, g_source_remove);
  vk_crossfade_stop(&s->fade);
  g_clear_pointer(&s->fade_frames_us, g_array_unref);
}

G_END_DECLS
