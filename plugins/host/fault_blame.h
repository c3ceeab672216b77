/* Which document a plugin's fault counts against (docs/plugins.md, "Quarantine"). A fault while
 * the plugin takes a document (put) counts against that document's revision. A fault in
 * today(), photos() or action() counts against the document the plugin was last given as it
 * arrived (the newest change is the likeliest cause), or, when none arrived since the host
 * started, the last one replayed to it. A fault in timer() counts against the document the
 * plugin was last given when it set that timer. So a document that makes a plugin fail only
 * later, when the strip or a timer asks, is set aside too, instead of bringing the plugin down
 * for ever. One per plugin; main thread only. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct {
  char *kind, *doc;
  gint64 rev;
} FaultBlameDoc;

typedef struct FaultBlame FaultBlame;

FaultBlame *fault_blame_new(void);
void fault_blame_free(FaultBlame *b);
/* A document was sent to the plugin: `fresh` when it just arrived, FALSE when replayed. */
void fault_blame_given(FaultBlame *b, const char *kind, const char *doc, gint64 rev,
                       gboolean fresh);
/* The plugin set (or moved) timer `id`. */
void fault_blame_timer_set(FaultBlame *b, gint64 id);
/* The document a fault during `request` (the call in flight, may be NULL) counts against, or
 * NULL. transfer none: valid until the next call here. */
const FaultBlameDoc *fault_blame_for(FaultBlame *b, JsonObject *request);

G_END_DECLS
