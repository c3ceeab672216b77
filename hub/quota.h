/* Quotas per person and per household ([limits] in the config): messages per minute, documents
 * kept, bytes of files stored. Each has its own error code and sentence, and harms only the one
 * who passes it: one person's 4,725 messages in 11 s, 200 photos of 1 MB or 300 documents no
 * longer cost the others anything. (The per-connection rate limit, rate_limit.h, stays: it is
 * about bursts on one socket; these are about what one person may use.) */
#pragma once

#include "hub.h"

G_BEGIN_DECLS

typedef struct _HubQuota HubQuota;

HubQuota *hub_quota_new(void);
void hub_quota_free(HubQuota *q);

/* msg.post and doc.put: TRUE to go on; FALSE when refused (the error is already sent). */
gboolean quota_admit(Conn *c, VpMessage *m);
/* An upload of `size` bytes by `uploader` to `household`: FALSE with the sentence if over. */
gboolean quota_storage_ok(Hub *hub, const char *household, const char *uploader, guint64 size,
                          const char **sentence);
/* One new document by `writer`: FALSE with the sentence when the person's or the household's
 * count of documents is reached (a new revision or a deletion always fits). */
typedef struct {
  const char *household, *kind, *doc, *writer;
  gboolean deleted;
} DocQuotaAsk;
gboolean quota_document_ok(Hub *hub, const DocQuotaAsk *q, const char **sentence);

G_END_DECLS
