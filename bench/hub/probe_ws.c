#include "probe_ws.h"

#include <arpa/inet.h>
#include <gio/gio.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* Receive bytes into the TLS read BIO, noting the kernel's receive time. */
static gboolean
recv_into_bio(ProbeWs *ws, gboolean block)
{
  char buf[16384];
  char control[CMSG_SPACE(sizeof(struct timespec))];
  struct iovec iov = {buf, sizeof buf};
  struct msghdr mh = {
      .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control, .msg_controllen = sizeof control};
  ssize_t n;
  do
    n = recvmsg(ws->fd, &mh, block ? 0 : MSG_DONTWAIT);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    return errno == EAGAIN || errno == EWOULDBLOCK;
  if (n == 0)
    return FALSE;
  for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
      struct timespec ts;
      memcpy(&ts, CMSG_DATA(c), sizeof ts);
      ws->rx_kernel_ns = (gint64)ts.tv_sec * 1000000000 + ts.tv_nsec;
    }
  BIO_write(ws->rbio, buf, (int)n);
  return TRUE;
}

/* Decrypt whatever the read BIO holds into ws->in. */
static gboolean
drain_tls(ProbeWs *ws)
{
  char buf[16384];
  for (;;) {
    int n = SSL_read(ws->ssl, buf, sizeof buf);
    if (n > 0) {
      g_byte_array_append(ws->in, (guint8 *)buf, (guint)n);
      continue;
    }
    int e = SSL_get_error(ws->ssl, n);
    return e == SSL_ERROR_WANT_READ;
  }
}

gboolean
probe_ws_read(ProbeWs *ws, gboolean block)
{
  if (!recv_into_bio(ws, block))
    return FALSE;
  return drain_tls(ws);
}

static gboolean
handshake_tls(ProbeWs *ws)
{
  for (;;) {
    int r = SSL_connect(ws->ssl);
    if (r == 1)
      return TRUE; /* writes go straight to the socket BIO */
    if (SSL_get_error(ws->ssl, r) != SSL_ERROR_WANT_READ || !recv_into_bio(ws, TRUE))
      return FALSE;
  }
}

static gboolean
write_all(ProbeWs *ws, const void *data, gsize len)
{
  int n = SSL_write(ws->ssl, data, (int)len);
  return n == (int)len;
}

static gboolean
handshake_ws(ProbeWs *ws, int port)
{
  g_autofree char *req = g_strdup_printf(
      "GET /ws HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
      "Sec-WebSocket-Key: dmluZHUtaHViLXByb2JlIQ==\r\nSec-WebSocket-Version: 13\r\n"
      "Sec-WebSocket-Protocol: vindu.v1\r\n\r\n",
      port);
  if (!write_all(ws, req, strlen(req)))
    return FALSE;
  for (;;) {
    guint8 *end = ws->in->len ? memmem(ws->in->data, ws->in->len, "\r\n\r\n", 4) : NULL;
    if (end) {
      gboolean ok = ws->in->len >= 12 && memcmp(ws->in->data, "HTTP/1.1 101", 12) == 0;
      g_byte_array_remove_range(ws->in, 0, (guint)(end + 4 - ws->in->data));
      return ok;
    }
    if (!probe_ws_read(ws, TRUE))
      return FALSE;
  }
}

ProbeWs *
probe_ws_connect(SSL_CTX *tls, int port, GError **error)
{
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof one);
  struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
    g_set_error(error, G_IO_ERROR, g_io_error_from_errno(errno), "connect: %s", g_strerror(errno));
    close(fd);
    return NULL;
  }
  ProbeWs *ws = g_new0(ProbeWs, 1);
  ws->fd = fd;
  ws->in = g_byte_array_new();
  ws->ssl = SSL_new(tls);
  ws->rbio = BIO_new(BIO_s_mem());
  BIO_set_mem_eof_return(ws->rbio, -1); /* empty means "wait for more", not EOF */
  SSL_set_bio(ws->ssl, ws->rbio, BIO_new_socket(fd, BIO_NOCLOSE));
  if (!handshake_tls(ws) || !handshake_ws(ws, port)) {
    g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "TLS or WebSocket handshake failed");
    probe_ws_free(ws);
    return NULL;
  }
  return ws;
}

void
probe_ws_free(ProbeWs *ws)
{
  if (!ws)
    return;
  SSL_free(ws->ssl); /* frees both BIOs */
  close(ws->fd);
  g_byte_array_unref(ws->in);
  g_free(ws);
}

gboolean
probe_ws_send(ProbeWs *ws, const char *text, gsize len)
{
  guint8 head[8];
  gsize h = 0;
  head[h++] = 0x81; /* FIN, text */
  if (len < 126) {
    head[h++] = 0x80 | (guint8)len;
  } else if (len < 65536) {
    head[h++] = 0x80 | 126;
    head[h++] = (guint8)(len >> 8);
    head[h++] = (guint8)len;
  } else {
    return FALSE;
  }
  /* any mask will do for test equipment; it must only be present */
  static const guint8 mask[4] = {0x5a, 0x3c, 0xa5, 0xc3};
  g_autofree guint8 *frame = g_malloc(h + 4 + len);
  memcpy(frame, head, h);
  memcpy(frame + h, mask, 4);
  for (gsize i = 0; i < len; i++)
    frame[h + 4 + i] = (guint8)text[i] ^ mask[i & 3];
  return write_all(ws, frame, h + 4 + len);
}

char *
probe_ws_next_text(ProbeWs *ws)
{
  for (;;) {
    const guint8 *d = ws->in->data;
    gsize have = ws->in->len, off = 2;
    if (have < 2)
      return NULL;
    guint64 len = d[1] & 0x7f;
    if (len == 126) {
      if (have < 4)
        return NULL;
      len = ((guint64)d[2] << 8) | d[3];
      off = 4;
    } else if (len == 127) {
      if (have < 10)
        return NULL;
      len = 0;
      for (int i = 0; i < 8; i++)
        len = (len << 8) | d[2 + i];
      off = 10;
    }
    if (have < off + len)
      return NULL;
    int opcode = d[0] & 0x0f;
    char *text = opcode == 1 ? g_strndup((const char *)d + off, len) : NULL;
    g_byte_array_remove_range(ws->in, 0, (guint)(off + len));
    if (text)
      return text;
  }
}
