/* Documents set aside: a document that brought its plugin's runner down three times (crashed,
 * hung, or over its memory) is not handed to that plugin again — not at the next start of the
 * runner, not after the kiosk restarts — until a new revision of it arrives. Kept as a JSON file
 * in the kiosk's data folder, so a kiosk that crash-looped on a document can never do so again. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define VINDU_QUARANTINE_FAULTS 3

typedef struct {
  char *plugin, *kind, *doc;
  gint64 rev;
  guint faults;
} VinduQuarantined;

typedef struct _VinduQuarantine VinduQuarantine;

/* path NULL: kept in memory only. */
VinduQuarantine *vindu_quarantine_new(const char *path);
void vindu_quarantine_free(VinduQuarantine *q);

/* One more fault for this revision; TRUE when that set it aside. */
gboolean vindu_quarantine_fault(VinduQuarantine *q, const char *plugin, const char *kind,
                                const char *doc, gint64 rev);
/* Is this revision (or a later one seen set aside) set aside? */
gboolean vindu_quarantine_holds(VinduQuarantine *q, const char *kind, const char *doc, gint64 rev);
/* A new revision or a deletion: the document gets a fresh try. TRUE if one was set aside. */
gboolean vindu_quarantine_release(VinduQuarantine *q, const char *kind, const char *doc,
                                  gint64 rev);
/* VinduQuarantined*, transfer none. */
GPtrArray *vindu_quarantine_list(VinduQuarantine *q);

G_END_DECLS
