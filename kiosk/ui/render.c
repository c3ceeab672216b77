#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/ui/render.h"

#include <SDL_image.h>
#include <SDL_ttf.h>
#include <qrencode.h>

#include "kiosk/ui/photo.h"
#include "kiosk/ui/photo_loader.h"

TTF_Font *vk_ui_font(VkUi *ui, int px, gboolean bold);

static void
set_color(SDL_Renderer *r, VkColor c)
{
  SDL_SetRenderDrawColor(r, c.r, c.g, c.b, 255);
}

static void
fill_rounded(SDL_Renderer *r, SDL_Rect rc, int radius, VkColor c)
{
  set_color(r, c);
  radius = MIN(radius, MIN(rc.w, rc.h) / 2);
  if (radius <= 0) {
    SDL_RenderFillRect(r, &rc);
    return;
  }
  SDL_Rect mid = {rc.x, rc.y + radius, rc.w, rc.h - 2 * radius};
  SDL_RenderFillRect(r, &mid);
  for (int dy = 0; dy < radius; dy++) {
    double yy = radius - dy - 0.5;
    int inset = radius - (int)(SDL_sqrt((double)radius * radius - yy * yy) + 0.5);
    SDL_Rect top = {rc.x + inset, rc.y + dy, rc.w - 2 * inset, 1};
    SDL_Rect bottom = {rc.x + inset, rc.y + rc.h - 1 - dy, rc.w - 2 * inset, 1};
    SDL_RenderFillRect(r, &top);
    SDL_RenderFillRect(r, &bottom);
  }
}

static SDL_Texture *
image_texture(VkUi *ui, const char *path, int *w, int *h)
{
  SDL_Texture *tex = g_hash_table_lookup(ui->images, path);
  if (!tex) {
    SDL_Surface *s = vk_photo_load(path);
    if (!s) {
      g_debug("cannot load image: %s", IMG_GetError());
      return NULL;
    }
    tex = SDL_CreateTextureFromSurface(ui->renderer, s);
    SDL_FreeSurface(s);
    if (!tex)
      return NULL;
    g_hash_table_insert(ui->images, g_strdup(path), tex);
  }
  SDL_QueryTexture(tex, NULL, NULL, w, h);
  return tex;
}

gboolean
vk_render_image_ready(VkUi *ui, const char *path)
{
  int w, h;
  return path && image_texture(ui, path, &w, &h) != NULL;
}

/* Scale to cover rc, cropping the centre (faces are usually centred). */
static void
draw_cover(SDL_Renderer *r, SDL_Texture *tex, int tw, int th, SDL_Rect rc)
{
  double s = MAX((double)rc.w / tw, (double)rc.h / th);
  int sw = (int)(rc.w / s), sh = (int)(rc.h / s);
  SDL_Rect src = {(tw - sw) / 2, (th - sh) / 3, sw, sh}; /* a little above centre */
  SDL_RenderCopy(r, tex, &src, &rc);
}

static void
draw_contain(SDL_Renderer *r, SDL_Texture *tex, int tw, int th, SDL_Rect rc)
{
  double s = MIN((double)rc.w / tw, (double)rc.h / th);
  int dw = (int)(tw * s), dh = (int)(th * s);
  SDL_Rect dst = {rc.x + (rc.w - dw) / 2, rc.y + (rc.h - dh) / 2, dw, dh};
  SDL_RenderCopy(r, tex, NULL, &dst);
}

static void
draw_text_in(VkUi *ui, VkWidget *w, const char *text, int px, gboolean bold, VkColor fg,
             SDL_Rect rc, VkAlign align, gboolean wrap, SDL_Texture **cache, int *cw, int *ch)
{
  if (!text || !*text)
    return;
  if (!*cache) {
    TTF_Font *f = vk_ui_font(ui, px, bold);
    if (!f)
      return;
    SDL_Color c = {fg.r, fg.g, fg.b, 255};
    SDL_Surface *s;
    if (wrap) {
      TTF_SetFontWrappedAlign(f, align == VK_ALIGN_CENTER  ? TTF_WRAPPED_ALIGN_CENTER
                                 : align == VK_ALIGN_RIGHT ? TTF_WRAPPED_ALIGN_RIGHT
                                                           : TTF_WRAPPED_ALIGN_LEFT);
      s = TTF_RenderUTF8_Blended_Wrapped(f, text, c, (Uint32)MAX(rc.w, 1));
    } else {
      s = TTF_RenderUTF8_Blended(f, text, c);
    }
    if (!s)
      return;
    *cache = SDL_CreateTextureFromSurface(ui->renderer, s);
    *cw = s->w;
    *ch = s->h;
    SDL_FreeSurface(s);
    if (!*cache)
      return;
  }
  int x = rc.x;
  if (align == VK_ALIGN_CENTER)
    x = rc.x + (rc.w - *cw) / 2;
  else if (align == VK_ALIGN_RIGHT)
    x = rc.x + rc.w - *cw;
  SDL_Rect dst = {x, rc.y + (rc.h - *ch) / 2, *cw, *ch};
  SDL_RenderSetClipRect(ui->renderer, &rc);
  SDL_RenderCopy(ui->renderer, *cache, NULL, &dst);
  SDL_RenderSetClipRect(ui->renderer, NULL);
  (void)w;
}

