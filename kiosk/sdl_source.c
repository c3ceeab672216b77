#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/sdl_source.h"

#include <SDL_syswm.h>
#include <dlfcn.h>
#include <string.h>

typedef struct {
  GSource src;
  GPollFD pfd;
  gboolean has_fd;
  gboolean dummy;
  VkSdlEventFunc fn;
  gpointer data;
} SdlSource;

static gboolean
pending(void)
{
  SDL_PumpEvents();
  return SDL_PeepEvents(NULL, 0, SDL_PEEKEVENT, SDL_FIRSTEVENT, SDL_LASTEVENT) > 0;
}

static gboolean
prepare(GSource *g, gint *timeout)
{
  SdlSource *s = (SdlSource *)g;
  if (pending()) {
    *timeout = 0;
    return TRUE;
  }
  *timeout = s->has_fd || s->dummy ? -1 : 10;
  return FALSE;
}

static gboolean
check(GSource *g)
{
  SdlSource *s = (SdlSource *)g;
  if (s->has_fd && !(s->pfd.revents & G_IO_IN))
    return SDL_PeepEvents(NULL, 0, SDL_PEEKEVENT, SDL_FIRSTEVENT, SDL_LASTEVENT) > 0;
  return pending();
}

static gboolean
dispatch(GSource *g, GSourceFunc cb, gpointer user)
{
  SdlSource *s = (SdlSource *)g;
  SDL_Event ev;
  while (SDL_PollEvent(&ev))
    s->fn(&ev, s->data);
  return G_SOURCE_CONTINUE;
}

static GSourceFuncs funcs = {prepare, check, dispatch, NULL, NULL, NULL};

/* The display connection's fd, found through the library SDL already loaded. */
static int
window_fd(SDL_Window *w)
{
  SDL_SysWMinfo info;
  SDL_VERSION(&info.version);
  if (!SDL_GetWindowWMInfo(w, &info))
    return -1;
  const char *lib = NULL, *sym = NULL;
  void *display = NULL;
  switch (info.subsystem) {
#if defined(SDL_VIDEO_DRIVER_X11)
  case SDL_SYSWM_X11:
    lib = "libX11.so.6";
    sym = "XConnectionNumber";
    display = info.info.x11.display;
    break;
#endif
#if defined(SDL_VIDEO_DRIVER_WAYLAND)
  case SDL_SYSWM_WAYLAND:
    lib = "libwayland-client.so.0";
    sym = "wl_display_get_fd";
    display = info.info.wl.display;
    break;
#endif
  default:
    return -1;
  }
  void *h = dlopen(lib, RTLD_NOW | RTLD_NOLOAD);
  if (!h)
    return -1;
  int (*get_fd)(void *) = (int (*)(void *))dlsym(h, sym);
  int fd = get_fd ? get_fd(display) : -1;
  dlclose(h);
  return fd;
}

GSource *
vk_sdl_source_new(SDL_Window *window, VkSdlEventFunc fn, gpointer data)
{
  SdlSource *s = (SdlSource *)g_source_new(&funcs, sizeof(SdlSource));
  s->fn = fn;
  s->data = data;
  const char *drv = SDL_GetCurrentVideoDriver();
  s->dummy = drv && (strcmp(drv, "dummy") == 0 || strcmp(drv, "offscreen") == 0);
  int fd = s->dummy ? -1 : window_fd(window);
  if (fd >= 0) {
    s->pfd.fd = fd;
    s->pfd.events = G_IO_IN | G_IO_ERR | G_IO_HUP;
    s->has_fd = TRUE;
    g_source_add_poll(&s->src, &s->pfd);
  }
  g_source_set_name(&s->src, "sdl-events");
  return &s->src;
}

const char *
vk_sdl_source_mode(GSource *g)
{
  SdlSource *s = (SdlSource *)g;
  return s->has_fd ? "fd" : s->dummy ? "none" : "pump";
}
