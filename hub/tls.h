/* The hub's TLS certificate: when the configured certificate and key do not exist, make a
 * self-signed one (EC P-256, one year, for localhost, 127.0.0.1 and the listen address) so a
 * local hub works at once; the caller says so in the log. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* TRUE if the pair exists or was made; `*made` tells which. */
gboolean hub_tls_ensure(const char *cert_path, const char *key_path, const char *listen_addr,
                        gboolean *made, GError **error);

G_END_DECLS
