/* base64url without padding (RFC 4648 §5), as Web Push writes keys and JWTs. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* (transfer full) */
char *push_b64url_encode(const guint8 *data, gsize len);
/* NULL when `text` is not base64url (padding allowed). (transfer full) */
GBytes *push_b64url_decode(const char *text);

G_END_DECLS
