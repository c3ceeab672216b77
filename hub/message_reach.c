#define G_LOG_DOMAIN "vindu-hub"
#include "message_reach.h"

#include "push.h"

void
message_reach_posted(Hub *hub, const char *sender, const char *sender_name, const char *household,
                     const char *msg, const char *kind, const char *text, const char *recipient)
{
  if (!g_str_has_prefix(sender, "k_") || !g_str_has_prefix(recipient, "p_"))
    return;
  PushNotice notice = {.kind = "message",
                       .household = household,
                       .from = sender_name,
                       .msg = msg,
                       .message_kind = kind,
                       .text = text};
  push_notify_person(hub, recipient, &notice);
}
