#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/hub_address.h"

#include <string.h>

void
vk_hub_address_connect_info(const VkHubAddress *hub, const char *path, const char *protocol,
                            struct lws_client_connect_info *ci)
{
  memset(ci, 0, sizeof *ci);
  ci->context = hub->ctx;
  ci->address = hub->address ? hub->address : hub->host;
  ci->port = hub->port;
  ci->path = path;
  ci->host = hub->host;
  ci->origin = NULL;
  ci->alpn = "http/1.1";
  ci->protocol = protocol;
  ci->local_protocol_name = protocol;
  ci->ssl_connection = hub->tls ? LCCSCF_USE_SSL : 0;
  if (hub->tls && hub->insecure)
    ci->ssl_connection |= LCCSCF_ALLOW_SELFSIGNED | LCCSCF_SKIP_SERVER_CERT_HOSTNAME_CHECK |
                          LCCSCF_ALLOW_EXPIRED | LCCSCF_ALLOW_INSECURE;
}

int
vk_hub_http_read_body(struct lws *wsi)
{
  char buf[LWS_PRE + 4096];
  char *px = buf + LWS_PRE;
  int len = sizeof buf - LWS_PRE;
  return lws_http_client_read(wsi, &px, &len) < 0 ? -1 : 0;
}
