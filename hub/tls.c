#define G_LOG_DOMAIN "vindu-hub"
#include "tls.h"

#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <unistd.h>

static gboolean
fail(GError **error, const char *what)
{
  g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "TLS certificate: %s", what);
  return FALSE;
}

static gboolean
add_ext(X509 *cert, int nid, const char *value)
{
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, NULL, NULL, 0);
  X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
  if (!ext)
    return FALSE;
  int ok = X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
  return ok == 1;
}

gboolean
hub_tls_ensure(const char *cert_path, const char *key_path, const char *listen_addr, gboolean *made,
               GError **error)
{
  *made = FALSE;
  if (g_file_test(cert_path, G_FILE_TEST_EXISTS) && g_file_test(key_path, G_FILE_TEST_EXISTS))
    return TRUE;
  g_autofree char *cert_dir = g_path_get_dirname(cert_path);
  g_autofree char *key_dir = g_path_get_dirname(key_path);
  if (g_mkdir_with_parents(cert_dir, 0700) != 0 || g_mkdir_with_parents(key_dir, 0700) != 0)
    return fail(error, "cannot create its directory");

  gboolean ok = FALSE;
  g_autofree char *san = NULL;
  g_autoptr(GRand) r = g_rand_new();
  EVP_PKEY *key = EVP_EC_gen("P-256");
  X509 *cert = X509_new();
  FILE *f = NULL;
  if (!key || !cert)
    goto out;
  X509_set_version(cert, 2);
  unsigned char serial[16];
  for (gsize i = 0; i < sizeof serial; i++)
    serial[i] = (unsigned char)g_rand_int(r);
  serial[0] &= 0x7f;
  BIGNUM *bn = BN_bin2bn(serial, sizeof serial, NULL);
  BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert));
  BN_free(bn);
  X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert), 365L * 24 * 3600);
  X509_set_pubkey(cert, key);
  X509_NAME *name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, (const unsigned char *)"Vindu (local)", -1,
                             -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)"localhost", -1, -1,
                             0);
  X509_set_issuer_name(cert, name);
  if (listen_addr && g_hostname_is_ip_address(listen_addr) &&
      g_strcmp0(listen_addr, "127.0.0.1") != 0 && g_strcmp0(listen_addr, "0.0.0.0") != 0)
    san = g_strdup_printf("DNS:localhost,IP:127.0.0.1,IP:%s", listen_addr);
  else
    san = g_strdup("DNS:localhost,IP:127.0.0.1");
  if (!add_ext(cert, NID_subject_alt_name, san) ||
      !add_ext(cert, NID_basic_constraints, "critical,CA:FALSE") ||
      !add_ext(cert, NID_ext_key_usage, "serverAuth"))
    goto out;
  if (!X509_sign(cert, key, EVP_sha256()))
    goto out;

  int fd = g_open(key_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0)
    goto out;
  f = fdopen(fd, "w");
  if (!f) {
    close(fd);
    goto out;
  }
  if (!PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL, NULL))
    goto out;
  fclose(f);
  f = fopen(cert_path, "w");
  if (!f || !PEM_write_X509(f, cert))
    goto out;
  ok = TRUE;
out:
  if (f)
    fclose(f);
  X509_free(cert);
  EVP_PKEY_free(key);
  if (!ok)
    return fail(error, "could not make a self-signed certificate");
  *made = TRUE;
  return TRUE;
}
