/* Photo sizes from headers (image_header.h). */
#include "image_size.h"

#include <string.h>

static guint
be16(const guint8 *p)
{
  return ((guint)p[0] << 8) | p[1];
}

static guint
be32(const guint8 *p)
{
  return ((guint)p[0] << 24) | ((guint)p[1] << 16) | ((guint)p[2] << 8) | p[3];
}

static guint
le16(const guint8 *p)
{
  return p[0] | ((guint)p[1] << 8);
}

static guint
le24(const guint8 *p)
{
  return p[0] | ((guint)p[1] << 8) | ((guint)p[2] << 16);
}

/* Walk the marker segments up to the first start-of-frame. */
static gboolean
jpeg_size(const guint8 *d, gsize len, guint *w, guint *h)
{
  gsize i = 2;
  while (i + 4 <= len) {
    if (d[i] != 0xFF)
      return FALSE;
    guint8 marker = d[i + 1];
    if (marker == 0xFF) { /* fill byte */
      i++;
      continue;
    }
    if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD9)) { /* no length */
      i += 2;
      continue;
    }
    guint seg = be16(d + i + 2);
    if (seg < 2)
      return FALSE;
    gboolean sof =
        marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    if (sof) {
      if (i + 9 > len || seg < 7)
        return FALSE;
      *h = be16(d + i + 5);
      *w = be16(d + i + 7);
      return TRUE;
    }
    i += 2 + seg;
  }
  return FALSE;
}

static gboolean
webp_size(const guint8 *d, gsize len, guint *w, guint *h)
{
  if (len < 30)
    return FALSE;
  if (memcmp(d + 12, "VP8 ", 4) == 0) {
    if (d[23] != 0x9d || d[24] != 0x01 || d[25] != 0x2a)
      return FALSE;
    *w = le16(d + 26) & 0x3fff;
    *h = le16(d + 28) & 0x3fff;
    return TRUE;
  }
  if (memcmp(d + 12, "VP8L", 4) == 0) {
    if (d[20] != 0x2f)
      return FALSE;
    guint32 bits = d[21] | ((guint32)d[22] << 8) | ((guint32)d[23] << 16) | ((guint32)d[24] << 24);
    *w = (bits & 0x3fff) + 1;
    *h = ((bits >> 14) & 0x3fff) + 1;
    return TRUE;
  }
  if (memcmp(d + 12, "VP8X", 4) == 0) {
    *w = le24(d + 24) + 1;
    *h = le24(d + 27) + 1;
    return TRUE;
  }
  return FALSE;
}

gboolean
vp_image_size(const guint8 *d, gsize len, guint *width, guint *height)
{
  if (len >= 24 && memcmp(d, "\x89PNG\r\n\x1a\n", 8) == 0 && memcmp(d + 12, "IHDR", 4) == 0) {
    *width = be32(d + 16);
    *height = be32(d + 20);
    return TRUE;
  }
  if (len >= 4 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF)
    return jpeg_size(d, len, width, height);
  if (len >= 16 && memcmp(d, "RIFF", 4) == 0 && memcmp(d + 8, "WEBP", 4) == 0)
    return webp_size(d, len, width, height);
  return FALSE;
}

gboolean
vp_image_size_allowed(guint width, guint height)
{
  return width > 0 && height > 0 && width <= VP_IMAGE_MAX_SIDE && height <= VP_IMAGE_MAX_SIDE &&
         (guint64)width * height <= VP_IMAGE_MAX_PIXELS;
}
