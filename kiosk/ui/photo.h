/* Loading a photo the right way up: phones store the camera's orientation in EXIF instead of
 * turning the pixels, and SDL_image ignores it. */
#pragma once

#include <SDL.h>

/* The photo as a 32-bit surface, turned per its EXIF orientation. NULL if it cannot be read.
 * transfer full (SDL_FreeSurface) */
SDL_Surface *vk_photo_load(const char *path);
/* The same, decoded for a screen whose longer side is max_side (any thread: see
 * image_guard.h). */
SDL_Surface *vk_photo_load_fit(const char *path, unsigned max_side);
/* The EXIF orientation 1..8 of a JPEG, 1 when absent. */
int vk_photo_orientation(const char *path);
