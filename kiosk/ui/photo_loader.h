/* The photo frame's photos, decoded off the UI thread and held at screen size.
 *
 * The photo frame (and the still view of a page) say which photos they want: the slide on the
 * screen, the slide due, the next one. A worker thread decodes each wanted photo (image_guard.h:
 * header first, scaled decode; a broken or over-large file is refused and logged once), turns it
 * upright by its EXIF orientation and scales it to fit the screen; the UI thread makes the
 * texture. Only wanted photos are held: one no longer wanted is dropped at once, so a book of
 * 500 photos costs what two slides cost.
 *
 * Threading:
 *  - Every vk_photo_loader_* function is called on the UI thread only: the thread that owns the
 *    SDL renderer and runs the default GMainContext. Textures are made and destroyed there.
 *  - One worker thread per loader decodes, one photo at a time, in the order wanted. A job is a
 *    copied path and size; the worker touches nothing else (never the renderer, the UI, the app)
 *    and skips a job that a later vk_photo_loader_want made stale.
 *  - A finished decode (a surface, or NULL when refused) goes back through a queue; a GSource
 *    on the default main context takes it on the UI thread, and `ready` is called there.
 *  - vk_photo_loader_free (UI thread) stops the worker after the decode under way, joins it and
 *    drops what it had finished; no callback comes after it returns. */
#pragma once

#include <SDL.h>
#include <glib.h>

G_BEGIN_DECLS

typedef struct VkPhotoLoader VkPhotoLoader;
typedef void (*VkPhotoReadyFn)(gpointer data);

/* Photos are held scaled to fit max_w×max_h (never up). */
VkPhotoLoader *vk_photo_loader_new(SDL_Renderer *renderer, int max_w, int max_h);
/* Called on the UI thread when a wanted photo is ready or was refused. */
void vk_photo_loader_on_ready(VkPhotoLoader *l, VkPhotoReadyFn ready, gpointer data);
/* The photos wanted now, most urgent first (NULL entries are skipped). Others are dropped. */
void vk_photo_loader_want(VkPhotoLoader *l, const char *const *paths, guint n);
/* The photo at screen size, or NULL while it is being decoded (or was refused). transfer none */
SDL_Texture *vk_photo_loader_texture(VkPhotoLoader *l, const char *path, int *w, int *h);
/* Photos held now (tests and bench: only the wanted ones). */
guint vk_photo_loader_held(VkPhotoLoader *l);
/* Wait (UI thread, blocking) until every wanted photo is held or refused: the --screenshot and
 * --describe tour only, never the live frame. */
void vk_photo_loader_settle(VkPhotoLoader *l);
void vk_photo_loader_free(VkPhotoLoader *l);

G_END_DECLS
