#include "push_https.h"

#include <gio/gio.h>
#include <netdb.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

SSL_CTX *
push_https_context_new(const char *ca_file, GError **error)
{
  SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
  if (!ctx) {
    g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_FAILED, "no TLS client context");
    return NULL;
  }
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
  int ok = ca_file ? SSL_CTX_load_verify_locations(ctx, ca_file, NULL)
                   : SSL_CTX_set_default_verify_paths(ctx);
  if (ok != 1) {
    g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot load the CAs %s",
                ca_file ? ca_file : "of the system");
    SSL_CTX_free(ctx);
    return NULL;
  }
  return ctx;
}

/* A connected TCP socket with send/receive timeouts (SO_SNDTIMEO also bounds connect). */
static int
connect_to(const char *host, int port, GError **error)
{
  struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *res = NULL;
  char service[8];
  g_snprintf(service, sizeof service, "%d", port);
  int rc = getaddrinfo(host, service, &hints, &res);
  if (rc != 0) {
    g_set_error(error, G_IO_ERROR, G_IO_ERROR_HOST_NOT_FOUND, "cannot resolve %s: %s", host,
                gai_strerror(rc));
    return -1;
  }
  int fd = -1;
  for (struct addrinfo *ai = res; ai && fd < 0; ai = ai->ai_next) {
    fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd < 0)
      continue;
    struct timeval tv = {.tv_sec = PUSH_HTTPS_TIMEOUT_S};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    if (connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
      close(fd);
      fd = -1;
    }
  }
  freeaddrinfo(res);
  if (fd < 0)
    g_set_error(error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED, "cannot connect to %s:%d", host,
                port);
  return fd;
}

/* TLS on `fd` checking the certificate names `host` (a DNS name or an IP address). */
static SSL *
tls_open(SSL_CTX *ctx, int fd, const char *host, GError **error)
{
  SSL *ssl = SSL_new(ctx);
  SSL_set_fd(ssl, fd);
  X509_VERIFY_PARAM *param = SSL_get0_param(ssl);
  if (g_hostname_is_ip_address(host)) {
    X509_VERIFY_PARAM_set1_ip_asc(param, host);
  } else {
    SSL_set_tlsext_host_name(ssl, host);
    SSL_set1_host(ssl, host);
  }
  if (SSL_connect(ssl) != 1) {
    long verify = SSL_get_verify_result(ssl);
    g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "TLS with %s failed: %s", host,
                verify != X509_V_OK ? X509_verify_cert_error_string(verify) : "handshake");
    SSL_free(ssl);
    return NULL;
  }
  return ssl;
}

static gboolean
write_all(SSL *ssl, const void *data, gsize len)
{
  const char *p = data;
  while (len > 0) {
    int n = SSL_write(ssl, p, (int)MIN(len, (gsize)G_MAXINT));
    if (n <= 0)
      return FALSE;
    p += n;
    len -= (gsize)n;
  }
  return TRUE;
}

/* The status code of "HTTP/1.x NNN ..." once the first line has arrived; 0 otherwise. */
static int
read_status(SSL *ssl)
{
  char buf[512];
  gsize got = 0;
  while (got < sizeof buf - 1) {
    int n = SSL_read(ssl, buf + got, (int)(sizeof buf - 1 - got));
    if (n <= 0)
      break;
    got += (gsize)n;
    buf[got] = '\0';
    if (strstr(buf, "\r\n"))
      break;
  }
  buf[got] = '\0';
  int status = 0;
  if (g_str_has_prefix(buf, "HTTP/1.") && got >= 12)
    status = atoi(buf + 9);
  return status >= 100 && status <= 599 ? status : 0;
}

int
push_https_post(SSL_CTX *ctx, const char *url, const char *headers, GBytes *body, GError **error)
{
  g_autoptr(GUri) uri = g_uri_parse(url, G_URI_FLAGS_ENCODED, error);
  if (!uri)
    return 0;
  const char *host = g_uri_get_host(uri);
  if (g_strcmp0(g_uri_get_scheme(uri), "https") != 0 || !host || !*host) {
    g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "not an https URL");
    return 0;
  }
  int port = g_uri_get_port(uri) > 0 ? g_uri_get_port(uri) : 443;
  int fd = connect_to(host, port, error);
  if (fd < 0)
    return 0;
  SSL *ssl = tls_open(ctx, fd, host, error);
  int status = 0;
  if (ssl) {
    const char *path = *g_uri_get_path(uri) ? g_uri_get_path(uri) : "/";
    const char *query = g_uri_get_query(uri);
    g_autofree char *head = g_strdup_printf(
        "POST %s%s%s HTTP/1.1\r\nHost: %s:%d\r\n%sContent-Length: %" G_GSIZE_FORMAT
        "\r\nConnection: close\r\n\r\n",
        path, query ? "?" : "", query ? query : "", host, port, headers, g_bytes_get_size(body));
    if (write_all(ssl, head, strlen(head)) &&
        write_all(ssl, g_bytes_get_data(body, NULL), g_bytes_get_size(body)))
      status = read_status(ssl);
    if (!status)
      g_set_error(error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "no answer from %s", host);
    SSL_shutdown(ssl);
    SSL_free(ssl);
  }
  close(fd);
  ERR_clear_error();
  return status;
}
