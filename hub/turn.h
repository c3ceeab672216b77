/* Time-limited TURN credentials in coturn's REST format (use-auth-secret):
 * username = "EXPIRY:USER", credential = base64(HMAC-SHA1(secret, username)). */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The `ice_servers` array for `call.turn`, or NULL when TURN is not configured.
 * (transfer full) */
JsonArray *hub_turn_ice_servers(const char *secret, char *const *urls, int ttl_s, const char *user,
                                gint64 now_s);
/* The credential for a username (exposed for tests). (transfer full) */
char *hub_turn_credential(const char *secret, const char *username);

G_END_DECLS
