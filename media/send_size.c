#include "media/send_size.h"

/* Numerators over 4 of each step's width and height. */
static const int step_quarters[VINDU_SEND_SIZE_STEPS] = {4, 3, 2, 1};

void
vindu_send_size_of_step(int width, int height, int step, int *out_width, int *out_height)
{
  step = CLAMP(step, 0, VINDU_SEND_SIZE_STEPS - 1);
  *out_width = MAX(16, (width * step_quarters[step] / 4) & ~1);
  *out_height = MAX(16, (height * step_quarters[step] / 4) & ~1);
}

/* kbit/s a step needs at this frame rate. */
static double
step_needs_kbps(int width, int height, int fps, int step)
{
  int w, h;
  vindu_send_size_of_step(width, height, step, &w, &h);
  return (double)w * h * MAX(fps, 1) * VINDU_SEND_SIZE_BITS_PER_PIXEL / 1000.0;
}

int
vindu_send_size_step(int width, int height, int fps, int target_kbps, int current_step)
{
  current_step = CLAMP(current_step, 0, VINDU_SEND_SIZE_STEPS - 1);
  /* The largest step the target affords; a step larger than the current one must be afforded
   * with the margin. */
  for (int step = 0; step < VINDU_SEND_SIZE_STEPS - 1; step++) {
    double needs = step_needs_kbps(width, height, fps, step);
    if (step < current_step)
      needs *= VINDU_SEND_SIZE_UP_MARGIN;
    if (target_kbps >= needs)
      return step;
  }
  return VINDU_SEND_SIZE_STEPS - 1;
}
