/* When a repeating document falls: an RFC 5545 RRULE walked by libical in wall-clock time of a
 * named time zone (the household's: "Europe/Oslo"), so "08:00 every day" stays at 08:00 on both
 * sides of a daylight-saving change, whatever the zone of the process that asks. Shared by the
 * reminders plugin (its strip, its due cards) and the hub (escalation of reminders not
 * confirmed), so both agree on every occurrence.
 *
 * A rule without COUNT is walked from a recent occurrence, not from its first: a rule that has
 * repeated every 30 minutes for six years costs what a new one does. COUNT (at most 1000, as the
 * hub allows) is walked from the start, as it counts from there. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct VinduRecurrence VinduRecurrence;

#define VINDU_RECURRENCE_ERROR (vindu_recurrence_error_quark())
GQuark vindu_recurrence_error_quark(void);
typedef enum {
  VINDU_RECURRENCE_BAD_RULE, /* not an RRULE, or a frequency finer than a day */
  VINDU_RECURRENCE_BAD_ZONE, /* not a time zone this system knows */
} VinduRecurrenceError;

/* `first`: the first time (seconds since 1970); `rrule`: NULL or "" for once; `zone`: an IANA
 * name; NULL for the process's own zone (only for documents older than
 * their time zone member). NULL with `error` set when the rule or the zone is not understood. */
VinduRecurrence *vindu_recurrence_new(gint64 first, const char *rrule, const char *zone,
                                      GError **error);
void vindu_recurrence_free(VinduRecurrence *r);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VinduRecurrence, vindu_recurrence_free)

/* Calls found(t, data) for each occurrence t in [from, to), soonest first, until it returns
 * FALSE; returns how many it found. Walks at most VINDU_RECURRENCE_MAX_STEPS steps. */
#define VINDU_RECURRENCE_MAX_STEPS 20000
guint vindu_recurrence_each(const VinduRecurrence *r, gint64 from, gint64 to,
                            gboolean (*found)(gint64 t, gpointer data), gpointer data);

/* The first occurrence at or after `from` and before `to`, or -1. */
gint64 vindu_recurrence_next(const VinduRecurrence *r, gint64 from, gint64 to);

/* The wall-clock hour and minute of `t` in the zone (for words on the screen). */
void vindu_recurrence_local_hm(const VinduRecurrence *r, gint64 t, int *hour, int *minute);

G_END_DECLS
