#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/orientation.h"

#include "kiosk/i18n.h"

static const char *const weekdays[] = {N_("Monday"),   N_("Tuesday"), N_("Wednesday"),
                                       N_("Thursday"), N_("Friday"),  N_("Saturday"),
                                       N_("Sunday")};
static const char *const months[] = {
    N_("January"), N_("February"), N_("March"),     N_("April"),   N_("May"),      N_("June"),
    N_("July"),    N_("August"),   N_("September"), N_("October"), N_("November"), N_("December")};

VkPartOfDay
vk_part_of_day(int hour)
{
  if (hour >= 5 && hour < 12)
    return VK_PART_MORNING;
  if (hour >= 12 && hour < 17)
    return VK_PART_AFTERNOON;
  if (hour >= 17 && hour < 23)
    return VK_PART_EVENING;
  return VK_PART_NIGHT;
}

static const char *
part_text(VkPartOfDay p)
{
  switch (p) {
  case VK_PART_MORNING:
    return _("morning");
  case VK_PART_AFTERNOON:
    return _("afternoon");
  case VK_PART_EVENING:
    return _("evening");
  case VK_PART_NIGHT:
    return _("night");
  }
  return "";
}

static GDateTime *
local(gint64 unix_s)
{
  return g_date_time_new_from_unix_local(unix_s);
}

char *
vk_orientation_text(gint64 unix_s)
{
  g_autoptr(GDateTime) dt = local(unix_s);
  const char *wd = _(weekdays[g_date_time_get_day_of_week(dt) - 1]);
  const char *mo = _(months[g_date_time_get_month(dt) - 1]);
  /* TRANSLATORS: weekday, day of month, month, part of day: "Tuesday 24 November, morning" */
  g_autofree char *s =
      g_strdup_printf(_("%1$s %2$d %3$s, %4$s"), wd, g_date_time_get_day_of_month(dt), mo,
                      part_text(vk_part_of_day(g_date_time_get_hour(dt))));
  /* weekdays are lower case inside a Nordic sentence, but this line starts with one */
  gunichar first = g_utf8_get_char(s);
  char up[8] = {0};
  g_unichar_to_utf8(g_unichar_totitle(first), up);
  return g_strconcat(up, g_utf8_next_char(s), NULL);
}

char *
vk_clock_text(gint64 unix_s)
{
  g_autoptr(GDateTime) dt = local(unix_s);
  return g_strdup_printf("%02d:%02d", g_date_time_get_hour(dt), g_date_time_get_minute(dt));
}

char *
vk_when_text(gint64 unix_s, gint64 now_s)
{
  g_autoptr(GDateTime) dt = local(unix_s);
  g_autoptr(GDateTime) now = local(now_s);
  g_autofree char *clock = vk_clock_text(unix_s);
  GDate a, b;
  g_date_set_dmy(&a, g_date_time_get_day_of_month(dt), g_date_time_get_month(dt),
                 g_date_time_get_year(dt));
  g_date_set_dmy(&b, g_date_time_get_day_of_month(now), g_date_time_get_month(now),
                 g_date_time_get_year(now));
  int days = g_date_days_between(&a, &b);
  if (days == 0)
    return g_strdup_printf(_("today at %s"), clock);
  if (days == 1)
    return g_strdup_printf(_("yesterday at %s"), clock);
  if (days == -1)
    return g_strdup_printf(_("tomorrow at %s"), clock);
  return g_strdup_printf(_("%1$s at %2$s"), _(weekdays[g_date_time_get_day_of_week(dt) - 1]),
                         clock);
}
