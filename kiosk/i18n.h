/* Translations: gettext catalogs from po/ (nb, nn, sv, en). */
#pragma once

#include <glib.h>
#include <libintl.h>

G_BEGIN_DECLS

#define VK_GETTEXT_DOMAIN "vindu-kiosk"
#define _(s) dgettext(VK_GETTEXT_DOMAIN, s)
#define N_(s) (s)

/* The languages the kiosk ships complete catalogs for. */
extern const char *const vk_languages[];

/* Chooses the language for every later _() (nb, nn, sv, en). Returns FALSE if unknown. The
 * catalog folder comes from $VINDU_LOCALEDIR, else the build's locale folder. */
gboolean vk_i18n_set_language(const char *lang);
const char *vk_i18n_language(void);
/* espeak-ng voice name for the current language. */
const char *vk_i18n_espeak_voice(void);

G_END_DECLS
