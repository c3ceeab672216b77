#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/settings_store.h"

#include <string.h>

#include "kiosk/ring.h"
#include "kiosk/speech.h"
#include "kiosk/ui/theme.h"

static char *
pin_hash(const char *pin)
{
  g_autofree char *salted = g_strconcat("vindu-kiosk-pin:", pin, NULL);
  return g_compute_checksum_for_string(G_CHECKSUM_SHA256, salted, -1);
}

gboolean
vk_settings_store_pin(VkCache *cache, const char *pin, GError **error)
{
  if (!pin || strlen(pin) < 4 || strlen(pin) > 8 || strspn(pin, "0123456789") != strlen(pin)) {
    g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                "--settings-pin must be 4 to 8 digits");
    return FALSE;
  }
  g_autofree char *h = pin_hash(pin);
  return vk_cache_set(cache, "settings_pin", h, error);
}

gboolean
vk_settings_has_pin(VkCache *cache)
{
  g_autofree char *stored = vk_cache_get(cache, "settings_pin");
  return stored != NULL;
}

gboolean
vk_settings_pin_matches(VkCache *cache, const char *typed)
{
  g_autofree char *stored = cache ? vk_cache_get(cache, "settings_pin") : NULL;
  g_autofree char *hash = pin_hash(typed);
  return stored && g_str_equal(stored, hash);
}

void
vk_settings_restore(VkApp *app, VkCache *cache, gboolean theme_given)
{
  VkOptions *o = app->opts;
  g_autofree char *speech = vk_cache_get(cache, "speech");
  if (speech && g_str_equal(speech, "off") && o->speech) {
    o->speech = FALSE;
    vk_speech_configure(FALSE, o->speech_wav_dir);
  }
  g_autofree char *volume = vk_cache_get(cache, "volume");
  if (volume)
    app->volume = CLAMP((int)g_ascii_strtoll(volume, NULL, 10), 0, 10);
  vk_ring_set_volume(app->volume);
  g_autofree char *theme = vk_cache_get(cache, "theme");
  if (theme && !theme_given) {
    VkTheme *t = vk_theme_load(o->themes_dir, theme, NULL);
    if (t) {
      vk_theme_free(app->theme);
      app->theme = t;
      app->ui->theme = t;
    }
  }
}
