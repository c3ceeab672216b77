/* The activities plugin's own words, in the four languages of the kiosk (nb, nn, sv, en): the
 * buttons, the sentences of its cards, and times said in words ("i morgen klokka 13:00",
 * "Thursday 4 December at 13:00"). A plugin has no share of the kiosk's translations, so they
 * live here, one table. */
#pragma once

#include <glib.h>

typedef enum {
  W_YES,           /* "Yes, I'll come" */
  W_NO,            /* "No, thank you" */
  W_CALL,          /* "Call me" */
  W_RIDE_TITLE,    /* "Do you need a ride?" */
  W_RIDE_YES,      /* "Yes, I need a ride" */
  W_RIDE_NO,       /* "No, I'll get there" */
  W_INVITES,       /* "%s invites you." */
  W_ANSWER_BY,     /* "Please answer by %s." */
  W_SAID_YES,      /* "You said yes. See you %s." */
  W_SAID_NO,       /* "You said no, thank you." */
  W_PICKUP_BY,     /* "%s will pick you up %s." (driver, when) */
  W_PICKUP_ANYONE, /* "You will be picked up %s." */
  W_DRIVES,        /* "%s will drive you there." */
  W_CANCELLED,     /* "Cancelled" (title prefix) */
  W_IS_CANCELLED,  /* "%s %s is cancelled." (what, when) */
  W_NEW_TIME,      /* "New time" (title prefix) */
  W_NOW_AT,        /* "It is now %s." */
  W_REMEMBER,      /* "Remember: %s %s." (what, when) */
  W_COMING_NOW,    /* "%s is coming to pick you up now." */
  W_PICKED_NOW,    /* "You will be picked up now." */
  W_STRIP_ANSWER,  /* "Answer the invitation" */
  W_STRIP_CHANGE,  /* "Change your answer" */
  W_CHANGE,        /* "Change my answer" (a card's button) */
  W_UNTIL,         /* ", until %s" */
  W__COUNT
} ActivityWord;

/* The phrase in `lang` (nb when unknown). transfer none */
const char *activity_word(const char *lang, ActivityWord w);

/* When, in words, lower-case as inside a sentence: "i dag klokka 13:00", "i morgen klokka
 * 13:00", "torsdag 4. desember klokka 13:00" (English: "today at 13:00", "Thursday 4 December
 * at 13:00"), in local time, relative to `now`. transfer full */
char *activity_when(const char *lang, gint64 at, gint64 now);

/* `s` with its first letter in upper case, for the start of a sentence. transfer full */
char *activity_capitalised(const char *s);
