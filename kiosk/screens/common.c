#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/screens/common.h"

VkWidget *
vk_screen_root(VkApp *app, const char *name)
{
  VkUi *ui = app->ui;
  return vk_panel_new(name, vk_rect(0, 0, ui->layout.width, ui->layout.height),
                      ui->theme->background, 0);
}

int
vk_button_width(VkApp *app, const char *text, int min_w)
{
  int tw = 0, th = 0;
  vk_text_measure(app->ui, text, vk_ui_font_px(app->ui, VK_TEXT_BODY), TRUE, 0, &tw, &th);
  return MAX(min_w, tw + vk_ui_mm(app->ui, 8));
}

VkWidget *
vk_pill(VkApp *app, const char *name, const char *text, int x, int y, VkColor bg, VkColor fg,
        VkRole role)
{
  VkUi *ui = app->ui;
  int px = vk_ui_font_px(ui, VK_TEXT_BODY), tw = 0, th = 0;
  vk_text_measure(ui, text, px, TRUE, 0, &tw, &th);
  VkWidget *w = vk_widget_new(role, name, vk_rect(x, y, tw + px, px * 3 / 2));
  w->text = g_strdup(text);
  w->font_px = px;
  w->bold = TRUE;
  w->align = VK_ALIGN_CENTER;
  w->bg = bg;
  w->fg = fg;
  w->fill = TRUE;
  w->radius = px * 3 / 4;
  return w;
}

void
vk_fit_or_body(VkApp *app, VkWidget *label)
{
  if (!vk_text_fits(app->ui, label))
    label->font_px = vk_ui_font_px(app->ui, VK_TEXT_BODY);
}

int
vk_body_height(VkApp *app, const char *text, int width)
{
  int tw = 0, th = 0;
  vk_text_measure(app->ui, text, vk_ui_font_px(app->ui, VK_TEXT_BODY), FALSE, width, &tw, &th);
  return th;
}

int
vk_title_height(VkApp *app)
{
  VkGeom g = vk_geom(app);
  return MIN(g.t, g.title * 3 / 2);
}
