/* bench/hub's latency probe: a minimal TLS WebSocket client (RFC 6455 text frames over
 * OpenSSL) that stamps every received frame twice — when the kernel queued the bytes on the
 * socket (SO_TIMESTAMPNS) and when the probe parsed them — so the figure can be split into
 * hub + network and the probe's own delay. Test equipment only: no certificate check. */
#pragma once

#include <glib.h>
#include <openssl/ssl.h>

typedef struct {
  int fd;
  SSL *ssl;
  BIO *rbio;           /* fed from recvmsg(), so the probe sees the kernel timestamps */
  GByteArray *in;      /* decrypted bytes not yet a whole frame */
  gint64 rx_kernel_ns; /* CLOCK_REALTIME of the last bytes the kernel received */
} ProbeWs;

/* Connect to wss://127.0.0.1:port/ws with subprotocol vindu.v1; blocking. NULL on failure. */
ProbeWs *probe_ws_connect(SSL_CTX *tls, int port, GError **error);
void probe_ws_free(ProbeWs *ws);
/* Send one text frame (masked, as a client must); blocking. */
gboolean probe_ws_send(ProbeWs *ws, const char *text, gsize len);
/* Read what the socket has (wait for it if `block`) into the frame buffer. FALSE on EOF/error. */
gboolean probe_ws_read(ProbeWs *ws, gboolean block);
/* The next whole text frame from the buffer (transfer full), or NULL; other opcodes dropped. */
char *probe_ws_next_text(ProbeWs *ws);
