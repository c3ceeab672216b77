/* Draws a widget tree with the SDL renderer (main thread only). */
#pragma once

#include "kiosk/ui/widget.h"

G_BEGIN_DECLS

/* Draws root and its children; focus (may be NULL) gets a thick ring for keyboard and
 * one-button use. Does not present. */
void vk_render(VkUi *ui, VkWidget *root, VkWidget *focus);
/* Loads the image at path into the texture cache now (the photo frame checks its next photo
 * before its turn); FALSE when it cannot be shown (refused or undecodable, logged once). */
gboolean vk_render_image_ready(VkUi *ui, const char *path);
/* Copies the current render target into a PNG file. */
gboolean vk_render_save_png(SDL_Renderer *r, int w, int h, const char *path, GError **error);

G_END_DECLS
