/* The reminders plugin's own words, in the four languages of the kiosk (nb, nn, sv, en): its
 * buttons and the time said in words on the card. The buttons say what the kiosk's own "Done" and
 * "Later" say in po/ (the card golden images show them), so one screen never has two words for
 * one thing. */
#pragma once

#include <glib.h>

const char *reminder_word_done(const char *language);
const char *reminder_word_later(const char *language);
/* "Klokka er 08:00 om morgenen." transfer full */
char *reminder_time_in_words(const char *language, int hour, int minute);
