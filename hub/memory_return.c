/* Gives the heap's free pages back after a reconnect storm, a load test or a burst of sign-ins
 * (memory_return.h says when). glibc keeps freed memory for reuse; malloc_trim(0) also returns
 * whole free pages in the middle of the heap, which is where a burst of handshakes leaves them. */
#include "memory_return.h"

#include <malloc.h>

static gboolean
dropped(HubMemoryReturn *m, unsigned int connections)
{
  if (connections > m->peak)
    m->peak = connections;
  if (m->peak - connections < HUB_MEMORY_TRIM_MIN_CHANGE || connections > m->peak / 2)
    return FALSE;
  m->peak = connections;
  return TRUE;
}

static gboolean
about_the_same(unsigned int a, unsigned int b)
{
  unsigned int margin = MAX(HUB_MEMORY_STEADY_MARGIN_MIN, b / 100);
  return (a > b ? a - b : b - a) <= margin;
}

static gboolean
grown_and_settled(HubMemoryReturn *m, unsigned int connections)
{
  if (connections < m->settled)
    m->settled = connections;
  if (!about_the_same(connections, m->last))
    m->steady_seconds = 0;
  else if (m->steady_seconds < HUB_MEMORY_STEADY_SECONDS)
    m->steady_seconds++;
  m->last = connections;
  if (connections - m->settled < HUB_MEMORY_TRIM_MIN_CHANGE ||
      m->steady_seconds < HUB_MEMORY_STEADY_SECONDS)
    return FALSE;
  m->settled = connections;
  return TRUE;
}

gboolean
hub_memory_return_due(HubMemoryReturn *m, unsigned int connections)
{
  gboolean growth = grown_and_settled(m, connections);
  if (dropped(m, connections))
    m->trims_left = HUB_MEMORY_TRIMS_PER_DROP;
  if (m->trims_left > 0) {
    m->trims_left--;
    return TRUE;
  }
  return growth;
}

void
hub_memory_return_check(unsigned int connections)
{
  static HubMemoryReturn state;
  if (hub_memory_return_due(&state, connections))
    malloc_trim(0);
}
