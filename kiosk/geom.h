/* The figures every screen is laid out with, in pixels of this display: its size, the margin,
 * the gap, the smallest target's side and the font sizes, all from the theme's millimetres
 * (kiosk/ui/layout_mm.h). Needs nothing but the app's ui, so the screens and the overlays drawn
 * over them (volume_keys) share it without depending on each other. */
#pragma once

#include "kiosk/app.h"

typedef struct {
  int w, h;                     /* screen px */
  int m, g;                     /* margin, gap */
  int t;                        /* smallest target side */
  int body, name, title, clock; /* font px */
} VkGeom;

VkGeom vk_geom(VkApp *app);
static inline SDL_Rect
vk_rect(int x, int y, int w, int h)
{
  return (SDL_Rect){x, y, w, h};
}
