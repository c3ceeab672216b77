#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/call_resume.h"

#include <string.h>

/* Request ids of our own: "resume:CALL" (never a number, as new_id's are). */
#define RESUME_ID_PREFIX "resume:"

static gboolean
in_call(const CallState *cs)
{
  return cs->state == CALL_STATE_CONNECTING || cs->state == CALL_STATE_IN_CALL ||
         cs->state == CALL_STATE_RECONNECTING;
}

static gboolean
we_hung_up(const CallState *cs)
{
  return cs->state == CALL_STATE_ENDED &&
         (cs->end_reason == CALL_END_HUNG_UP || cs->end_reason == CALL_END_LOST);
}

VpMessage *
vk_call_resume_on_signed_in(const CallState *cs, const char *call_id)
{
  if (!call_id || (!in_call(cs) && !we_hung_up(cs)))
    return NULL;
  VpMessage *m = vp_message_new(in_call(cs) ? VP_CALL_RESUME : VP_CALL_HANGUP);
  g_autofree char *id = g_strconcat(RESUME_ID_PREFIX, call_id, NULL);
  vp_message_set_string(m, "id", id);
  vp_message_set_string(m, "call", call_id);
  if (!in_call(cs) && cs->end_reason == CALL_END_LOST)
    vp_message_set_string(m, "reason", "peer_lost");
  return m;
}

gboolean
vk_call_resume_refused(const CallState *cs, const char *call_id, const char *re, const char *code,
                       gboolean *gone)
{
  *gone = FALSE;
  if (!re || !g_str_has_prefix(re, RESUME_ID_PREFIX))
    return FALSE;
  /* not_found: the hub has ended the call while we were away; anything else changes nothing */
  *gone = call_id && g_str_equal(re + strlen(RESUME_ID_PREFIX), call_id) && in_call(cs) &&
          g_strcmp0(code, "not_found") == 0;
  return TRUE;
}

CallEventId
vk_call_resume_hangup_event(VpMessage *hangup)
{
  return g_strcmp0(vp_message_get_string(hangup, "reason"), "peer_lost") == 0
             ? CALL_EVENT_CALL_GONE
             : CALL_EVENT_REMOTE_HANGUP;
}

VpMessage *
vk_call_resume_answer_stale(const CallState *cs, const char *call_id, VpMessage *m)
{
  VpType type = vp_message_type(m);
  if (type != VP_CALL_SDP || !call_id || g_strcmp0(vp_message_get_string(m, "call"), call_id) != 0)
    return NULL;
  if (cs->state != CALL_STATE_IDLE && cs->state != CALL_STATE_ENDED)
    return NULL;
  VpMessage *bye = vp_message_new(VP_CALL_HANGUP);
  vp_message_set_string(bye, "call", call_id);
  return bye;
}
