#define G_LOG_DOMAIN "vindu-hub"
#include "stats.h"

#include <stdio.h>
#include <time.h>

/* upper bounds in µs; the last bucket takes the rest */
static const gint64 bounds[] = {50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000};
#define NB (G_N_ELEMENTS(bounds) + 1)

typedef struct {
  guint64 count[NB];
  guint64 n;
  gint64 max;
  gint64 sum;
} Hist;

gboolean hub_stats_enabled;
static Hist hists[HUB_STAT_N];
static const char *names[HUB_STAT_N] = {"loop busy (wall)", "loop busy (cpu)", "queue wait"};

void
hub_stats_init(void)
{
  hub_stats_enabled = g_getenv("VINDU_HUB_STATS") != NULL;
}

gint64
hub_stats_thread_cpu_us(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64)ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

void
hub_stats_add(HubStat stat, gint64 us)
{
  Hist *h = &hists[stat];
  guint i = 0;
  while (i < NB - 1 && us > bounds[i])
    i++;
  h->count[i]++;
  h->n++;
  h->sum += us;
  if (us > h->max)
    h->max = us;
}

void
hub_stats_print(void)
{
  for (guint s = 0; s < HUB_STAT_N; s++) {
    Hist *h = &hists[s];
    if (!h->n)
      continue;
    GString *line = g_string_new(NULL);
    g_string_append_printf(line,
                           "hub-stats: %s n=%" G_GUINT64_FORMAT " mean=%" G_GINT64_FORMAT
                           "us max=%" G_GINT64_FORMAT "us |",
                           names[s], h->n, h->sum / (gint64)h->n, h->max);
    for (guint i = 0; i < NB; i++)
      if (h->count[i]) {
        if (i < NB - 1)
          g_string_append_printf(line, " <=%" G_GINT64_FORMAT ":%" G_GUINT64_FORMAT, bounds[i],
                                 h->count[i]);
        else
          g_string_append_printf(line, " >%" G_GINT64_FORMAT ":%" G_GUINT64_FORMAT, bounds[NB - 2],
                                 h->count[i]);
      }
    fprintf(stderr, "%s\n", line->str);
    fflush(stderr);
    g_string_free(line, TRUE);
    *h = (Hist){0};
  }
}
