/* Secrets for Vindu's hub: random tokens, their stored form (SHA-256 hex) and constant-time
 * comparison. Nothing here logs or keeps a secret. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A random token of `bytes` (>= 16) bytes from the kernel CSPRNG, base64url without padding.
 * (transfer full) */
char *hub_token_new(gsize bytes);
/* A random numeric pairing code "NNNN-NNNN" (transfer full). */
char *hub_pairing_code_new(void);
/* SHA-256 of `secret` as 64 lowercase hex digits. (transfer full) */
char *hub_token_hash(const char *secret);
/* SHA-256 of arbitrary bytes as hex. (transfer full) */
char *hub_sha256_hex(const void *data, gsize len);
/* Constant-time equality of two NUL-terminated strings of the same length. */
gboolean hub_token_equal(const char *a, const char *b);
/* A new identifier "PREFIX" + 16 random base64url chars (e.g. "h_…"). (transfer full) */
char *hub_id_new(const char *prefix);
/* Normalise a pairing code typed by a person: keep digits only, insert the dash. NULL if not
 * eight digits. (transfer full) */
char *hub_pairing_code_normalise(const char *code);

G_END_DECLS
