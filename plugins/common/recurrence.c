#include "recurrence.h"

#include <libical/ical.h>

struct VinduRecurrence {
  gint64 first;
  GTimeZone *zone;
  char *rrule; /* NULL: once */
  gboolean counted;
};

G_DEFINE_QUARK(vindu - recurrence - error, vindu_recurrence_error)

/* `t` as a floating libical time: the wall clock in the zone. */
static struct icaltimetype
wall_clock(GTimeZone *zone, gint64 t)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc(t);
  g_autoptr(GDateTime) local = g_date_time_to_timezone(utc, zone);
  struct icaltimetype it = icaltime_null_time();
  it.year = g_date_time_get_year(local);
  it.month = g_date_time_get_month(local);
  it.day = g_date_time_get_day_of_month(local);
  it.hour = g_date_time_get_hour(local);
  it.minute = g_date_time_get_minute(local);
  it.second = g_date_time_get_second(local);
  return it;
}

/* A wall-clock time back to seconds. A time skipped by the spring change (02:30 on that night)
 * is taken as the same time of the old offset, which lands an hour later by the new clock (03:30);
 * a time that happens twice in autumn is the first of the two. */
static gint64
from_wall_clock(GTimeZone *zone, struct icaltimetype it)
{
  g_autoptr(GDateTime) local =
      g_date_time_new(zone, it.year, it.month, it.day, it.hour, it.minute, it.second);
  if (!local)
    return -1;
  if (g_date_time_get_hour(local) == it.hour && g_date_time_get_minute(local) == it.minute)
    return g_date_time_to_unix(local);
  /* skipped by the spring change: read with the offset the clock had before it */
  g_autoptr(GDateTime) naive =
      g_date_time_new_utc(it.year, it.month, it.day, it.hour, it.minute, it.second);
  gint64 as_utc = g_date_time_to_unix(naive);
  int before = g_time_zone_find_interval(zone, G_TIME_TYPE_UNIVERSAL, as_utc - 12 * 3600);
  return as_utc - (before >= 0 ? g_time_zone_get_offset(zone, before) : 0);
}

VinduRecurrence *
vindu_recurrence_new(gint64 first, const char *rrule, const char *zone, GError **error)
{
  GTimeZone *tz = zone ? g_time_zone_new_identifier(zone) : g_time_zone_new_local();
  if (!tz) {
    g_set_error(error, VINDU_RECURRENCE_ERROR, VINDU_RECURRENCE_BAD_ZONE,
                "\"%s\" is not a time zone this system knows", zone);
    return NULL;
  }
  gboolean counted = FALSE;
  if (rrule && *rrule) {
    struct icalrecurrencetype recur = icalrecurrencetype_from_string(rrule);
    icalerror_clear_errno();
    if (recur.freq != ICAL_DAILY_RECURRENCE && recur.freq != ICAL_WEEKLY_RECURRENCE &&
        recur.freq != ICAL_MONTHLY_RECURRENCE && recur.freq != ICAL_YEARLY_RECURRENCE) {
      g_time_zone_unref(tz);
      g_set_error(error, VINDU_RECURRENCE_ERROR, VINDU_RECURRENCE_BAD_RULE,
                  "not a repetition of days, weeks, months or years");
      return NULL;
    }
    counted = recur.count != 0;
  }
  VinduRecurrence *r = g_new0(VinduRecurrence, 1);
  r->first = first;
  r->zone = tz;
  r->rrule = rrule && *rrule ? g_strdup(rrule) : NULL;
  r->counted = counted;
  return r;
}

void
vindu_recurrence_free(VinduRecurrence *r)
{
  if (!r)
    return;
  g_time_zone_unref(r->zone);
  g_free(r->rrule);
  g_free(r);
}

guint
vindu_recurrence_each(const VinduRecurrence *r, gint64 from, gint64 to,
                      gboolean (*found)(gint64 t, gpointer data), gpointer data)
{
  if (!r->rrule) {
    if (r->first >= from && r->first < to) {
      found(r->first, data);
      return 1;
    }
    return 0;
  }
  struct icalrecurrencetype recur = icalrecurrencetype_from_string(r->rrule);
  icalrecur_iterator *it = icalrecur_iterator_new(recur, wall_clock(r->zone, r->first));
  icalerror_clear_errno();
  if (!it)
    return 0;
  /* From a recent occurrence: a day before `from` (margin for any offset and a changed one),
   * never before the first. A rule with COUNT counts from its first time: walked from there. */
  if (!r->counted && from - 86400 > r->first)
    icalrecur_iterator_set_start(it, wall_clock(r->zone, from - 86400));
  guint n = 0;
  for (int step = 0; step < VINDU_RECURRENCE_MAX_STEPS; step++) {
    struct icaltimetype next = icalrecur_iterator_next(it);
    if (icaltime_is_null_time(next))
      break;
    gint64 t = from_wall_clock(r->zone, next);
    if (t < r->first || t < from)
      continue;
    if (t >= to)
      break;
    n++;
    if (!found(t, data))
      break;
  }
  icalrecur_iterator_free(it);
  return n;
}

static gboolean
keep_first(gint64 t, gpointer data)
{
  *(gint64 *)data = t;
  return FALSE;
}

gint64
vindu_recurrence_next(const VinduRecurrence *r, gint64 from, gint64 to)
{
  gint64 t = -1;
  vindu_recurrence_each(r, from, to, keep_first, &t);
  return t;
}

void
vindu_recurrence_local_hm(const VinduRecurrence *r, gint64 t, int *hour, int *minute)
{
  struct icaltimetype it = wall_clock(r->zone, t);
  *hour = it.hour;
  *minute = it.minute;
}
