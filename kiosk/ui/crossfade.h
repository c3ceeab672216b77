/* The photo frame's screen drawn through a texture, and the soft crossfade from one slide to the
 * next. The screen is drawn once into a texture of the screen's size and copied to the display
 * at each redraw until it changes; when a new slide comes, that texture becomes the old screen
 * (nothing is drawn twice) and a frame of the fade is one copy of the new screen and one blended
 * copy of the old over it. The new screen is drawn into its texture in a frame of its own that
 * still shows the old screen, and the fade's clock starts after it: the costly frame (the new
 * photo scaled, the caption laid out) falls while nothing moves, and every frame of the fade
 * itself is two copies. The textures have no alpha channel and stay while the photo frame does:
 * the blend is the renderer's fast constant-alpha copy and no fade allocates. Main (UI) thread
 * only, as all drawing. */
#pragma once

#include "kiosk/ui/widget.h"

G_BEGIN_DECLS

#define VK_CROSSFADE_MS 1200 /* slow enough to be calm, short against the pace of the photos */

typedef struct {
  SDL_Texture *from; /* the old screen while a fade runs; kept for the next one */
  SDL_Texture *to;   /* the screen as drawn last */
  gboolean to_drawn; /* `to` shows the current tree (vk_crossfade_changed clears it) */
  gboolean running;  /* a fade is under way */
  gint64 start_us;   /* when its first moving frame was drawn; 0 until the new screen is ready */
  int ms;
} VkCrossfade;

/* Starts a fade from old_root: the screen drawn last when it still shows old_root, else
 * old_root drawn now. FALSE when the renderer cannot draw into a texture: no fade, the new
 * screen simply shows. */
gboolean vk_crossfade_begin(VkCrossfade *f, VkUi *ui, VkWidget *old_root);
/* Draws the whole screen: new_root (through its texture, drawn again only after a change), and
 * while a fade runs the old screen over it at the opacity left. A fade's first call draws
 * new_root into its texture and shows the old screen whole; its clock starts at the next call.
 * FALSE when the renderer cannot draw into a texture: the caller draws new_root itself. */
gboolean vk_crossfade_draw(VkCrossfade *f, VkUi *ui, VkWidget *new_root, gint64 now_us);
/* The new screen was built again: it is drawn again at the next frame. */
void vk_crossfade_changed(VkCrossfade *f);
gboolean vk_crossfade_running(const VkCrossfade *f);
/* A fade under way whose new screen is drawn: its frames move. */
gboolean vk_crossfade_moving(const VkCrossfade *f);
/* Leaves the photo frame: the textures are freed. */
void vk_crossfade_stop(VkCrossfade *f);

G_END_DECLS
