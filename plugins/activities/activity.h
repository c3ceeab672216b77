/* One invitation as the plugin knows it: the document's fields (plugins/activities/
 * manifest.json) and what the resident answered, with the few facts that must outlast a
 * restart of the runner (which revision she has seen, the time and cancellation she was told
 * about, her answer) kept in the plugin's storage as one short line per document. */
#pragma once

#include <glib.h>

typedef enum { REPLY_NONE, REPLY_YES, REPLY_NO, REPLY_CALL } ActivityReply;

typedef struct {
  char *doc;
  gint64 rev;
  char *title, *photo, *place, *address, *invited_by, *invited_by_name, *ride_by;
  gint64 starts_at, ends_at, answer_by, pickup_at; /* 0 when absent (ends_at: starts_at + 2 h) */
  gboolean ride_offered, cancelled;
  /* remembered across restarts (storage) */
  gint64 seen_rev;      /* the last revision the resident was told about */
  gint64 told_at;       /* the start time she was told */
  gboolean told_cancel; /* she was told it is cancelled */
  ActivityReply reply;
  int ride; /* she asked for a ride: 1, said she needs none: 0, not asked: -1 */
} Activity;

/* The document's body into a new Activity, or NULL when it lacks a title or a start. */
Activity *activity_parse(const char *doc, gint64 rev, const char *body_json);
void activity_free(Activity *a);

/* When it is over (its end, or two hours after its start). */
gint64 activity_ends(const Activity *a);

/* "Kaffe — Dagsenteret" (the title with the place). transfer full */
char *activity_label(const Activity *a);

/* The remembered part, as a storage line, and back into `a` (FALSE when the line is not one). */
char *activity_memory_line(const Activity *a);
gboolean activity_memory_read(Activity *a, const char *line);

/* The answer body for the hub: {"reply": "yes", "ride": true, "at": now}. transfer full */
char *activity_answer_json(const Activity *a, gint64 now);