static void
draw_image(VkUi *ui, VkWidget *w)
{
  int tw, th;
  SDL_Texture *tex = NULL;
  if (w->loaded_apart && ui->photos) /* never decoded here: a redraw must not wait for it */
    tex = vk_photo_loader_texture(ui->photos, w->image_path, &tw, &th);
  else if (w->image_path)
    tex = image_texture(ui, w->image_path, &tw, &th);
  if (tex && w->whole) { /* the whole photo, on a calm background */
    fill_rounded(ui->renderer, w->rect, w->radius, w->bg);
    draw_contain(ui->renderer, tex, tw, th, w->rect);
    return;
  }
  if (tex) {
    draw_cover(ui->renderer, tex, tw, th, w->rect);
    return;
  }
  /* No photo: a calm coloured square with the person's initial, never a broken image. */
  fill_rounded(ui->renderer, w->rect, w->radius, w->bg);
  if (w->initial) {
    /* a monogram in the lower left, clear of the "Available" pill in the top right */
    int px = MAX(MIN(w->rect.h * 3 / 5, w->rect.w * 3 / 5), 8);
    int pad = MAX(w->rect.h / 10, 4);
    SDL_Rect rc = {w->rect.x + pad * 2, w->rect.y + w->rect.h - px - pad, w->rect.w - 4 * pad, px};
    draw_text_in(ui, w, w->initial, px, TRUE, w->fg, rc,
                 w->rect.w > w->rect.h * 2 ? VK_ALIGN_LEFT : VK_ALIGN_CENTER, FALSE, &w->text_tex,
                 &w->text_w, &w->text_h);
  }
}

static void
draw_qr(VkUi *ui, VkWidget *w)
{
  fill_rounded(ui->renderer, w->rect, 0, w->bg);
  if (!w->arg)
    return;
  QRcode *qr = QRcode_encodeString(w->arg, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  if (!qr)
    return;
  int quiet = 4, n = qr->width + 2 * quiet;
  int module = MIN(w->rect.w, w->rect.h) / n;
  if (module < 1)
    module = 1;
  int ox = w->rect.x + (w->rect.w - module * n) / 2 + quiet * module;
  int oy = w->rect.y + (w->rect.h - module * n) / 2 + quiet * module;
  set_color(ui->renderer, w->fg);
  for (int y = 0; y < qr->width; y++)
    for (int x = 0; x < qr->width; x++)
      if (qr->data[y * qr->width + x] & 1) {
        SDL_Rect m = {ox + x * module, oy + y * module, module, module};
        SDL_RenderFillRect(ui->renderer, &m);
      }
  QRcode_free(qr);
}

static void
draw_video(VkUi *ui, VkWidget *w)
{
  fill_rounded(ui->renderer, w->rect, w->radius, w->bg);
  int slot = w->video_slot & 1;
  /* A text says why there is no picture (the camera is off): it wins over a stale frame. */
  if (w->text && w->font_px > 0)
    draw_text_in(ui, w, w->text, w->font_px, w->bold, w->fg, w->rect, w->align, w->wrap,
                 &w->text_tex, &w->text_w, &w->text_h);
  else if (ui->video_tex[slot] && w->role == VK_ROLE_SELF_VIEW) {
    /* A frame in the background colour sets our own picture apart from the peer's. */
    int b = MAX(vk_ui_mm(ui, 1), 2);
    SDL_Rect in = {w->rect.x + b, w->rect.y + b, w->rect.w - 2 * b, w->rect.h - 2 * b};
    draw_contain(ui->renderer, ui->video_tex[slot], ui->video_w[slot], ui->video_h[slot], in);
  } else if (ui->video_tex[slot])
    draw_contain(ui->renderer, ui->video_tex[slot], ui->video_w[slot], ui->video_h[slot], w->rect);
}

static void
draw_widget(VkUi *ui, VkWidget *w)
{
  switch (w->role) {
  case VK_ROLE_IMAGE:
    draw_image(ui, w);
    break;
  case VK_ROLE_QR:
    draw_qr(ui, w);
    break;
  case VK_ROLE_VIDEO:
  case VK_ROLE_SELF_VIEW:
    draw_video(ui, w);
    break;
  default:
    if (w->fill)
      fill_rounded(ui->renderer, w->rect, w->radius, w->bg);
    if (w->text && w->font_px > 0)
      draw_text_in(ui, w, w->text, w->font_px, w->bold, w->fg, w->rect, w->align, w->wrap,
                   &w->text_tex, &w->text_w, &w->text_h);
    break;
  }
  for (guint i = 0; i < w->children->len; i++)
    draw_widget(ui, w->children->pdata[i]);
}

void
vk_render(VkUi *ui, VkWidget *root, VkWidget *focus)
{
  draw_widget(ui, root);
  if (focus) {
    int t = MAX(vk_ui_mm(ui, 1.5), 4);
    set_color(ui->renderer, ui->theme->focus);
    SDL_Rect r = focus->rect;
    for (int i = 0; i < t; i++) {
      SDL_Rect ring = {r.x - i - 2, r.y - i - 2, r.w + 2 * (i + 2), r.h + 2 * (i + 2)};
      SDL_RenderDrawRect(ui->renderer, &ring);
    }
  }
}

gboolean
vk_render_save_png(SDL_Renderer *r, int w, int h, const char *path, GError **error)
{
  SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
  if (!s || SDL_RenderReadPixels(r, NULL, SDL_PIXELFORMAT_ARGB8888, s->pixels, s->pitch) != 0 ||
      IMG_SavePNG(s, path) != 0) {
    g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "cannot save %s: %s", path,
                SDL_GetError());
    if (s)
      SDL_FreeSurface(s);
    return FALSE;
  }
  SDL_FreeSurface(s);
  return TRUE;
}
