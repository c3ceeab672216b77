#include "media/timestamp.h"
#include <string.h>

enum { TS_BITS = 40, TS_WHITE = 235, TS_BLACK = 16 };

static guint8
ts_check(guint32 ms)
{
  /* Not a CRC: enough to tell a painted frame from a natural picture. */
  guint8 c = 0xA5;
  for (int i = 0; i < 4; i++)
    c = (guint8)((c << 1 | c >> 7) ^ ((ms >> (8 * i)) & 0xff));
  return c;
}

static guint64
ts_word(guint32 ms)
{
  return (guint64)ms << 8 | ts_check(ms);
}

void
vindu_timestamp_paint(guint8 *y, int stride, int width, int height, guint32 ms)
{
  int block = width / TS_BITS;
  if (block < 2 || height < block)
    return;
  guint64 word = ts_word(ms);
  for (int bit = 0; bit < TS_BITS; bit++) {
    guint8 value = (word >> (TS_BITS - 1 - bit)) & 1 ? TS_WHITE : TS_BLACK;
    for (int row = 0; row < block; row++)
      memset(y + (gsize)row * stride + bit * block, value, block);
  }
}

gboolean
vindu_timestamp_read(const guint8 *y, int stride, int width, int height, guint32 *ms)
{
  int block = width / TS_BITS;
  if (block < 2 || height < block)
    return FALSE;
  /* Sample the middle half of each block: edges blur after coding. */
  int from = block / 4, to = block - block / 4;
  guint64 word = 0;
  for (int bit = 0; bit < TS_BITS; bit++) {
    guint sum = 0, n = 0;
    for (int row = from; row < to; row++)
      for (int col = from; col < to; col++, n++)
        sum += y[(gsize)row * stride + bit * block + col];
    word = word << 1 | (sum / n > (TS_WHITE + TS_BLACK) / 2);
  }
  guint32 value = (guint32)(word >> 8);
  if ((guint8)(word & 0xff) != ts_check(value))
    return FALSE;
  *ms = value;
  return TRUE;
}

guint32
vindu_timestamp_now_ms(void)
{
  return (guint32)(g_get_monotonic_time() / 1000);
}
