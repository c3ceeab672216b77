/* The hub's VAPID identity (RFC 8292): one P-256 key pair kept in a PEM file (0600), made on
 * first use, and the ES256 JWT that proves to a push service that a push comes from this hub.
 * A loaded key is read-only: any thread may sign with it. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _PushVapid PushVapid;

/* Load the key at `path`, or make one and write it there (mode 0600). (transfer full) */
PushVapid *push_vapid_load_or_create(const char *path, GError **error);
void push_vapid_free(PushVapid *vapid);
/* The public key as browsers' applicationServerKey wants it: the uncompressed point,
 * base64url. (transfer none) */
const char *push_vapid_public_key(PushVapid *vapid);
/* The Authorization header value for a push to `endpoint` ("vapid t=JWT, k=KEY"): audience is
 * the endpoint's origin, expiry `now` + 12 h, `subject` a mailto: or https: contact.
 * NULL if the endpoint is not an https URL. (transfer full) */
char *push_vapid_authorization(PushVapid *vapid, const char *endpoint, const char *subject,
                               gint64 now);

G_END_DECLS
