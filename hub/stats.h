/* Debug timing of the hub's loop, on only when VINDU_HUB_STATS is set (bench/hub-load sets it):
 * how long each loop iteration kept the thread busy, and how long each outgoing frame waited in
 * its connection's queue before lws_write; and the thread CPU time of each iteration, because
 * on a loaded machine a long wall-clock iteration is often the hub waiting for a core, not
 * working. Printed to stderr as histograms on SIGUSR1 (bench/hub-load sends one before and one
 * after the relay phase), so the benchmark can tell hub latency from the measuring client's. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum { HUB_STAT_LOOP_BUSY, HUB_STAT_LOOP_CPU, HUB_STAT_QUEUE_WAIT, HUB_STAT_N } HubStat;

extern gboolean hub_stats_enabled;

void hub_stats_init(void);
/* one sample in microseconds */
void hub_stats_add(HubStat stat, gint64 us);
/* microseconds of CPU time this thread has used */
gint64 hub_stats_thread_cpu_us(void);
/* print the histograms gathered since the last print, then reset them */
void hub_stats_print(void);

G_END_DECLS
