#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/ui/widget.h"

VkWidget *
vk_label_new(VkUi *ui, const char *name, const char *text, VkTextKind kind, SDL_Rect rect,
             VkColor fg)
{
  VkWidget *w = vk_widget_new(VK_ROLE_LABEL, name, rect);
  w->text = g_strdup(text);
  w->text_kind = kind;
  w->font_px = vk_ui_font_px(ui, kind);
  w->bold = kind != VK_TEXT_BODY;
  w->fg = fg;
  w->bg = ui->theme->background;
  return w;
}
