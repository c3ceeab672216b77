/* The pixel size a photo declares in its header (PNG IHDR, JPEG SOFn, WebP VP8/VP8L/VP8X), read
 * without decoding anything: an 875 KB PNG can declare 30000×30000 pixels. The limits are the
 * protocol's (docs/protocol.md, photo upload): the hub refuses larger photos and the kiosk checks
 * again before it decodes anything it has on disk. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Largest photo the hub accepts: each side and the pixel count (40 MP is 160 MB decoded). */
#define VP_IMAGE_MAX_SIDE 12000u
#define VP_IMAGE_MAX_PIXELS 40000000u

/* TRUE with the size when the first `len` bytes of a PNG, JPEG or WebP say it. */
gboolean vp_image_size(const guint8 *d, gsize len, guint *width, guint *height);

/* Within both limits (and not empty)? */
gboolean vp_image_size_allowed(guint width, guint height);

G_END_DECLS
