/* lws 4.1 keeps every timer of the loop in one sorted list (__lws_sul_insert walks it from the
 * head). Its default retry policy gives each connection a validity timer 300 s ahead, re-inserted
 * whenever the connection receives anything: with N connections that insertion walks all N, the
 * hub's cost per connect and per frame grew with N (70 % of its CPU in lws_dll2_add_sorted at 20k
 * connections). With both validity thresholds 0 lws sets no such timer; the hub's own sweeps
 * (server.c, gate.c) and TCP keepalive do that work once a second for all connections. */
#include "idle_policy.h"

#include <glib.h>
#include <malloc.h>

static const lws_retry_bo_t idle_policy = {
    .secs_since_valid_ping = 0,
    .secs_since_valid_hangup = 0,
};

const lws_retry_bo_t *
hub_idle_policy(void)
{
  return &idle_policy;
}

#define TRIM_MIN_DROP 1000 /* connections: below this, what could be returned is not worth it */

/* Trims after a drop: a connection leaves the count before all of its memory (TLS state, lws's
 * wsi) is freed, so at 8,000 closed at once the first trim found 140 MB still in use and the
 * heap kept it (bench/hub-connect-cost); the later trims return it. */
#define TRIMS_PER_DROP 3

void
hub_memory_return_check(unsigned int connections)
{
  static unsigned int peak;
  static int trims_left;
  if (connections > peak)
    peak = connections;
  /* half of the peak gone, and at least TRIM_MIN_DROP: the heap's free pages go back */
  if (peak - connections >= TRIM_MIN_DROP && connections <= peak / 2) {
    trims_left = TRIMS_PER_DROP;
    peak = connections;
  }
  if (trims_left > 0) {
    trims_left--;
    malloc_trim(0);
  }
}
