/* A machine-readable timestamp painted into the luma plane of a frame, so glass-to-glass
 * latency can be measured by reading it back after decoding (bench, tests).
 *
 * Layout: the top rows hold 40 blocks side by side, each black (0) or white (1): 32 bits of
 * milliseconds (most significant first) and an 8-bit check. Blocks are width/40 pixels wide and
 * as tall, so they survive lossy coding at any sane bitrate. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Paints ms into y (the luma plane). Frames narrower than 80 pixels are left alone. */
void vindu_timestamp_paint(guint8 *y, int stride, int width, int height, guint32 ms);

/* Reads a painted timestamp back; FALSE when the frame holds none (check mismatch). */
gboolean vindu_timestamp_read(const guint8 *y, int stride, int width, int height, guint32 *ms);

/* Milliseconds of CLOCK_MONOTONIC, truncated to 32 bits: the same clock in every process. */
guint32 vindu_timestamp_now_ms(void);

G_END_DECLS
