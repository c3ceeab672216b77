#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/call_about.h"

#include "protocol.h"

static char *about_person, *about_file; /* one call at a time */

void
vk_call_about_set(const char *person_id, const char *file_hash)
{
  g_clear_pointer(&about_person, g_free);
  g_clear_pointer(&about_file, g_free);
  if (!person_id || !file_hash || !vp_is_file_hash(file_hash))
    return;
  about_person = g_strdup(person_id);
  about_file = g_strdup(file_hash);
}

char *
vk_call_about_take(const char *person_id)
{
  char *file = g_strcmp0(person_id, about_person) == 0 ? g_steal_pointer(&about_file) : NULL;
  g_clear_pointer(&about_person, g_free);
  g_clear_pointer(&about_file, g_free);
  return file;
}
