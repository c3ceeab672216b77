/* The reminders that are due now: each one a full-screen card (the words large, the photo, the
 * time in words, "Done" and "Later"), with a chime and the words read aloud twice, a little
 * apart. "Later" brings the card back after ten minutes, at most three times; a card left
 * unanswered for the reminder's waiting time goes, and the answer is "not confirmed". Every
 * change is an answer to the family through the host (`answer`, exactly once), and the list is
 * kept in the plugin's storage so that a restarted runner goes on where it was. The host keeps
 * chime and speech silent in quiet hours and during a call, and holds a card until a call ends. */
#pragma once

#include "reminder_doc.h"
#include "vindu/plugin.h"

#define REMINDER_LATER_S (10 * 60)
#define REMINDER_LATER_MAX 3
#define REMINDER_SAY_AGAIN_S 15

typedef struct DueCards DueCards;

DueCards *due_cards_new(const VinduHost *host);
void due_cards_free(DueCards *d);
/* The occurrence `due` of `r` came due (now, or while the kiosk was off): its card shows when
 * it is still within its waiting time, else it is answered "not confirmed". */
void due_cards_add(DueCards *d, const Reminder *r, gint64 due, GHashTable *reminders);
/* The resident touched "done" or "later" on card `card_id`, or it was closed. FALSE: not ours. */
gboolean due_cards_action(DueCards *d, const char *card_id, const char *action,
                          GHashTable *reminders);
/* Time passed: cards come back, are said again, or run out. Sets the host's timer again. */
void due_cards_tick(DueCards *d, GHashTable *reminders);
/* A reminder was changed or deleted: its waiting cards go. */
void due_cards_forget(DueCards *d, const char *doc);
/* How many occurrences are waiting for an answer. */
guint due_cards_count(const DueCards *d);

#define DUE_CARDS_TIMER 2
