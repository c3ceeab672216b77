/* What the screens and the spoken announcements alike read off the model: a person's name to
 * show or say, and whether it is night (the household's quiet hours). Declared in kiosk/app.h;
 * kept out of kiosk/screens/ so that what speaks (plan_announce.c) does not depend on the
 * screens. */
#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/app.h"
#include "kiosk/i18n.h"

const char *
vk_person_name(VkApp *app, const char *id)
{
  VkPerson *p = vk_model_find_person(app->model, id);
  return p && p->name ? p->name : _("Someone");
}

static int
minutes_of(const char *hhmm)
{
  return hhmm ? (int)g_ascii_strtoll(hhmm, NULL, 10) * 60 + (int)g_ascii_strtoll(hhmm + 3, NULL, 10)
              : -1;
}

gboolean
vk_night_now(VkApp *app)
{
  VkModel *m = app->model;
  int start = minutes_of(m->quiet_start), end = minutes_of(m->quiet_end);
  if (start < 0 || end < 0 || start == end)
    return FALSE;
  g_autoptr(GDateTime) t = g_date_time_new_from_unix_local(vk_model_now(m));
  int now = g_date_time_get_hour(t) * 60 + g_date_time_get_minute(t);
  return start < end ? now >= start && now < end : now >= start || now < end;
}
