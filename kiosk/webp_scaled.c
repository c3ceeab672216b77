/* WebPs decoded scaled by libwebp (webp_scaled.h). */
#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/webp_scaled.h"

#include <stdio.h>
#include <string.h>
#include <webp/decode.h>

SDL_Surface *
vk_webp_load_scaled(const char *path, guint max_side)
{
  g_autofree guint8 *data = NULL;
  gsize len = 0;
  if (!g_file_get_contents(path, (char **)&data, &len, NULL))
    return NULL;
  WebPDecoderConfig config;
  if (!WebPInitDecoderConfig(&config) || WebPGetFeatures(data, len, &config.input) != VP8_STATUS_OK)
    return NULL;
  guint w = (guint)config.input.width, h = (guint)config.input.height, side = MAX(w, h);
  guint out_w = w, out_h = h;
  if (side > max_side) {
    out_w = MAX(1u, (guint)(((guint64)w * max_side + side / 2) / side));
    out_h = MAX(1u, (guint)(((guint64)h * max_side + side / 2) / side));
    config.options.use_scaling = 1;
    config.options.scaled_width = (int)out_w;
    config.options.scaled_height = (int)out_h;
  }
  SDL_Surface *out =
      SDL_CreateRGBSurfaceWithFormat(0, (int)out_w, (int)out_h, 32, SDL_PIXELFORMAT_RGBA32);
  if (!out)
    return NULL;
  config.output.colorspace = MODE_RGBA;
  config.output.is_external_memory = 1;
  config.output.u.RGBA.rgba = out->pixels;
  config.output.u.RGBA.stride = out->pitch;
  config.output.u.RGBA.size = (size_t)out->pitch * out->h;
  VP8StatusCode status = WebPDecode(data, len, &config);
  WebPFreeDecBuffer(&config.output);
  if (status != VP8_STATUS_OK) {
    SDL_FreeSurface(out);
    return NULL;
  }
  return out;
}

gboolean
vk_webp_is_webp(const char *path)
{
  char head[12] = {0};
  FILE *f = fopen(path, "rb");
  if (!f)
    return FALSE;
  size_t n = fread(head, 1, sizeof head, f);
  fclose(f);
  return n == sizeof head && memcmp(head, "RIFF", 4) == 0 && memcmp(head + 8, "WEBP", 4) == 0;
}
