#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/geom.h"

VkGeom
vk_geom(VkApp *app)
{
  VkUi *ui = app->ui;
  VkTheme *t = ui->theme;
  VkGeom g = {
      .w = ui->layout.width,
      .h = ui->layout.height,
      .m = vk_ui_mm(ui, t->margin_mm),
      .g = vk_ui_mm(ui, t->gap_mm),
      .t = vk_ui_mm(ui, t->target_mm),
      .body = vk_ui_font_px(ui, VK_TEXT_BODY),
      .name = vk_ui_font_px(ui, VK_TEXT_NAME),
      .title = vk_ui_font_px(ui, VK_TEXT_TITLE),
      .clock = vk_ui_font_px(ui, VK_TEXT_CLOCK),
  };
  return g;
}
