/* plugin-bench-today REMINDERS.so: loads the reminders plugin as its runner does, gives it 200
 * repeating reminders that began a year ago (daily, weekly on a day, monthly, every other day),
 * and times today() over one day: the first query (which walks every rule), then 2000 more.
 * Prints {"today_query_us_median":…,"today_query_us_p95":…,"today_query_us_first":…,
 * "items":…} on its last line. */
#include "plugin_loader.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static long long
t_now(const VinduHost *host)
{
  return (long long)time(NULL);
}
static void
t_timer_at(const VinduHost *host, unsigned id, long long at)
{
}
static void
t_changed(const VinduHost *host)
{
}

static char *
t_storage_get(const VinduHost *host, const char *key)
{
  return NULL;
}
static int
t_storage_set(const VinduHost *host, const char *key, const char *value)
{
  return 0;
}

static void
count(void *ctx, const VinduTodayItem *item)
{
  (*(int *)ctx)++;
}

static int
compare(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int
main(int argc, char **argv)
{
  if (argc != 2) {
    fprintf(stderr, "usage: plugin-bench-today reminders.so\n");
    return 2;
  }
  GError *error = NULL;
  VinduLoadedPlugin *p = vindu_plugin_load(argv[1], &error);
  VinduHost host = {.size = sizeof host,
                    .now = t_now,
                    .timer_at = t_timer_at,
                    .today_changed = t_changed,
                    .storage_get = t_storage_get,
                    .storage_set = t_storage_set};
  if (!p || !vindu_plugin_open(p, &host, &error)) {
    fprintf(stderr, "%s\n", error->message);
    return 1;
  }
  static const char *const rules[] = {"FREQ=DAILY", "FREQ=WEEKLY;BYDAY=TU", "FREQ=MONTHLY",
                                      "FREQ=DAILY;INTERVAL=2"};
  time_t year_ago = time(NULL) - 365 * 86400;
  for (int i = 0; i < 200; i++) {
    char id[16], body[256];
    g_snprintf(id, sizeof id, "r%d", i);
    g_snprintf(body, sizeof body,
               "{\"title\":\"Reminder "
               "%d\",\"starts_at\":%lld,\"rrule\":\"%s\",\"time_zone\":\"Europe/Oslo\"}",
               i, (long long)(year_ago + i * 300), rules[i % 4]);
    if (p->desc.put_document(p->self, "reminder", id, 1, body) != 0)
      return 1;
  }
  time_t now = time(NULL);
  struct tm local;
  localtime_r(&now, &local);
  local.tm_hour = local.tm_min = local.tm_sec = 0;
  long long from = (long long)mktime(&local), to = from + 86400;
  enum { RUNS = 2000 };
  static double us[RUNS];
  int items = 0;
  /* the first query after the documents came walks every rule; later ones use what it kept */
  int first_n = 0;
  gint64 c0 = g_get_monotonic_time();
  p->desc.today(p->self, from, to, count, &first_n);
  double cold_us = (double)(g_get_monotonic_time() - c0);
  for (int r = 0; r < RUNS; r++) {
    int n = 0;
    gint64 t0 = g_get_monotonic_time();
    p->desc.today(p->self, from, to, count, &n);
    us[r] = (double)(g_get_monotonic_time() - t0);
    items = n;
  }
  qsort(us, RUNS, sizeof us[0], compare);
  printf("{\"today_query_us_median\":%.1f,\"today_query_us_p95\":%.1f,"
         "\"today_query_us_first\":%.1f,\"items\":%d}\n",
         us[RUNS / 2], us[RUNS * 95 / 100], cold_us, items);
  vindu_plugin_unload(p);
  return 0;
}
