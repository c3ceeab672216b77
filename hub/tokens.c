#include "tokens.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <string.h>

static void
random_bytes(guint8 *buf, gsize len)
{
  if (RAND_bytes(buf, (int)len) != 1)
    g_error("the system random generator failed");
}

static char *
base64url(const guint8 *buf, gsize len)
{
  char *b64 = g_base64_encode(buf, len);
  gsize n = strlen(b64);
  for (gsize i = 0; i < n; i++) {
    if (b64[i] == '+')
      b64[i] = '-';
    else if (b64[i] == '/')
      b64[i] = '_';
  }
  while (n > 0 && b64[n - 1] == '=')
    b64[--n] = '\0';
  return b64;
}

char *
hub_token_new(gsize bytes)
{
  g_return_val_if_fail(bytes >= 16 && bytes <= 64, NULL);
  guint8 buf[64];
  random_bytes(buf, bytes);
  char *out = base64url(buf, bytes);
  OPENSSL_cleanse(buf, sizeof buf);
  return out;
}

char *
hub_pairing_code_new(void)
{
  guint8 buf[8];
  random_bytes(buf, sizeof buf);
  guint64 v = 0;
  memcpy(&v, buf, sizeof v);
  v %= 100000000ull;
  return g_strdup_printf("%04u-%04u", (unsigned)(v / 10000), (unsigned)(v % 10000));
}

char *
hub_sha256_hex(const void *data, gsize len)
{
  unsigned char md[SHA256_DIGEST_LENGTH];
  SHA256(data, len, md);
  char *hex = g_malloc(SHA256_DIGEST_LENGTH * 2 + 1);
  for (int i = 0; i < SHA256_DIGEST_LENGTH; i++)
    g_snprintf(hex + i * 2, 3, "%02x", md[i]);
  return hex;
}

char *
hub_token_hash(const char *secret)
{
  return hub_sha256_hex(secret, strlen(secret));
}

gboolean
hub_token_equal(const char *a, const char *b)
{
  gsize la = strlen(a), lb = strlen(b);
  if (la != lb)
    return FALSE;
  return CRYPTO_memcmp(a, b, la) == 0;
}

char *
hub_id_new(const char *prefix)
{
  guint8 buf[12];
  random_bytes(buf, sizeof buf);
  g_autofree char *r = base64url(buf, sizeof buf);
  return g_strconcat(prefix, r, NULL);
}

char *
hub_pairing_code_normalise(const char *code)
{
  if (!code)
    return NULL;
  char digits[9];
  int n = 0;
  for (const char *p = code; *p; p++) {
    if (g_ascii_isdigit(*p)) {
      if (n >= 8)
        return NULL;
      digits[n++] = *p;
    } else if (*p != '-' && *p != ' ') {
      return NULL;
    }
  }
  if (n != 8)
    return NULL;
  digits[8] = '\0';
  return g_strdup_printf("%.4s-%.4s", digits, digits + 4);
}
