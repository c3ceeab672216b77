#define G_LOG_DOMAIN "vindu-hub"
#include "storage_full.h"

#include <gio/gio.h>

#include "db.h"

const char storage_full_sentence[] =
    "The hub has no room left on its disk, so nothing was stored; try again later.";

gboolean
storage_full_error(const GError *error)
{
  if (!error)
    return FALSE;
  return g_error_matches(error, HUB_DB_ERROR, HUB_DB_ERROR_FULL) ||
         g_error_matches(error, G_IO_ERROR, G_IO_ERROR_NO_SPACE) ||
         g_error_matches(error, G_FILE_ERROR, G_FILE_ERROR_NOSPC);
}

VpErrorCode
storage_error_code(const GError *error, const char **sentence)
{
  if (!storage_full_error(error))
    return VP_ERROR_INTERNAL;
  *sentence = storage_full_sentence;
  return VP_ERROR_STORAGE_FULL;
}
