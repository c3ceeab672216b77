/* WebPs decoded straight into a smaller picture by libwebp's own scaling (image_guard.c calls it
 * for WebPs larger than the screen needs). A lossy WebP is then decoded a few rows at a time into
 * the small picture; a lossless one still needs its whole size in libwebp (4 bytes a pixel), a
 * limit of libwebp that the hub's 40 MP bound keeps finite. */
#pragma once

#include <SDL.h>
#include <glib.h>

G_BEGIN_DECLS

/* The WebP at path with its longer side scaled to max_side (never up), as RGBA32, or NULL when
 * it cannot be read or decoded. */
SDL_Surface *vk_webp_load_scaled(const char *path, guint max_side);
/* Does the file start like a WebP (RIFF....WEBP)? */
gboolean vk_webp_is_webp(const char *path);

G_END_DECLS
