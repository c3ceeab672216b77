/* The `paired` message: a kiosk's identity, sent when it signs in with a provisioning code
 * (auth.c) or when an admin binds the pairing code it shows (events.c). */
#define G_LOG_DOMAIN "vindu-hub"
#include "kiosk_paired.h"

void
kiosk_paired_send(Conn *c, const char *kiosk, const char *secret, const char *household)
{
  g_autoptr(VpMessage) p = vp_message_new(VP_PAIRED);
  vp_message_set_string(p, "kiosk", kiosk);
  vp_message_set_string(p, "secret", secret);
  vp_message_set_string(p, "household", household);
  conn_send(c, p);
}
