/* RFC 8291 §3.4 key derivation and RFC 8188 single-record aes128gcm, with OpenSSL 3. */
#include "push_crypt.h"

#include <gio/gio.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/param_build.h>
#include <openssl/rand.h>
#include <string.h>

#define RECORD_SIZE 4096
#define SALT_LEN 16
#define KEY_LEN 16
#define NONCE_LEN 12
#define TAG_LEN 16
#define HEADER_LEN (SALT_LEN + 4 + 1 + PUSH_P256_POINT_LEN)

static void
hmac_sha256(const guint8 *key, gsize key_len, const guint8 *data, gsize len, guint8 out[32])
{
  unsigned int out_len = 32;
  HMAC(EVP_sha256(), key, (int)key_len, data, len, out, &out_len);
}

/* HKDF-Expand for one block (every output here is at most 32 bytes). */
static void
hkdf_expand1(const guint8 prk[32], const guint8 *info, gsize info_len, guint8 *out, gsize len)
{
  g_autofree guint8 *buf = g_malloc(info_len + 1);
  memcpy(buf, info, info_len);
  buf[info_len] = 1;
  guint8 t[32];
  hmac_sha256(prk, 32, buf, info_len + 1, t);
  memcpy(out, t, len);
  OPENSSL_cleanse(t, sizeof t);
}

static EVP_PKEY *
p256_public_from_point(GBytes *point)
{
  EVP_PKEY *pkey = NULL;
  OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
  OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0);
  OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, g_bytes_get_data(point, NULL),
                                   g_bytes_get_size(point));
  OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(bld);
  EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
  if (!ctx || EVP_PKEY_fromdata_init(ctx) <= 0 ||
      EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) <= 0)
    pkey = NULL;
  EVP_PKEY_CTX_free(ctx);
  OSSL_PARAM_free(params);
  OSSL_PARAM_BLD_free(bld);
  return pkey;
}

static gboolean
ecdh(EVP_PKEY *mine, EVP_PKEY *peer, guint8 out[32])
{
  size_t len = 32;
  EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(mine, NULL);
  gboolean ok = ctx && EVP_PKEY_derive_init(ctx) > 0 && EVP_PKEY_derive_set_peer(ctx, peer) > 0 &&
                EVP_PKEY_derive(ctx, out, &len) > 0 && len == 32;
  EVP_PKEY_CTX_free(ctx);
  return ok;
}

/* CEK and nonce from the shared secret (RFC 8291 §3.4, RFC 8188 §2.2). */
static void
derive_keys(const guint8 shared[32], GBytes *auth, const guint8 *ua_public, const guint8 *as_public,
            const guint8 salt[SALT_LEN], guint8 cek[KEY_LEN], guint8 nonce[NONCE_LEN])
{
  guint8 prk_key[32], ikm[32], prk[32];
  hmac_sha256(g_bytes_get_data(auth, NULL), g_bytes_get_size(auth), shared, 32, prk_key);
  static const char label[] = "WebPush: info"; /* with its NUL */
  guint8 key_info[sizeof label + 2 * PUSH_P256_POINT_LEN];
  memcpy(key_info, label, sizeof label);
  memcpy(key_info + sizeof label, ua_public, PUSH_P256_POINT_LEN);
  memcpy(key_info + sizeof label + PUSH_P256_POINT_LEN, as_public, PUSH_P256_POINT_LEN);
  hkdf_expand1(prk_key, key_info, sizeof key_info, ikm, 32);
  hmac_sha256(salt, SALT_LEN, ikm, 32, prk);
  static const char cek_info[] = "Content-Encoding: aes128gcm";
  static const char nonce_info[] = "Content-Encoding: nonce";
  hkdf_expand1(prk, (const guint8 *)cek_info, sizeof cek_info, cek, KEY_LEN);
  hkdf_expand1(prk, (const guint8 *)nonce_info, sizeof nonce_info, nonce, NONCE_LEN);
  OPENSSL_cleanse(prk_key, 32);
  OPENSSL_cleanse(ikm, 32);
  OPENSSL_cleanse(prk, 32);
}

/* One final record: plain || 0x02, AES-128-GCM, tag appended. Writes plain_len + 17 bytes. */
static gboolean
seal(const guint8 cek[KEY_LEN], const guint8 nonce[NONCE_LEN], const guint8 *plain, gsize plain_len,
     guint8 *out)
{
  EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
  int n = 0, m = 0;
  static const guint8 delimiter = 2;
  gboolean ok = ctx && EVP_EncryptInit_ex(ctx, EVP_aes_128_gcm(), NULL, cek, nonce) == 1 &&
                EVP_EncryptUpdate(ctx, out, &n, plain, (int)plain_len) == 1 &&
                EVP_EncryptUpdate(ctx, out + n, &m, &delimiter, 1) == 1;
  if (ok) {
    n += m;
    ok = EVP_EncryptFinal_ex(ctx, out + n, &m) == 1 &&
         EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, TAG_LEN, out + n + m) == 1;
  }
  EVP_CIPHER_CTX_free(ctx);
  return ok;
}

GBytes *
push_encrypt(GBytes *ua_public, GBytes *auth, const guint8 *plain, gsize plain_len, GError **error)
{
  if (g_bytes_get_size(ua_public) != PUSH_P256_POINT_LEN ||
      g_bytes_get_size(auth) != PUSH_AUTH_LEN || plain_len > PUSH_PLAINTEXT_MAX) {
    g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                        "subscription key, auth secret or payload of the wrong size");
    return NULL;
  }
  EVP_PKEY *peer = p256_public_from_point(ua_public);
  EVP_PKEY *mine = EVP_EC_gen("P-256");
  guint8 as_public[PUSH_P256_POINT_LEN], shared[32], salt[SALT_LEN], cek[KEY_LEN], nonce[NONCE_LEN];
  size_t as_len = 0;
  gboolean ok = peer && mine &&
                EVP_PKEY_get_octet_string_param(mine, OSSL_PKEY_PARAM_PUB_KEY, as_public,
                                                sizeof as_public, &as_len) == 1 &&
                as_len == PUSH_P256_POINT_LEN && ecdh(mine, peer, shared) &&
                RAND_bytes(salt, SALT_LEN) == 1;
  EVP_PKEY_free(peer);
  EVP_PKEY_free(mine);
  if (!ok) {
    g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                        "the subscription key is not a P-256 point");
    return NULL;
  }
  derive_keys(shared, auth, g_bytes_get_data(ua_public, NULL), as_public, salt, cek, nonce);
  OPENSSL_cleanse(shared, sizeof shared);
  gsize total = HEADER_LEN + plain_len + 1 + TAG_LEN;
  guint8 *body = g_malloc(total);
  memcpy(body, salt, SALT_LEN);
  body[16] = (RECORD_SIZE >> 24) & 0xff;
  body[17] = (RECORD_SIZE >> 16) & 0xff;
  body[18] = (RECORD_SIZE >> 8) & 0xff;
  body[19] = RECORD_SIZE & 0xff;
  body[20] = PUSH_P256_POINT_LEN;
  memcpy(body + 21, as_public, PUSH_P256_POINT_LEN);
  ok = seal(cek, nonce, plain, plain_len, body + HEADER_LEN);
  OPENSSL_cleanse(cek, sizeof cek);
  if (!ok) {
    g_free(body);
    g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_FAILED, "encryption failed");
    return NULL;
  }
  return g_bytes_new_take(body, total);
}
