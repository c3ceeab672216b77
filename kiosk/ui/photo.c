#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/ui/photo.h"

#include "kiosk/image_guard.h"

#include <SDL_image.h>
#include <glib.h>
#include <libexif/exif-data.h>

int
vk_photo_orientation(const char *path)
{
  ExifData *ed = exif_data_new_from_file(path);
  if (!ed)
    return 1;
  int o = 1;
  ExifEntry *e = exif_data_get_entry(ed, EXIF_TAG_ORIENTATION);
  if (e && e->format == EXIF_FORMAT_SHORT && e->components >= 1)
    o = exif_get_short(e->data, exif_data_get_byte_order(ed));
  exif_data_unref(ed);
  return o >= 1 && o <= 8 ? o : 1;
}

/* dst(x, y) from src for the 8 EXIF orientations (1 = as stored). */
static SDL_Surface *
reorient(SDL_Surface *src, int o)
{
  gboolean swap = o >= 5;
  int w = swap ? src->h : src->w, h = swap ? src->w : src->h;
  SDL_Surface *dst = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, src->format->format);
  if (!dst)
    return NULL;
  for (int y = 0; y < h; y++) {
    Uint32 *row = (Uint32 *)((Uint8 *)dst->pixels + y * dst->pitch);
    for (int x = 0; x < w; x++) {
      int sx, sy;
      switch (o) {
      case 2:
        sx = src->w - 1 - x;
        sy = y;
        break;
      case 3:
        sx = src->w - 1 - x;
        sy = src->h - 1 - y;
        break;
      case 4:
        sx = x;
        sy = src->h - 1 - y;
        break;
      case 5:
        sx = y;
        sy = x;
        break;
      case 6:
        sx = y;
        sy = src->h - 1 - x;
        break;
      case 7:
        sx = src->w - 1 - y;
        sy = src->h - 1 - x;
        break;
      case 8:
        sx = src->w - 1 - y;
        sy = x;
        break;
      default:
        sx = x;
        sy = y;
        break;
      }
      row[x] = ((Uint32 *)((Uint8 *)src->pixels + sy * src->pitch))[sx];
    }
  }
  return dst;
}

SDL_Surface *
vk_photo_load(const char *path)
{
  return vk_photo_load_fit(path, VK_IMAGE_DECODE_SIDE);
}

SDL_Surface *
vk_photo_load_fit(const char *path, unsigned max_side)
{
  SDL_Surface *raw = vk_image_guard_load_fit(path, max_side); /* checked first; not retried */
  if (!raw)
    return NULL;
  SDL_Surface *s = SDL_ConvertSurfaceFormat(raw, SDL_PIXELFORMAT_ARGB8888, 0);
  SDL_FreeSurface(raw);
  if (!s)
    return NULL;
  int o = vk_photo_orientation(path);
  if (o == 1)
    return s;
  SDL_Surface *turned = reorient(s, o);
  SDL_FreeSurface(s);
  return turned;
}
