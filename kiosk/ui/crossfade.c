/* The photo frame's screen through a texture, and the fade between slides (crossfade.h). */
#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/ui/crossfade.h"

#include "kiosk/ui/render.h"

/* No alpha channel: a copy with a constant alpha is then a plain blend, five times faster in
 * the software renderer than one that also reads each pixel's own alpha. */
#define SCREEN_FORMAT SDL_PIXELFORMAT_RGB888

/* *t, of the screen's size (made, or made again after a change of size); FALSE if it cannot be. */
static gboolean
screen_texture(VkUi *ui, SDL_Texture **t)
{
  int w = 0, h = 0;
  if (*t && SDL_QueryTexture(*t, NULL, NULL, &w, &h) == 0 && w == ui->layout.width &&
      h == ui->layout.height)
    return TRUE;
  if (*t)
    SDL_DestroyTexture(*t);
  *t = SDL_CreateTexture(ui->renderer, SCREEN_FORMAT, SDL_TEXTUREACCESS_TARGET, ui->layout.width,
                         ui->layout.height);
  return *t != NULL;
}

/* Draws the screen `root` into *t. */
static gboolean
draw_into(VkUi *ui, VkWidget *root, SDL_Texture **t)
{
  SDL_Renderer *r = ui->renderer;
  if (!screen_texture(ui, t) || SDL_SetRenderTarget(r, *t) != 0)
    return FALSE;
  SDL_SetRenderDrawColor(r, 0, 0, 0, 255);
  SDL_RenderClear(r);
  vk_render(ui, root, NULL);
  SDL_SetRenderTarget(r, NULL);
  return TRUE;
}

gboolean
vk_crossfade_begin(VkCrossfade *f, VkUi *ui, VkWidget *old_root)
{
  if (f->to_drawn) { /* the old screen is the one drawn last: it leaves as it is */
    SDL_Texture *old = f->to;
    f->to = f->from;
    f->from = old;
  } else if (!draw_into(ui, old_root, &f->from)) {
    vk_crossfade_stop(f);
    return FALSE;
  }
  f->to_drawn = FALSE;
  SDL_SetTextureBlendMode(f->from, SDL_BLENDMODE_BLEND);
  f->running = TRUE;
  f->start_us = 0; /* the new screen is not drawn yet */
  f->ms = VK_CROSSFADE_MS;
  return TRUE;
}

void
vk_crossfade_changed(VkCrossfade *f)
{
  f->to_drawn = FALSE;
}

gboolean
vk_crossfade_draw(VkCrossfade *f, VkUi *ui, VkWidget *new_root, gint64 now_us)
{
  if (!f->to_drawn && !(f->to_drawn = draw_into(ui, new_root, &f->to))) {
    vk_crossfade_stop(f);
    return FALSE;
  }
  if (f->running && !f->start_us) { /* the preparing frame: the old screen, still whole */
    SDL_SetTextureBlendMode(f->from, SDL_BLENDMODE_NONE);
    SDL_RenderCopy(ui->renderer, f->from, NULL, NULL);
    SDL_SetTextureBlendMode(f->from, SDL_BLENDMODE_BLEND);
    f->start_us = g_get_monotonic_time(); /* after the drawing: the fade loses no step */
    return TRUE;
  }
  SDL_SetTextureBlendMode(f->to, SDL_BLENDMODE_NONE);
  SDL_RenderCopy(ui->renderer, f->to, NULL, NULL);
  double t = f->running ? (double)(now_us - f->start_us) / (f->ms * 1000.0) : 1.0;
  if (t >= 1.0) {
    f->running = FALSE;
    return TRUE;
  }
  t = CLAMP(t, 0.0, 1.0);
  double eased = t * t * (3.0 - 2.0 * t); /* smoothstep: no jolt at either end */
  SDL_SetTextureAlphaMod(f->from, (Uint8)(255.0 * (1.0 - eased) + 0.5));
  SDL_RenderCopy(ui->renderer, f->from, NULL, NULL);
  return TRUE;
}

gboolean
vk_crossfade_running(const VkCrossfade *f)
{
  return f->running;
}

gboolean
vk_crossfade_moving(const VkCrossfade *f)
{
  return f->running && f->start_us;
}

void
vk_crossfade_stop(VkCrossfade *f)
{
  if (f->from)
    SDL_DestroyTexture(f->from);
  if (f->to)
    SDL_DestroyTexture(f->to);
  *f = (VkCrossfade){0};
}
