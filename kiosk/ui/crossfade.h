/* A soft crossfade from one screen to the next (the photo frame's slides). Each screen is drawn
 * once into a texture of the screen's size; a frame of the fade is then one copy of the new and
 * one blended copy of the old over it, whatever the screens hold (a software renderer keeps a
 * frame well under 16 ms). Main (UI) thread only, as all drawing. */
#pragma once

#include "kiosk/ui/widget.h"

G_BEGIN_DECLS

#define VK_CROSSFADE_MS 1200 /* slow enough to be calm, short against the pace of the photos */

typedef struct {
  SDL_Texture *from; /* the old screen, or NULL: no fade under way */
  SDL_Texture *to;   /* the new screen, drawn at the fade's first frame */
  gint64 start_us;
  int ms;
} VkCrossfade;

/* Starts a fade from old_root (drawn now into a texture of the screen's size). FALSE when the
 * renderer cannot draw into a texture: the new screen then simply shows. */
gboolean vk_crossfade_begin(VkCrossfade *f, VkUi *ui, VkWidget *old_root, gint64 now_us);
/* A frame of the fade: new_root under the old screen at the opacity left. TRUE when it drew the
 * whole screen (the fade goes on: draw again in a frame's time); FALSE when no fade is under
 * way or it is over (all freed): the caller draws new_root itself. */
gboolean vk_crossfade_draw(VkCrossfade *f, VkUi *ui, VkWidget *new_root, gint64 now_us);
/* The new screen was built again during the fade: it is drawn again at the next frame. */
void vk_crossfade_changed(VkCrossfade *f);
gboolean vk_crossfade_running(const VkCrossfade *f);
void vk_crossfade_stop(VkCrossfade *f);

G_END_DECLS
