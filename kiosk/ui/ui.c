#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/ui/widget.h"

#include "kiosk/ui/photo_loader.h"

#include <SDL_ttf.h>

VkUi *
vk_ui_new(SDL_Renderer *r, VkTheme *theme, VkLayout layout)
{
  VkUi *ui = g_new0(VkUi, 1);
  ui->renderer = r;
  ui->theme = theme;
  ui->layout = layout;
  ui->fonts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)TTF_CloseFont);
  ui->images =
      g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)SDL_DestroyTexture);
  if (r) /* held at the screen's size: the frame letterboxes, never crops */
    ui->photos = vk_photo_loader_new(r, layout.width, layout.height);
  return ui;
}

void
vk_ui_flush_textures(VkUi *ui)
{
  g_hash_table_remove_all(ui->images);
}

void
vk_ui_free(VkUi *ui)
{
  if (!ui)
    return;
  vk_photo_loader_free(ui->photos);
  g_hash_table_unref(ui->fonts);
  g_hash_table_unref(ui->images);
  for (int i = 0; i < 2; i++)
    if (ui->video_tex[i])
      SDL_DestroyTexture(ui->video_tex[i]);
  g_free(ui);
}

int
vk_ui_mm(VkUi *ui, double mm)
{
  return vk_mm_to_px(&ui->layout, mm);
}

int
vk_ui_font_px(VkUi *ui, VkTextKind kind)
{
  switch (kind) {
  case VK_TEXT_BODY:
    return vk_font_px(&ui->layout, ui->theme->body_mm, VK_MIN_BODY_PX);
  case VK_TEXT_NAME:
    return vk_font_px(&ui->layout, ui->theme->name_mm, VK_MIN_NAME_PX);
  case VK_TEXT_TITLE:
    return vk_font_px(&ui->layout, ui->theme->title_mm, VK_MIN_NAME_PX);
  case VK_TEXT_CLOCK:
    return vk_font_px(&ui->layout, ui->theme->clock_mm, VK_MIN_NAME_PX);
  }
  return VK_MIN_BODY_PX;
}

TTF_Font *vk_ui_font(VkUi *ui, int px, gboolean bold);

TTF_Font *
vk_ui_font(VkUi *ui, int px, gboolean bold)
{
  const char *path = bold ? ui->theme->font_bold : ui->theme->font;
  g_autofree char *key = g_strdup_printf("%s:%d", path, px);
  TTF_Font *f = g_hash_table_lookup(ui->fonts, key);
  if (f)
    return f;
  f = TTF_OpenFont(path, px);
  if (!f) {
    g_warning("cannot open font %s: %s", path, TTF_GetError());
    return NULL;
  }
  TTF_SetFontHinting(f, TTF_HINTING_LIGHT);
  g_hash_table_insert(ui->fonts, g_steal_pointer(&key), f);
  return f;
}

gboolean
vk_text_measure(VkUi *ui, const char *text, int px, gboolean bold, int wrap_w, int *w, int *h)
{
  *w = *h = 0;
  TTF_Font *f = vk_ui_font(ui, px, bold);
  if (!f)
    return FALSE;
  if (!text || !*text)
    return TRUE;
  if (wrap_w <= 0)
    return TTF_SizeUTF8(f, text, w, h) == 0;
  SDL_Color white = {255, 255, 255, 255};
  SDL_Surface *s = TTF_RenderUTF8_Blended_Wrapped(f, text, white, (Uint32)wrap_w);
  if (!s)
    return FALSE;
  /* the wrapped surface is as wide as the wrap width; measure the longest line instead */
  int longest = 0, lw, lh;
  *h = s->h;
  SDL_FreeSurface(s);
  /* a single word longer than the wrap width overflows: find it */
  g_auto(GStrv) words = g_strsplit_set(text, " \n", -1);
  for (int i = 0; words[i]; i++)
    if (TTF_SizeUTF8(f, words[i], &lw, &lh) == 0 && lw > longest)
      longest = lw;
  *w = longest;
  return TRUE;
}

gboolean
vk_text_fits(VkUi *ui, VkWidget *w)
{
  if (!w->text || !*w->text || w->font_px <= 0)
    return TRUE;
  int tw, th;
  if (!vk_text_measure(ui, w->text, w->font_px, w->bold, w->wrap ? w->rect.w : 0, &tw, &th))
    return FALSE;
  return tw <= w->rect.w && th <= w->rect.h;
}

void
vk_text_ellipsize(VkUi *ui, VkWidget *w)
{
  int tw, th;
  if (!w->text || w->wrap || !vk_text_measure(ui, w->text, w->font_px, w->bold, 0, &tw, &th) ||
      tw <= w->rect.w)
    return;
  glong n = g_utf8_strlen(w->text, -1);
  while (n > 1) {
    n--;
    g_autofree char *head = g_utf8_substring(w->text, 0, n);
    g_autofree char *cand = g_strconcat(g_strchomp(head), "…", NULL);
    if (vk_text_measure(ui, cand, w->font_px, w->bold, 0, &tw, &th) && tw <= w->rect.w) {
      vk_widget_set_text(w, cand);
      w->cut = TRUE;
      return;
    }
  }
}
