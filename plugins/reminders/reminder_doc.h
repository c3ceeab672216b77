/* One reminder document, read from its body (docs/plugin-manifest.md, kind "reminder"):
 *   {"title": "Take your heart pills", "starts_at": <first time>, "rrule": "FREQ=DAILY",
 *    "time_zone": "Europe/Oslo", "photo": <file hash>, "wait_minutes": 30, ...}
 * Members the kiosk does not act on (who is told, and when: the hub does that) are ignored. */
#pragma once

#include "common/recurrence.h"
#include <glib.h>

#define REMINDER_WAIT_DEFAULT_S (30 * 60)

typedef struct {
  char *doc;
  gint64 rev;
  char *title;
  char *photo; /* 64 hex digits, or NULL */
  int wait_s;  /* how long the card may wait for an answer */
  VinduRecurrence *when;
  /* the occurrences in [span_from, span_to), kept: the strip asks for nearly the same window
   * every minute */
  gint64 span_from, span_to;
  GArray *span; /* gint64 */
} Reminder;

/* NULL when the body is not a reminder this plugin understands. */
Reminder *reminder_from_body(const char *doc, gint64 rev, const char *body_json);
void reminder_free(Reminder *r);
/* The occurrences in [from, to), from the kept span (walked again when the window leaves it).
 * transfer none */
GArray *reminder_occurrences(Reminder *r, gint64 from, gint64 to);
