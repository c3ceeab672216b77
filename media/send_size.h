/* The size the video is encoded at, from the target bitrate: the resolution steps down before
 * the picture turns to blocks or the frame rate collapses. A noisy picture (a webcam in a dim
 * room) at 1280x720@30 and 500 kbit/s got 1-3 frames a second through VP8's frame dropping;
 * at a quarter of the pixels the same bits go four times as far. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Bits per pixel (per frame) a step needs: 0.04 keeps 640x480@30 whole from ~370 kbit/s and
 * 1280x720@30 from ~1100 (about where WebRTC's own encoders step down). */
#define VINDU_SEND_SIZE_BITS_PER_PIXEL 0.04
/* Stepping back up wants 25 % more than that, so a target near a threshold does not flap. */
#define VINDU_SEND_SIZE_UP_MARGIN 1.25

/* The steps, as fractions of the camera's width and height: 1, 3/4, 1/2, 1/4. */
#define VINDU_SEND_SIZE_STEPS 4

/* The step (0: the camera's size) for target_kbps, given the step in use now (hysteresis).
 * Never below the last step. */
int vindu_send_size_step(int width, int height, int fps, int target_kbps, int current_step);

/* The width and height of a step: even, at least 16, the camera's shape. */
void vindu_send_size_of_step(int width, int height, int step, int *out_width, int *out_height);

G_END_DECLS
