#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/ui/widget.h"

#include "kiosk/i18n.h"

/* A person: photo on top, name and relationship in a band below, and "Available" on the
 * photo's corner when they can answer now. The whole tile is one target: one touch calls. */
VkWidget *
vk_tile_new(VkUi *ui, const char *person_id, const char *name_text, const char *relationship,
            const char *photo_path, gboolean reachable, SDL_Rect rect)
{
  VkTheme *t = ui->theme;
  g_autofree char *id = g_strconcat("tile:", person_id, NULL);
  VkWidget *tile = vk_widget_new(VK_ROLE_TILE, id, rect);
  tile->text = g_strdup(name_text);
  tile->bg = t->tile;
  tile->fill = TRUE;
  tile->radius = vk_ui_mm(ui, 3);
  vk_widget_set_action(tile, "call", person_id);

  int pad = vk_ui_mm(ui, 2);
  int name_px = vk_ui_font_px(ui, VK_TEXT_NAME);
  int body_px = vk_ui_font_px(ui, VK_TEXT_BODY);
  int name_h = name_px * 5 / 4, rel_h = body_px * 5 / 4;
  int band = pad + name_h + rel_h + pad;
  /* A small screen at the text's floor size: the relationship (secondary) gives way before
   * the photo is too low to carry "Available" without covering the name. */
  gboolean show_rel = rect.h - band >= body_px * 3 / 2 + 2 * pad;
  if (!show_rel)
    band -= rel_h;
  SDL_Rect photo = {rect.x, rect.y, rect.w, MAX(rect.h - band, 0)};
  g_autofree char *photo_id = g_strconcat("photo:", person_id, NULL);
  VkWidget *img = vk_widget_add(tile, vk_image_new(ui, photo_id, photo_path, name_text, photo));
  img->radius = tile->radius;

  SDL_Rect nr = {rect.x + pad, photo.y + photo.h + pad, rect.w - 2 * pad, name_h};
  VkWidget *n =
      vk_widget_add(tile, vk_label_new(ui, NULL, name_text, VK_TEXT_NAME, nr, t->tile_text));
  n->bg = t->tile;
  vk_text_ellipsize(ui, n);
  if (show_rel) {
    SDL_Rect rr = {nr.x, nr.y + name_h, nr.w, rel_h};
    VkWidget *r = vk_widget_add(tile, vk_label_new(ui, NULL, relationship ? relationship : "",
                                                   VK_TEXT_BODY, rr, t->secondary));
    r->bg = t->tile;
    vk_text_ellipsize(ui, r);
  }

  if (reachable) {
    const char *txt = _("Available");
    int tw = 0, th = 0;
    vk_text_measure(ui, txt, body_px, TRUE, 0, &tw, &th);
    int ph = body_px * 3 / 2, pw = tw + body_px;
    SDL_Rect pr = {rect.x + rect.w - pw - pad, rect.y + pad, pw, ph};
    if (pr.x < rect.x + pad) {
      pr.x = rect.x + pad;
      pr.w = rect.w - 2 * pad;
    }
    VkWidget *pill = vk_widget_add(tile, vk_widget_new(VK_ROLE_INDICATOR, NULL, pr));
    pill->text = g_strdup(txt);
    pill->font_px = body_px;
    pill->bold = TRUE;
    pill->align = VK_ALIGN_CENTER;
    pill->fg = t->available_text;
    pill->bg = t->available;
    pill->fill = TRUE;
    pill->radius = ph / 2;
  }
  return tile;
}
