#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/ui/widget.h"

VkWidget *
vk_video_view_new(VkUi *ui, const char *name, int slot, SDL_Rect rect)
{
  VkWidget *w = vk_widget_new(VK_ROLE_VIDEO, name, rect);
  w->video_slot = slot;
  w->bg = (VkColor){0, 0, 0};
  w->fill = TRUE;
  (void)ui;
  return w;
}

VkWidget *
vk_self_view_new(VkUi *ui, SDL_Rect rect, const char *camera_off_text)
{
  /* Not a target: a touch on it does nothing, the camera has its own large button. */
  VkWidget *w = vk_widget_new(VK_ROLE_SELF_VIEW, "self-view", rect);
  w->video_slot = 1;
  w->radius = vk_ui_mm(ui, 2);
  w->fill = TRUE;
  w->bg = ui->theme->background; /* the picture's frame */
  if (camera_off_text) {
    /* Calm, like the band under the photo frame's picture: no alarm, only the fact. */
    w->text = g_strdup(camera_off_text);
    w->font_px = vk_ui_font_px(ui, VK_TEXT_BODY);
    w->wrap = TRUE;
    w->align = VK_ALIGN_CENTER;
    w->bg = ui->theme->photo_band;
    w->fg = ui->theme->photo_band_text;
  }
  return w;
}
