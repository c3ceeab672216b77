/* A message from a kiosk (a reply, a voice note) is pushed to the person it is for, so a closed
 * page learns of it; the words only to browsers whose person allowed it (push.h). */
#pragma once

#include "hub.h"

G_BEGIN_DECLS

/* After the message `msg` was committed: push it to `recipient` when a kiosk sent it to a
 * person. */
void message_reach_posted(Hub *hub, const char *sender, const char *sender_name,
                          const char *household, const char *msg, const char *kind,
                          const char *text, const char *recipient);

G_END_DECLS
