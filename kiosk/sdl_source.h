/* SDL events on the GLib main loop without busy-waiting: the window system's connection fd is
 * polled when SDL exposes one (X11, Wayland); with the dummy driver events only come from
 * SDL_PushEvent on this thread, so nothing needs polling; other drivers are pumped every
 * 10 ms. */
#pragma once

#include <SDL.h>
#include <glib.h>

G_BEGIN_DECLS

typedef void (*VkSdlEventFunc)(const SDL_Event *ev, gpointer data);

/* transfer full; attach with g_source_attach */
GSource *vk_sdl_source_new(SDL_Window *window, VkSdlEventFunc fn, gpointer data);
/* "fd", "none" (dummy driver: nothing to wait for) or "pump" */
const char *vk_sdl_source_mode(GSource *src);

G_END_DECLS
