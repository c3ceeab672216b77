/* Storing one revision of a plugin document, shared by `doc.put` and `doc.put_many`: the
 * checks that need no database and the wake-up of the household's connected kiosks after the
 * commit (documents.c), the write with one delivery per kiosk of the household inside the
 * caller's transaction (doc_store.c). */
#pragma once

#include "hub.h"

G_BEGIN_DECLS

typedef struct {
  const char *household;
  const char *kind;
  const char *doc;
  gint64 base_rev;
  const char *body; /* JSON text, "{}" when deleted */
  gboolean deleted;
  const char *author;
} DocWrite;

typedef enum { DOC_STORED, DOC_CONFLICT, DOC_FAILED } DocStored;

/* The writer may put w->kind in w->household and the body fits it (stamped with its author).
 * FALSE once the error is answered to `re`; a household or right error names
 * `household_field` (may be NULL). */
gboolean documents_put_allowed(Conn *c, const char *re, const DocWrite *w, JsonNode *body,
                               const char *household_field);
/* The body's stored text, or NULL once "too large" is answered. */
char *documents_body_text(Conn *c, const char *re, JsonNode *body, gboolean deleted);
/* Inside a transaction the caller began. DOC_STORED: *rev is the new revision; DOC_CONFLICT:
 * *rev is the current one; DOC_FAILED: error is set. The caller rolls back on anything else
 * than DOC_STORED. */
DocStored documents_store(HubDb *db, const DocWrite *w, gint64 *rev, GError **error);
/* After the commit: send what waits to the household's connected kiosks. */
void documents_flush_household(Hub *hub, const char *household);
void documents_send_conflict(Conn *c, const char *re, gint64 current);

G_END_DECLS
