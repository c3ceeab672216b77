#include "kiosk/ui/layout_mm.h"

#include <math.h>

int
vk_mm_to_px(const VkLayout *l, double mm)
{
  return (int)ceil(mm * l->dpi / 25.4 - 1e-9);
}

double
vk_px_to_mm(const VkLayout *l, int px)
{
  return px * 25.4 / l->dpi;
}

int
vk_font_px(const VkLayout *l, double mm, int floor_px)
{
  int px = vk_mm_to_px(l, mm);
  return px < floor_px ? floor_px : px;
}
