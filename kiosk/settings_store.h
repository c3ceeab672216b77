/* The helpers' settings as the cache keeps them: the settings code (a salted SHA-256, never the
 * digits), and at start what a helper chose before (speech, volume, theme). The settings screens
 * are kiosk/screens/settings.c and settings_more.c. */
#pragma once

#include <glib.h>

#include "kiosk/app.h"
#include "kiosk/cache.h"

G_BEGIN_DECLS

/* --settings-pin: stores the code (4 to 8 digits), hashed. */
gboolean vk_settings_store_pin(VkCache *cache, const char *pin, GError **error);
/* Is a code stored? Without one the settings cannot be opened. */
gboolean vk_settings_has_pin(VkCache *cache);
/* Are these digits the stored code? */
gboolean vk_settings_pin_matches(VkCache *cache, const char *typed);
/* At start: speech off, the volume and the theme as a helper left them (a theme given on the
 * command line wins). */
void vk_settings_restore(VkApp *app, VkCache *cache, gboolean theme_given);

G_END_DECLS
