/* VAPID: key storage and the ES256 JWT (RFC 7515 with the raw r||s signature of RFC 7518 §3.4). */
#include "push_vapid.h"

#include "push_b64.h"
#include "push_crypt.h"

#include <errno.h>
#include <json-glib/json-glib.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <gio/gio.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define JWT_LIFETIME_S (12 * 3600)

struct _PushVapid {
  EVP_PKEY *key;
  char *public_b64;
};

static EVP_PKEY *
read_key(const char *path)
{
  FILE *f = fopen(path, "r");
  if (!f)
    return NULL;
  EVP_PKEY *key = PEM_read_PrivateKey(f, NULL, NULL, NULL);
  fclose(f);
  return key;
}

static gboolean
write_key(EVP_PKEY *key, const char *path, GError **error)
{
  g_autofree char *dir = g_path_get_dirname(path);
  g_mkdir_with_parents(dir, 0700);
  int fd = g_open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
  if (!f) {
    g_set_error(error, G_IO_ERROR, g_io_error_from_errno(errno), "cannot create %s: %s", path,
                g_strerror(errno));
    if (fd >= 0)
      close(fd);
    return FALSE;
  }
  gboolean ok = PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL, NULL) == 1;
  ok = fflush(f) == 0 && fsync(fileno(f)) == 0 && ok;
  fclose(f);
  if (!ok)
    g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot write %s", path);
  return ok;
}

PushVapid *
push_vapid_load_or_create(const char *path, GError **error)
{
  EVP_PKEY *key = read_key(path);
  if (!key && g_file_test(path, G_FILE_TEST_EXISTS)) {
    g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s is not a PEM private key", path);
    return NULL;
  }
  if (!key) {
    key = EVP_EC_gen("P-256");
    if (!key || !write_key(key, path, error)) {
      EVP_PKEY_free(key);
      return NULL;
    }
    g_message("made the Web Push (VAPID) key %s", path);
  }
  guint8 point[PUSH_P256_POINT_LEN];
  size_t len = 0;
  if (EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_PUB_KEY, point, sizeof point, &len) !=
          1 ||
      len != PUSH_P256_POINT_LEN) {
    EVP_PKEY_free(key);
    g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s is not a P-256 key", path);
    return NULL;
  }
  PushVapid *vapid = g_new0(PushVapid, 1);
  vapid->key = key;
  vapid->public_b64 = push_b64url_encode(point, len);
  return vapid;
}

void
push_vapid_free(PushVapid *vapid)
{
  if (!vapid)
    return;
  EVP_PKEY_free(vapid->key);
  g_free(vapid->public_b64);
  g_free(vapid);
}

const char *
push_vapid_public_key(PushVapid *vapid)
{
  return vapid->public_b64;
}

/* ES256 over `input`: the DER signature OpenSSL makes, turned into r || s (32 bytes each). */
static char *
sign_es256(EVP_PKEY *key, const char *input)
{
  EVP_MD_CTX *md = EVP_MD_CTX_new();
  guint8 der[80];
  size_t der_len = sizeof der;
  char *out = NULL;
  if (md && EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, key) == 1 &&
      EVP_DigestSign(md, der, &der_len, (const guint8 *)input, strlen(input)) == 1) {
    const guint8 *p = der;
    ECDSA_SIG *sig = d2i_ECDSA_SIG(NULL, &p, (long)der_len);
    guint8 raw[64];
    if (sig && BN_bn2binpad(ECDSA_SIG_get0_r(sig), raw, 32) == 32 &&
        BN_bn2binpad(ECDSA_SIG_get0_s(sig), raw + 32, 32) == 32)
      out = push_b64url_encode(raw, sizeof raw);
    ECDSA_SIG_free(sig);
  }
  EVP_MD_CTX_free(md);
  return out;
}

char *
push_vapid_authorization(PushVapid *vapid, const char *endpoint, const char *subject, gint64 now)
{
  g_autoptr(GUri) uri = g_uri_parse(endpoint, G_URI_FLAGS_NONE, NULL);
  if (!uri || g_strcmp0(g_uri_get_scheme(uri), "https") != 0 || !g_uri_get_host(uri))
    return NULL;
  int port = g_uri_get_port(uri);
  g_autofree char *aud = port > 0 && port != 443
                             ? g_strdup_printf("https://%s:%d", g_uri_get_host(uri), port)
                             : g_strdup_printf("https://%s", g_uri_get_host(uri));
  static const char header[] = "{\"typ\":\"JWT\",\"alg\":\"ES256\"}";
  g_autoptr(JsonObject) o = json_object_new();
  json_object_set_string_member(o, "aud", aud);
  json_object_set_int_member(o, "exp", now + JWT_LIFETIME_S);
  json_object_set_string_member(o, "sub", subject);
  g_autoptr(JsonNode) node = json_node_init_object(json_node_alloc(), o);
  g_autofree char *claims = json_to_string(node, FALSE);
  g_autofree char *h64 = push_b64url_encode((const guint8 *)header, strlen(header));
  g_autofree char *c64 = push_b64url_encode((const guint8 *)claims, strlen(claims));
  g_autofree char *input = g_strconcat(h64, ".", c64, NULL);
  g_autofree char *sig = sign_es256(vapid->key, input);
  if (!sig)
    return NULL;
  return g_strdup_printf("vapid t=%s.%s, k=%s", input, sig, vapid->public_b64);
}
