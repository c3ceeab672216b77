#define G_LOG_DOMAIN "vindu-hub"
#include "call_reach.h"

#include "push.h"

static gboolean
is_person(const char *subject)
{
  return subject && g_str_has_prefix(subject, "p_");
}

gboolean
call_reach_by_push(Hub *hub, Conn *caller, const char *callee)
{
  return caller && caller->role == CONN_KIOSK && is_person(callee) &&
         push_person_reachable(hub, callee);
}

void
call_reach_ring(Hub *hub, const char *call, const char *household, const char *callee,
                const char *from)
{
  if (!is_person(callee))
    return;
  PushNotice notice = {.kind = "call",
                       .household = household,
                       .from = from,
                       .call = call,
                       .ttl_s = hub->config->ring_timeout_s};
  push_notify_person(hub, callee, &notice);
}

gboolean
call_reach_missed(Hub *hub, const char *call, const char *household, const char *callee,
                  const char *from)
{
  if (!is_person(callee))
    return FALSE;
  PushNotice notice = {.kind = "missed_call", .household = household, .from = from, .call = call};
  guint pushed = push_notify_person(hub, callee, &notice);
  GPtrArray *open = hub_subject_conns(hub, callee);
  return pushed > 0 || (open && open->len > 0);
}
