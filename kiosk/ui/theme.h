/* Themes: colours, fonts and sizes read from a key file in themes/ (default, high-contrast,
 * dark). Sizes are millimetres; layout_mm turns them into pixels from the screen's real DPI. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  guint8 r, g, b;
} VkColor;

typedef struct {
  char *name;
  char *font;      /* regular TTF path */
  char *font_bold; /* bold TTF path */
  VkColor background, text, secondary;
  VkColor tile, tile_text;
  VkColor button, button_text;
  VkColor call, call_text;     /* call, answer, call back */
  VkColor hangup, hangup_text; /* hang up, live camera indicator */
  VkColor banner, banner_text;
  VkColor available, available_text;
  VkColor focus;
  VkColor photo_band, photo_band_text;         /* band under the photo frame's picture */
  double body_mm, name_mm, title_mm, clock_mm; /* font sizes */
  double margin_mm, gap_mm, target_mm, call_tile_mm;
} VkTheme;

/* Loads themes/<name>.theme from dir; transfer full. */
VkTheme *vk_theme_load(const char *dir, const char *name, GError **error);
VkTheme *vk_theme_load_file(const char *path, GError **error);
void vk_theme_free(VkTheme *t);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VkTheme, vk_theme_free)

/* The theme names shipped in themes/. */
extern const char *const vk_theme_names[];

gboolean vk_color_parse(const char *s, VkColor *out);
char *vk_color_to_string(VkColor c); /* "#rrggbb"; transfer full */
double vk_relative_luminance(VkColor c);
/* WCAG 2 contrast ratio, 1..21 */
double vk_contrast_ratio(VkColor a, VkColor b);

G_END_DECLS
