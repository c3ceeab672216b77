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
