/* How the hub notices idle and dead connections without lws's per-connection timers. */
#pragma once

#include <libwebsockets.h>

/* The retry and idle policy for the hub's vhost: no validity ping or hang-up timer per
 * connection (see idle_policy.c for why). Dead peers are found by TCP keepalive (ka_time, in
 * server.c) and connections that never say hello by the hub's one-second sweep. */
const lws_retry_bo_t *hub_idle_policy(void);
