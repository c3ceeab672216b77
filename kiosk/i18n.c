#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/i18n.h"

#include "install_paths.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

const char *const vk_languages[] = {"nb", "nn", "sv", "en", NULL};
static char current[8] = "en";
extern int _nl_msg_cat_cntr; /* glibc: bumping it drops gettext's lookup cache */

gboolean
vk_i18n_set_language(const char *lang)
{
  if (!lang || !g_strv_contains((const char *const *)vk_languages, lang))
    return FALSE;
  /* Catalogs are chosen by LANGUAGE, which glibc only honours when the locale is not "C";
   * C.UTF-8 is always present, so no generated locales are needed on the kiosk. */
  if (!setlocale(LC_ALL, "") || g_strcmp0(setlocale(LC_MESSAGES, NULL), "C") == 0 ||
      g_strcmp0(setlocale(LC_MESSAGES, NULL), "POSIX") == 0)
    setlocale(LC_ALL, "C.UTF-8");
  setenv("LANGUAGE", lang, 1);
  const char *dir = g_getenv("VINDU_LOCALEDIR");
  bindtextdomain(VK_GETTEXT_DOMAIN, dir ? dir : vindu_path(VINDU_PATH_LOCALE));
  bind_textdomain_codeset(VK_GETTEXT_DOMAIN, "UTF-8");
  ++_nl_msg_cat_cntr;
  g_strlcpy(current, lang, sizeof current);
  return TRUE;
}

const char *
vk_i18n_language(void)
{
  return current;
}

const char *
vk_i18n_espeak_voice(void)
{
  if (strcmp(current, "nb") == 0 || strcmp(current, "nn") == 0)
    return "nb"; /* espeak-ng has one Norwegian voice */
  if (strcmp(current, "sv") == 0)
    return "sv";
  return "en";
}
