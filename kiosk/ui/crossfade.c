/* The old screen fading out over the new one (crossfade.h). */
#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/ui/crossfade.h"

#include "kiosk/ui/render.h"

/* The screen `root` draws, in a texture of the screen's size; NULL when the renderer cannot. */
static SDL_Texture *
drawn(VkUi *ui, VkWidget *root)
{
  SDL_Renderer *r = ui->renderer;
  SDL_Texture *t = SDL_CreateTexture(r, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_TARGET,
                                     ui->layout.width, ui->layout.height);
  if (!t || SDL_SetRenderTarget(r, t) != 0) {
    if (t)
      SDL_DestroyTexture(t);
    return NULL;
  }
  SDL_SetRenderDrawColor(r, 0, 0, 0, 255);
  SDL_RenderClear(r);
  vk_render(ui, root, NULL);
  SDL_SetRenderTarget(r, NULL);
  return t;
}

gboolean
vk_crossfade_begin(VkCrossfade *f, VkUi *ui, VkWidget *old_root, gint64 now_us)
{
  vk_crossfade_stop(f);
  SDL_Texture *t = drawn(ui, old_root);
  if (!t)
    return FALSE;
  SDL_SetTextureBlendMode(t, SDL_BLENDMODE_BLEND);
  f->from = t;
  f->start_us = now_us;
  f->ms = VK_CROSSFADE_MS;
  return TRUE;
}

void
vk_crossfade_changed(VkCrossfade *f)
{
  if (f->to)
    SDL_DestroyTexture(f->to);
  f->to = NULL;
}

gboolean
vk_crossfade_draw(VkCrossfade *f, VkUi *ui, VkWidget *new_root, gint64 now_us)
{
  if (!f->from)
    return FALSE;
  double t = (double)(now_us - f->start_us) / (f->ms * 1000.0);
  if (t >= 1.0) {
    vk_crossfade_stop(f);
    return FALSE;
  }
  t = CLAMP(t, 0.0, 1.0);
  double eased = t * t * (3.0 - 2.0 * t); /* smoothstep: no jolt at either end */
  if (!f->to && !(f->to = drawn(ui, new_root))) {
    vk_crossfade_stop(f);
    return FALSE;
  }
  SDL_SetTextureBlendMode(f->to, SDL_BLENDMODE_NONE);
  SDL_RenderCopy(ui->renderer, f->to, NULL, NULL);
  SDL_SetTextureAlphaMod(f->from, (Uint8)(255.0 * (1.0 - eased) + 0.5));
  SDL_RenderCopy(ui->renderer, f->from, NULL, NULL);
  return TRUE;
}

gboolean
vk_crossfade_running(const VkCrossfade *f)
{
  return f->from != NULL;
}

void
vk_crossfade_stop(VkCrossfade *f)
{
  if (f->from)
    SDL_DestroyTexture(f->from);
  f->from = NULL;
  vk_crossfade_changed(f);
}
