/* Checks a plugin document's body (or a plugin answer's) against its kind's fields from the
 * manifest: each field's JSON shape, its bounds, and for photos and people that they belong to
 * the household. The first problem is reported with a protocol code, the field's name and a
 * sentence, so the writer learns what to fix; the caller stores nothing then. */
#pragma once

#include "hub.h"
#include "manifests.h"

G_BEGIN_DECLS

typedef struct {
  VpErrorCode code;
  char *field;    /* the offending field, or NULL when the body as a whole is wrong */
  char *sentence; /* for a person: "What to do" is too long (at most 200 characters). */
} HubBodyError;
void hub_body_error_clear(HubBodyError *e);

/* TRUE if body (any JSON node) fits `fields`. Unknown members are refused (out_of_range): a
 * field the plugin does not read would be lost on the way without anyone knowing. */
gboolean hub_body_check(Hub *hub, const char *household, const GPtrArray *fields, JsonNode *body,
                        HubBodyError *error);
/* Sets every `author` field of body: who wrote a document is the hub's to say, not the form's.
 * A change keeps the author of the stored revision `before` (NULL for a new document): moving a
 * memory-book page must not make the mover its "added by". Otherwise writer (a person's id);
 * a kiosk writer (k_…) leaves those fields out. */
void hub_body_stamp_author(const GPtrArray *fields, JsonNode *body, const char *writer,
                           JsonNode *before);
/* The RRULE subset a repetition field accepts (exposed for the unit tests). */
gboolean hub_rrule_valid(const char *rrule);

G_END_DECLS
