#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/ui/theme.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

const char *const vk_theme_names[] = {"default", "high-contrast", "dark", NULL};

gboolean
vk_color_parse(const char *s, VkColor *out)
{
  unsigned r, g, b;
  if (!s || strlen(s) != 7 || sscanf(s, "#%02x%02x%02x", &r, &g, &b) != 3)
    return FALSE;
  out->r = (guint8)r;
  out->g = (guint8)g;
  out->b = (guint8)b;
  return TRUE;
}

char *
vk_color_to_string(VkColor c)
{
  return g_strdup_printf("#%02x%02x%02x", c.r, c.g, c.b);
}

static double
channel(guint8 v)
{
  double c = v / 255.0;
  return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

double
vk_relative_luminance(VkColor c)
{
  return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
}

double
vk_contrast_ratio(VkColor a, VkColor b)
{
  double la = vk_relative_luminance(a), lb = vk_relative_luminance(b);
  if (la < lb) {
    double t = la;
    la = lb;
    lb = t;
  }
  return (la + 0.05) / (lb + 0.05);
}

static gboolean
get_color(GKeyFile *kf, const char *key, VkColor *out, GError **error)
{
  g_autofree char *s = g_key_file_get_string(kf, "Colors", key, error);
  if (!s)
    return FALSE;
  if (!vk_color_parse(g_strstrip(s), out)) {
    g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE, "colour %s is not #rrggbb",
                key);
    return FALSE;
  }
  return TRUE;
}

static gboolean
get_mm(GKeyFile *kf, const char *key, double *out, GError **error)
{
  GError *e = NULL;
  double v = g_key_file_get_double(kf, "Sizes", key, &e);
  if (e) {
    g_propagate_error(error, e);
    return FALSE;
  }
  if (v <= 0 || v > 200) {
    g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE, "size %s out of range",
                key);
    return FALSE;
  }
  *out = v;
  return TRUE;
}

VkTheme *
vk_theme_load_file(const char *path, GError **error)
{
  g_autoptr(GKeyFile) kf = g_key_file_new();
  if (!g_key_file_load_from_file(kf, path, G_KEY_FILE_NONE, error))
    return NULL;
  VkTheme *t = g_new0(VkTheme, 1);
  t->name = g_key_file_get_string(kf, "Theme", "Name", error);
  t->font = t->name ? g_key_file_get_string(kf, "Theme", "Font", error) : NULL;
  t->font_bold = t->font ? g_key_file_get_string(kf, "Theme", "FontBold", error) : NULL;
  if (!t->font_bold)
    goto fail;
  struct {
    const char *key;
    VkColor *c;
  } colors[] = {
      {"Background", &t->background},        {"Text", &t->text},
      {"Secondary", &t->secondary},          {"Tile", &t->tile},
      {"TileText", &t->tile_text},           {"Button", &t->button},
      {"ButtonText", &t->button_text},       {"Call", &t->call},
      {"CallText", &t->call_text},           {"HangUp", &t->hangup},
      {"HangUpText", &t->hangup_text},       {"Banner", &t->banner},
      {"BannerText", &t->banner_text},       {"Available", &t->available},
      {"AvailableText", &t->available_text}, {"Focus", &t->focus},
      {"PhotoBand", &t->photo_band},         {"PhotoBandText", &t->photo_band_text},
  };
  for (guint i = 0; i < G_N_ELEMENTS(colors); i++)
    if (!get_color(kf, colors[i].key, colors[i].c, error))
      goto fail;
  struct {
    const char *key;
    double *v;
  } sizes[] = {
      {"BodyFont", &t->body_mm},   {"NameFont", &t->name_mm},      {"TitleFont", &t->title_mm},
      {"ClockFont", &t->clock_mm}, {"Margin", &t->margin_mm},      {"Gap", &t->gap_mm},
      {"Target", &t->target_mm},   {"CallTile", &t->call_tile_mm},
  };
  for (guint i = 0; i < G_N_ELEMENTS(sizes); i++)
    if (!get_mm(kf, sizes[i].key, sizes[i].v, error))
      goto fail;
  return t;
fail:
  vk_theme_free(t);
  return NULL;
}

VkTheme *
vk_theme_load(const char *dir, const char *name, GError **error)
{
  if (!name || strchr(name, '/') || name[0] == '.') {
    g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "bad theme name");
    return NULL;
  }
  g_autofree char *file = g_strconcat(name, ".theme", NULL);
  g_autofree char *path = g_build_filename(dir, file, NULL);
  return vk_theme_load_file(path, error);
}

void
vk_theme_free(VkTheme *t)
{
  if (!t)
    return;
  g_free(t->name);
  g_free(t->font);
  g_free(t->font_bold);
  g_free(t);
}
