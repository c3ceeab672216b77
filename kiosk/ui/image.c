#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/ui/widget.h"

VkWidget *
vk_image_new(VkUi *ui, const char *name, const char *path, const char *fallback_text, SDL_Rect rect)
{
  VkWidget *w = vk_widget_new(VK_ROLE_IMAGE, name, rect);
  w->image_path = g_strdup(path);
  if (fallback_text && *fallback_text) {
    gunichar c = g_unichar_toupper(g_utf8_get_char(fallback_text));
    char buf[8] = {0};
    g_unichar_to_utf8(c, buf);
    w->initial = g_strdup(buf);
  }
  w->bg = ui->theme->button;
  w->fg = ui->theme->button_text;
  return w;
}

VkWidget *
vk_qr_new(VkUi *ui, const char *name, const char *data, SDL_Rect rect)
{
  VkWidget *w = vk_widget_new(VK_ROLE_QR, name, rect);
  w->arg = g_strdup(data);
  /* a QR code is dark on light whatever the theme, or phones cannot read it */
  w->fg = (VkColor){0, 0, 0};
  w->bg = (VkColor){255, 255, 255};
  w->fill = TRUE;
  (void)ui;
  return w;
}
