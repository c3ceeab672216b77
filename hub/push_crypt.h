/* RFC 8291 message encryption for Web Push: the "aes128gcm" content coding (RFC 8188) of one
 * record, keyed by ECDH between a fresh P-256 key and the browser's subscription key, mixed with
 * the subscription's auth secret. Thread-safe: no shared state. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PUSH_P256_POINT_LEN 65 /* uncompressed point */
#define PUSH_AUTH_LEN 16
/* Push services accept 4096 bytes of body; the header, padding delimiter and tag take 103. */
#define PUSH_PLAINTEXT_MAX 3993

/* The body to POST for `plain` to a subscription with public key `ua_public` (65 bytes) and
 * `auth` secret (16 bytes). NULL with `error` set on a bad key. (transfer full) */
GBytes *push_encrypt(GBytes *ua_public, GBytes *auth, const guint8 *plain, gsize plain_len,
                     GError **error);

G_END_DECLS
