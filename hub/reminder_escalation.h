/* Reminders that are not confirmed, told on the hub (the kiosk may be offline): when a reminder
 * names a person to tell (`tell`), and `tell_after_minutes` after an occurrence no "done"
 * answer for it has come, that person gets `reminder.escalated` (docs/protocol.md) — once per
 * occurrence, kept in the database, and again at their next sign-in within a day. With the
 * household's screen offline the message says since when. Occurrences are walked by the same
 * code as the kiosk's (plugins/common/recurrence.h), in the reminder's time zone. */
#pragma once

#include "hub.h"

G_BEGIN_DECLS

/* One reminder occurrence not confirmed in time. */
typedef struct {
  const char *household;
  const char *doc;
  const char *title;
  const char *resident;
  const char *person;         /* who is told */
  gint64 due;                 /* the occurrence */
  gint64 kiosk_offline_since; /* 0 while a screen of the household is connected */
  gint64 at;                  /* when the hub decided */
} HubReminderNotConfirmed;

/* Checks every reminder now and then (every `period_s`, and at once). */
void reminder_escalation_start(Hub *hub, guint period_s);
void reminder_escalation_stop(Hub *hub);
/* One check at `now` (tests call it too); returns how many were told. */
guint reminder_escalation_check(Hub *hub, gint64 now);
/* The event: tells the person on every page they have open. A later pusher (Web Push) hooks
 * here, so that a closed page is reached too. */
void hub_reminder_not_confirmed(Hub *hub, const HubReminderNotConfirmed *e);
/* At a person's sign-in: what was escalated to them in the last day and is still unconfirmed. */
void reminder_escalation_send_pending(Conn *c);

G_END_DECLS
