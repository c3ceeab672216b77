/* Web Push for the hub: people's browser subscriptions (push.subscribe / push.unsubscribe /
 * push.key, docs/protocol.md) and the notices the hub pushes to them. Sending happens on
 * worker threads (push_send.h); a subscription the push service calls gone (404/410) is
 * dropped. Without a working sender (no CA store) subscriptions are kept and nothing is sent. */
#pragma once

#include "hub.h"

G_BEGIN_DECLS

typedef struct _HubPush HubPush;

/* Load or make the VAPID key (DATA_DIR/push/vapid.pem) and start the sender. (transfer full) */
HubPush *push_new(Hub *hub, GError **error);
void push_free(HubPush *push);

void push_handle(Conn *c, VpMessage *m);

/* What a push says. `kind`: "call", "missed_call", "message", "reminder", "checkin_due".
 * `text` (a message's words, a reminder's title) is sent only to subscriptions whose person
 * allowed it (`show_text`); every other field is no secret of the message. */
typedef struct {
  const char *kind;
  const char *household;
  const char *from;         /* who: the resident's or a person's name */
  const char *call;         /* call id (call, missed_call) */
  const char *msg;          /* message id (message) */
  const char *message_kind; /* text / photo / voice (message) */
  const char *text;         /* only with show_text */
  gint64 at;                /* when it happened */
  int ttl_s;                /* how long it is worth delivering (0: one day) */
} PushNotice;

/* Push to every subscription of `person`; returns how many were queued. Never blocks. This is
 * the call for other parts of the hub (reminder escalation, check-ins due). */
guint push_notify_person(Hub *hub, const char *person, const PushNotice *notice);
/* Does `person` have a subscription (so a push could reach a closed page)? */
gboolean push_person_reachable(Hub *hub, const char *person);
/* Pushes queued or in flight. */
guint push_pending(Hub *hub);

G_END_DECLS
