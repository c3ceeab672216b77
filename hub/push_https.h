/* One blocking HTTPS POST with OpenSSL, for push_send.c's worker threads only (never the
 * loop): name resolution, connect, TLS with certificate and host name checks, request, status
 * line. Every step is bounded by PUSH_HTTPS_TIMEOUT_S. */
#pragma once

#include <glib.h>
#include <openssl/ssl.h>

G_BEGIN_DECLS

#define PUSH_HTTPS_TIMEOUT_S 10

/* A client context that verifies peers against `ca_file` (NULL: the system's CAs). */
SSL_CTX *push_https_context_new(const char *ca_file, GError **error);
/* POST `body` to `url` with `headers` (lines ending in CRLF, without Host/Content-Length).
 * Returns the HTTP status, or 0 with `error` set when no answer was read. */
int push_https_post(SSL_CTX *ctx, const char *url, const char *headers, GBytes *body,
                    GError **error);

G_END_DECLS
