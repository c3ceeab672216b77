#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/ui/widget.h"

#include "kiosk/i18n.h"

/* A person: their face on top, the largest thing on the tile and covered by nothing; under it
 * the name whole (never cut: two lines, then a smaller size down to the names' floor), the
 * relationship when there is room for it whole, and "Available" in its own row when they can
 * answer now. The whole tile is one target: one touch calls. */

static int
text_lines(VkUi *ui, const char *text, int px, gboolean bold, int width, int *height)
{
  int one_w = 0, one_h = 0, w = 0, h = 0;
  vk_text_measure(ui, "Ag", px, bold, 0, &one_w, &one_h);
  if (!vk_text_measure(ui, text, px, bold, width, &w, &h) || w > width || one_h <= 0)
    return G_MAXINT; /* a word longer than the width: it cannot be shown whole here */
  *height = h;
  return (h + one_h / 2) / one_h;
}

int
vk_tile_band(VkUi *ui, const char *name, const char *relationship, int w, gboolean show_rel,
             VkTileBand *out)
{
  int pad = vk_ui_mm(ui, 2), inner = w - 2 * pad;
  int body_px = vk_ui_font_px(ui, VK_TEXT_BODY);
  VkTileBand b = {0};
  for (int px = vk_ui_font_px(ui, VK_TEXT_NAME); px >= VK_MIN_NAME_PX; px -= 2) {
    int h = 0;
    if (text_lines(ui, name, px, TRUE, inner, &h) <= 2) {
      b.name_px = px;
      b.name_h = h;
      break;
    }
    if (px - 2 < VK_MIN_NAME_PX && px != VK_MIN_NAME_PX)
      px = VK_MIN_NAME_PX + 2; /* try the floor itself last */
  }
  if (!b.name_px)
    return -1;
  int rel_h = 0;
  if (show_rel && relationship && *relationship &&
      text_lines(ui, relationship, body_px, FALSE, inner, &rel_h) <= 2)
    b.rel_h = rel_h;
  b.pill_h = body_px * 3 / 2;
  b.height = pad + b.name_h + b.rel_h + pad / 2 + b.pill_h + pad;
  if (out)
    *out = b;
  return b.height;
}

static VkWidget *
available_pill(VkUi *ui, SDL_Rect row)
{
  VkTheme *t = ui->theme;
  int body_px = vk_ui_font_px(ui, VK_TEXT_BODY), tw = 0, th = 0;
  const char *txt = _("Available");
  vk_text_measure(ui, txt, body_px, TRUE, 0, &tw, &th);
  SDL_Rect pr = {row.x, row.y, MIN(tw + body_px, row.w), row.h};
  VkWidget *pill = vk_widget_new(VK_ROLE_INDICATOR, "available", pr);
  pill->text = g_strdup(txt);
  pill->font_px = body_px;
  pill->bold = TRUE;
  pill->align = VK_ALIGN_CENTER;
  pill->fg = t->available_text;
  pill->bg = t->available;
  pill->fill = TRUE;
  pill->radius = row.h / 2;
  return pill;
}

VkWidget *
vk_tile_new(VkUi *ui, const VkPersonTile *pt, SDL_Rect rect, int band_h, gboolean show_rel)
{
  VkTheme *t = ui->theme;
  g_autofree char *id = g_strconcat("tile:", pt->id, NULL);
  VkWidget *tile = vk_widget_new(VK_ROLE_TILE, id, rect);
  tile->bg = t->tile;
  tile->fill = TRUE;
  tile->radius = vk_ui_mm(ui, 3);
  vk_widget_set_action(tile, "call", pt->id);

  int pad = vk_ui_mm(ui, 2);
  /* the full name when it fits whole, else the short name the family gave */
  VkTileBand b;
  const char *name = pt->name;
  if (vk_tile_band(ui, name, pt->relationship, rect.w, show_rel, &b) < 0 && pt->short_name &&
      vk_tile_band(ui, pt->short_name, pt->relationship, rect.w, show_rel, &b) >= 0)
    name = pt->short_name;
  else if (!b.name_px)
    b = (VkTileBand){.name_px = VK_MIN_NAME_PX, .name_h = VK_MIN_NAME_PX * 5 / 4};
  tile->text = g_strdup(name);

  SDL_Rect photo = {rect.x, rect.y, rect.w, MAX(rect.h - band_h, 0)};
  g_autofree char *photo_id = g_strconcat("photo:", pt->id, NULL);
  VkWidget *img = vk_widget_add(tile, vk_image_new(ui, photo_id, pt->photo_path, name, photo));
  img->radius = tile->radius;

  SDL_Rect nr = {rect.x + pad, photo.y + photo.h + pad, rect.w - 2 * pad, b.name_h};
  VkWidget *n = vk_widget_add(tile, vk_label_new(ui, "name", name, VK_TEXT_NAME, nr, t->tile_text));
  n->font_px = b.name_px;
  n->wrap = TRUE;
  n->bg = t->tile;
  int y = nr.y + nr.h;
  if (b.rel_h) {
    SDL_Rect rr = {nr.x, y, nr.w, b.rel_h};
    VkWidget *r = vk_widget_add(
        tile, vk_label_new(ui, "relationship", pt->relationship, VK_TEXT_BODY, rr, t->secondary));
    r->wrap = TRUE;
    r->bg = t->tile;
    y += b.rel_h;
  }
  if (pt->reachable)
    vk_widget_add(tile, available_pill(ui, (SDL_Rect){nr.x, y + pad / 2, nr.w, b.pill_h}));
  return tile;
}
