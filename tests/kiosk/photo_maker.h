/* Photos made at test and bench time (never committed): JPEGs through libjpeg with an EXIF
 * orientation through libexif, a real 30000×30000 PNG, a JPEG broken after its header. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* rgb[0..2] of the pixel at (x, y) of a w×h picture. */
typedef void (*KtPixelFn)(guint x, guint y, guint w, guint h, guint8 *rgb, gpointer data);

/* A baseline JPEG of w×h pixels; orientation 1..8 writes an EXIF APP1 saying so (0: none). */
void kt_write_jpeg(const char *path, guint w, guint h, KtPixelFn pixel, gpointer data,
                   int orientation, int quality);
/* One colour all over. */
void kt_write_solid_jpeg(const char *path, guint w, guint h, guint8 r, guint8 g, guint8 b);
/* A complete, valid 1-bit greyscale PNG of side×side (decoded whole as RGBA it would need
 * side² × 4 bytes: 3.6 GB for 30000). Written in about a second. */
void kt_write_huge_png(const char *path, guint side);
/* src's headers up to its scan, then the end marker: a JPEG whose size is read and that cannot
 * be decoded ("no image"). */
void kt_write_broken_jpeg(const char *src, const char *dst);

G_END_DECLS
