/* Check-ins coming due, pushed to staff: when the time of an agreed check-in call (a `checkin`
 * document, docs/protocol.md) arrives and no answered call with its person has happened near it,
 * the hub pushes `checkin_due` (push.h) to the check-in's person, or, when it names nobody, to
 * every staff member and coordinator of the household. Once per check-in and time, kept in the
 * database (a moved check-in is due again at its new time). */
#pragma once

#include "hub.h"

G_BEGIN_DECLS

/* Checks every `period_s` (and at once). */
void checkin_due_start(Hub *hub, guint period_s);
void checkin_due_stop(Hub *hub);
/* One check at `now`; returns how many pushes were queued. */
guint checkin_due_check(Hub *hub, gint64 now);

G_END_DECLS
