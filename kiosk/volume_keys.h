/* The resident's volume outside a call: the loudspeaker's own keys (or a keyboard's volume keys)
 * turn the one volume up or down on every screen. A touch screen has no room for a control the
 * resident could knock by accident, so the hardware key is the way; the helpers' settings and the
 * in-call Quieter / Louder change the same volume. Each press shows the new volume large for a
 * few seconds and, outside a call, rings once at that volume so she hears what she chose. */
#pragma once

#include <SDL.h>

#include "kiosk/app.h"

/* How long the volume stays on screen after a press. */
#define VK_VOLUME_SHOWN_S 3

/* A key pressed: TRUE if it was a volume key (then the volume changed and is shown). */
gboolean vk_volume_key(VkApp *app, SDL_Keycode key);
/* Adds the "Volume: 7 of 10" panel to `root` while it should be seen. */
void vk_volume_overlay(VkApp *app, VkWidget *root);
