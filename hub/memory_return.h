/* When the hub gives freed heap back to the system (malloc_trim). The decision is a pure function
 * of the connection count seen by the one-second sweep, so its rules can be tested by counts. */
#pragma once

#include <glib.h>

typedef struct {
  unsigned int peak;    /* highest count since the last drop */
  unsigned int settled; /* count at the last trim after growth, or the lowest since */
  unsigned int last;    /* count at the previous sweep */
  int steady_seconds;   /* sweeps in a row with the count about the same (capped) */
  int trims_left;       /* trims still due after a drop */
} HubMemoryReturn;

#define HUB_MEMORY_TRIM_MIN_CHANGE 1000 /* connections: below this, not worth a trim */
#define HUB_MEMORY_TRIMS_PER_DROP 3
#define HUB_MEMORY_STEADY_SECONDS 3
/* "About the same": a busy hub always has a few connections arriving and leaving (browsers,
 * kiosks reconnecting, scanners), so a count that never stands exactly still still settles */
#define HUB_MEMORY_STEADY_MARGIN_MIN 50 /* connections, or 1 % of the count if more */

/* Called once a second with the number of connections held; TRUE when a trim is due now:
 *  - after a drop (half of the peak gone, at least HUB_MEMORY_TRIM_MIN_CHANGE), on the second it
 *    is seen and the next HUB_MEMORY_TRIMS_PER_DROP - 1: closed connections free their TLS state
 *    and lws's wsi a little after they leave the count, so the first trim finds most in use;
 *  - after growth (at least HUB_MEMORY_TRIM_MIN_CHANGE above the lowest count since the last
 *    such trim), once the count has stayed about the same for HUB_MEMORY_STEADY_SECONDS: each
 *    TLS handshake frees ~20 KB of buffers between the connection's lasting allocations, and
 *    those holes are whole pages. */
gboolean hub_memory_return_due(HubMemoryReturn *m, unsigned int connections);

/* hub_memory_return_due on the hub's own state, and malloc_trim(0) when it says so. */
void hub_memory_return_check(unsigned int connections);
