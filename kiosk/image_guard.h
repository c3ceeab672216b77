/* The one door photos pass to be decoded. A photo on the kiosk's disk has been checked by the hub,
 * but files older than that check, or put there another way, must not take the kiosk down: an
 * 875 KB PNG of 30000×30000 pixels needed 4.3 GB to decode and was tried again on every redraw.
 *
 * The size in pixels is read from the header first (protocol/image_size.h, the hub's limits);
 * over them, unreadable, or failing to decode, the file is remembered and never tried again in
 * this run. JPEGs are decoded scaled down (libjpeg's 1/2, 1/4, 1/8) to the nearest size not
 * smaller than VK_IMAGE_DECODE_SIDE on their longer side; PNGs larger than that are read row by
 * row into a box filter to exactly that side (png_scaled.h), so neither is ever whole in memory;
 * WebPs larger than that are scaled by libwebp while decoded (webp_scaled.h, lossy ones only in
 * bounded memory). */
#pragma once

#include <SDL.h>
#include <glib.h>

G_BEGIN_DECLS

/* Longest side worth decoding for a screen of up to 1920 pixels (the photo frame letterboxes). */
#define VK_IMAGE_DECODE_SIDE 2048u

/* The decoded photo (any SDL pixel format), or NULL (refused now or before). Any thread: the
 * photo frame's worker decodes while the UI thread asks vk_image_guard_refused. */
SDL_Surface *vk_image_guard_load(const char *path);
/* The same, decoded for a longer side of max_side (64..VK_IMAGE_DECODE_SIDE): a 12 MP JPEG for
 * a 1280-pixel screen is decoded at 1/2, not whole. */
SDL_Surface *vk_image_guard_load_fit(const char *path, guint max_side);
/* Was this file refused or did it fail to decode (and so will not be tried again)? */
gboolean vk_image_guard_refused(const char *path);
/* Files refused so far, and decodes attempted so far (tests: a refused file is not retried). */
guint vk_image_guard_refusals(void);
guint vk_image_guard_attempts(void);

G_END_DECLS
