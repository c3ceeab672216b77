/* lws 4.1 keeps every timer of the loop in one sorted list (__lws_sul_insert walks it from the
 * head). Its default retry policy gives each connection a validity timer 300 s ahead, re-inserted
 * whenever the connection receives anything: with N connections that insertion walks all N, the
 * hub's cost per connect and per frame grew with N (70 % of its CPU in lws_dll2_add_sorted at 20k
 * connections). With both validity thresholds 0 lws sets no such timer; the hub's own sweeps
 * (server.c, gate.c) and TCP keepalive do that work once a second for all connections. */
#include "idle_policy.h"

static const lws_retry_bo_t idle_policy = {
    .secs_since_valid_ping = 0,
    .secs_since_valid_hangup = 0,
};

const lws_retry_bo_t *
hub_idle_policy(void)
{
  return &idle_policy;
}
