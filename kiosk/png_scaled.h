/* PNGs decoded straight into a smaller picture (image_guard.c calls it for PNGs larger than the
 * screen needs). libpng hands over one row at a time; each row is added into a box filter of the
 * output's size, so a 6000×6000 PNG needs a row of 24 KB and the 2048×2048 result, not the 144 MB
 * a full decode takes. Interlaced PNGs are read through all their passes and only the last one
 * (every odd row, whole) is kept, so their memory is bounded the same way. */
#pragma once

#include <SDL.h>
#include <glib.h>

G_BEGIN_DECLS

/* The PNG at path with its longer side scaled to max_side (never up), as RGBA32, or NULL when
 * it cannot be read or decoded. */
SDL_Surface *vk_png_load_scaled(const char *path, guint max_side);
/* Does the file start with the PNG signature? */
gboolean vk_png_is_png(const char *path);

G_END_DECLS
