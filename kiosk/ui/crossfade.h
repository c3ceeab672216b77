/* A soft crossfade from one screen to the next (the photo frame's slides): the old screen is
 * drawn once into a texture and laid over the new one, fading out. Main (UI) thread only, as
 * all drawing. */
#pragma once

#include "kiosk/ui/widget.h"

G_BEGIN_DECLS

#define VK_CROSSFADE_MS 1200 /* slow enough to be calm, short against the pace of the photos */

typedef struct {
  SDL_Texture *from; /* the old screen, or NULL: no fade under way */
  gint64 start_us;
  int ms;
} VkCrossfade;

/* Starts a fade from old_root (drawn now into a texture of the screen's size). FALSE when the
 * renderer cannot draw into a texture: the new screen then simply shows. */
gboolean vk_crossfade_begin(VkCrossfade *f, VkUi *ui, VkWidget *old_root, gint64 now_us);
/* Over the new screen just drawn: the old one at the opacity left. TRUE while the fade goes on
 * (draw again in a frame's time); FALSE when it is over (and everything is freed). */
gboolean vk_crossfade_draw(VkCrossfade *f, VkUi *ui, gint64 now_us);
gboolean vk_crossfade_running(const VkCrossfade *f);
void vk_crossfade_stop(VkCrossfade *f);

G_END_DECLS
