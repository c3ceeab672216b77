/* Check-ins coming due, pushed to staff: when the time of an agreed check-in call (a `checkin`
 * document, docs/protocol.md) arrives and no answered call with its person has happened near it,
 * the hub pushes `checkin_due` (push.h; server.c looks every 5 s) to the check-in's person, or,
 * when it names nobody, to every staff member and coordinator of the household. Once per check-in
 * and time, kept in the database (a moved check-in is due again at its new time). */
#pragma once

#include "db.h"

G_BEGIN_DECLS

/* A check-in is worth telling while its call still counts as made on time: the staff
 * overview's window (household.c) is an hour either side of its time. */
#define HUB_CHECKIN_DUE_WINDOW_S 3600

/* One check-in come due, and the people to push it to. */
typedef struct {
  char *household, *doc, *resident, *title; /* title may be NULL */
  gint64 at;
  GPtrArray *people; /* person ids */
} HubCheckinDue;
void hub_checkin_due_free(HubCheckinDue *d);

/* The check-ins come due at `now` and not told yet, each recorded as told (so a caller pushes
 * each once). (element-type HubCheckinDue) (transfer full) */
GPtrArray *checkin_due_take(HubDb *db, gint64 now);

G_END_DECLS
