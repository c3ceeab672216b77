#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/ui/widget.h"

VkWidget *
vk_button_new(VkUi *ui, const char *name, const char *text, SDL_Rect rect, VkColor bg, VkColor fg,
              const char *action, const char *arg)
{
  VkWidget *w = vk_widget_new(VK_ROLE_BUTTON, name, rect);
  w->text = g_strdup(text);
  w->text_kind = VK_TEXT_BODY;
  w->font_px = vk_ui_font_px(ui, VK_TEXT_BODY);
  w->bold = TRUE;
  w->wrap = TRUE;
  w->align = VK_ALIGN_CENTER;
  w->fg = fg;
  w->bg = bg;
  w->fill = TRUE;
  w->radius = vk_ui_mm(ui, 3);
  vk_widget_set_action(w, action, arg);
  return w;
}
