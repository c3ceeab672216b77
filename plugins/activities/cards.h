/* The activities plugin's cards, each shown and read aloud: the invitation (picture, what,
 * where, when in words, who invites; "Yes, I'll come" / "No, thank you" / "Call me"), the ride
 * question, the confirmation in words ("Wenche will pick you up today at 12:40"), a new time, a
 * cancellation, and the reminders. Card ids are "<what>:<doc>" (cards_doc_of takes them
 * apart). */
#pragma once

#include "activity.h"

#include "vindu/plugin.h"

typedef enum { REMIND_EVENING, REMIND_HOUR, REMIND_PICKUP } ActivityReminder;

void cards_invite(const VinduHost *host, const Activity *a, gboolean new_time);
void cards_ride(const VinduHost *host, const Activity *a);
void cards_confirm(const VinduHost *host, const Activity *a);
void cards_changed(const VinduHost *host, const Activity *a);
void cards_cancelled(const VinduHost *host, const Activity *a);
void cards_reminder(const VinduHost *host, const Activity *a, ActivityReminder which);
/* Takes away every card of this activity (it is over, or deleted). */
void cards_close_all(const VinduHost *host, const char *doc);

/* "invite:coffee" -> "invite" and "coffee"; FALSE when it is not one of ours. */
gboolean cards_doc_of(const char *card_id, char **what, char **doc);
