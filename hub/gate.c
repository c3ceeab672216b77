/* Unauthenticated connections bounded (gate.h). */
#define G_LOG_DOMAIN "vindu-hub"
#include "gate.h"

#include <string.h>
#include <sys/resource.h>

#define FD_RESERVE 256
#define ACCEPT_LOG_INTERVAL_S 10

gboolean
gate_admit(Conn *c)
{
  Hub *hub = c->hub;
  guint here = GPOINTER_TO_UINT(g_hash_table_lookup(hub->unauth_by_address, c->address));
  if (here >= (guint)hub->config->unauth_per_address ||
      hub->unauth_total >= (guint)hub->config->unauth_total)
    return FALSE;
  g_hash_table_replace(hub->unauth_by_address, g_strdup(c->address), GUINT_TO_POINTER(here + 1));
  hub->unauth_total++;
  c->gated = TRUE;
  return TRUE;
}

void
gate_leave(Conn *c)
{
  if (!c->gated)
    return;
  Hub *hub = c->hub;
  c->gated = FALSE;
  hub->unauth_total--;
  guint here = GPOINTER_TO_UINT(g_hash_table_lookup(hub->unauth_by_address, c->address));
  if (here <= 1)
    g_hash_table_remove(hub->unauth_by_address, c->address);
  else
    g_hash_table_replace(hub->unauth_by_address, g_strdup(c->address), GUINT_TO_POINTER(here - 1));
}

void
gate_sweep(Hub *hub, gint64 now_us)
{
  gint64 limit_us = (gint64)hub->config->pair_wait_s * G_USEC_PER_SEC;
  GHashTableIter it;
  gpointer value;
  g_hash_table_iter_init(&it, hub->unpaired);
  while (g_hash_table_iter_next(&it, NULL, &value)) {
    Conn *c = value;
    if (!c->closing && now_us - c->connected_at_us > limit_us)
      conn_close(c, LWS_CLOSE_STATUS_POLICY_VIOLATION, "pairing took too long");
  }
}

int
gate_max_connections(const HubConfig *config)
{
  struct rlimit rl;
  int from_limit = 1024 - FD_RESERVE;
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
    if (rl.rlim_cur < rl.rlim_max) {
      rl.rlim_cur = rl.rlim_max;
      setrlimit(RLIMIT_NOFILE, &rl);
      getrlimit(RLIMIT_NOFILE, &rl);
    }
    if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur > FD_RESERVE * 2)
      from_limit = (int)MIN(rl.rlim_cur - FD_RESERVE, (rlim_t)G_MAXINT);
  }
  if (config->max_connections > 0)
    return MIN(config->max_connections, from_limit);
  return from_limit;
}

void
gate_lws_log(int level, const char *line)
{
  static gint64 window_start;
  static guint failures;
  const char *accept_failed = strstr(line, "accept: errno");
  if (accept_failed) {
    gint64 now = g_get_monotonic_time() / G_USEC_PER_SEC;
    failures++;
    if (window_start == 0 || now - window_start >= ACCEPT_LOG_INTERVAL_S) {
      g_autofree char *what = g_strstrip(g_strdup(accept_failed));
      g_warning("accepting connections failed %u time(s) in the last %d s (%s)", failures,
                ACCEPT_LOG_INTERVAL_S, what);
      failures = 0;
      window_start = now;
    }
    return;
  }
  g_autofree char *copy = g_strstrip(g_strdup(line));
  if (level & LLL_ERR)
    g_warning("lws: %s", copy);
  else
    g_message("lws: %s", copy);
}

guint
gate_unauth_count(Hub *hub)
{
  return hub->unauth_total;
}
