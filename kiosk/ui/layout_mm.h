/* Millimetres to pixels from the screen's real DPI, and the UX.md floors on font sizes. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  int width, height; /* px */
  double dpi;        /* the screen's real pixels per inch (a setting) */
} VkLayout;

/* UX.md: body text font size ≥ 32 px, names on tiles ≥ 40 px (at 1280×800). */
#define VK_MIN_BODY_PX 32
#define VK_MIN_NAME_PX 40

int vk_mm_to_px(const VkLayout *l, double mm);
double vk_px_to_mm(const VkLayout *l, int px);
/* A font size from millimetres, never below floor_px. */
int vk_font_px(const VkLayout *l, double mm, int floor_px);

G_END_DECLS
