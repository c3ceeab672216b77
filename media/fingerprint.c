#include "media/fingerprint.h"

#include <string.h>

static void
add_fingerprint(GPtrArray *found, const GstSDPAttribute *a)
{
  if (g_strcmp0(a->key, "fingerprint") == 0 && a->value)
    g_ptr_array_add(found, g_strstrip(g_strdup(a->value)));
}

GPtrArray *
vindu_fingerprints_from_sdp(const GstSDPMessage *sdp)
{
  GPtrArray *found = g_ptr_array_new_with_free_func(g_free);
  for (guint i = 0; i < gst_sdp_message_attributes_len(sdp); i++)
    add_fingerprint(found, gst_sdp_message_get_attribute(sdp, i));
  for (guint m = 0; m < gst_sdp_message_medias_len(sdp); m++) {
    const GstSDPMedia *media = gst_sdp_message_get_media(sdp, m);
    for (guint i = 0; i < gst_sdp_media_attributes_len(media); i++)
      add_fingerprint(found, gst_sdp_media_get_attribute(media, i));
  }
  return found;
}

/* Supported hash functions, weakest first: the index is the strength. */
static const struct {
  const char *name;
  GChecksumType type;
} hashes[] = {
    {"sha-1", G_CHECKSUM_SHA1},
    {"sha-256", G_CHECKSUM_SHA256},
    {"sha-384", G_CHECKSUM_SHA384},
    {"sha-512", G_CHECKSUM_SHA512},
};

/* Index into hashes, or -1 when unsupported. */
static int
hash_index(const char *algorithm)
{
  for (gsize i = 0; i < G_N_ELEMENTS(hashes); i++)
    if (g_ascii_strcasecmp(algorithm, hashes[i].name) == 0)
      return (int)i;
  return -1;
}

/* The DER bytes inside the first PEM certificate block. Returns: (transfer full) (nullable) */
static GBytes *
pem_to_der(const char *pem)
{
  static const char begin_mark[] = "-----BEGIN CERTIFICATE-----";
  const char *begin = pem ? strstr(pem, begin_mark) : NULL;
  const char *end = begin ? strstr(begin, "-----END CERTIFICATE-----") : NULL;
  if (!end)
    return NULL;
  begin += strlen(begin_mark);
  g_autofree char *body = g_strndup(begin, end - begin);
  gsize len = 0;
  guchar *der = g_base64_decode(g_strstrip(body), &len);
  if (!der || len == 0) {
    g_free(der);
    return NULL;
  }
  return g_bytes_new_take(der, len);
}

char *
vindu_certificate_fingerprint(const char *pem, const char *algorithm)
{
  int hash = hash_index(algorithm);
  g_autoptr(GBytes) der = hash >= 0 ? pem_to_der(pem) : NULL;
  if (!der)
    return NULL;
  g_autoptr(GChecksum) checksum = g_checksum_new(hashes[hash].type);
  gsize der_len = 0;
  const guchar *der_data = g_bytes_get_data(der, &der_len);
  g_checksum_update(checksum, der_data, der_len);
  guint8 digest[64];
  gsize digest_len = sizeof digest;
  g_checksum_get_digest(checksum, digest, &digest_len);
  GString *text = g_string_new(NULL);
  for (gsize i = 0; i < digest_len; i++)
    g_string_append_printf(text, "%s%02X", i ? ":" : "", digest[i]);
  return g_string_free(text, FALSE);
}

/* Splits "sha-256 AB:CD" into its hash index (-1: unsupported) and the hex part. */
static int
parse_fingerprint(const char *value, const char **hex)
{
  const char *space = strchr(value, ' ');
  if (!space)
    return -1;
  g_autofree char *algorithm = g_strndup(value, space - value);
  *hex = space + 1;
  while (**hex == ' ')
    (*hex)++;
  return hash_index(algorithm);
}

gboolean
vindu_fingerprint_accepts(const GPtrArray *fingerprints, const char *pem)
{
  int strongest = -1;
  const char *hex = NULL;
  for (guint i = 0; fingerprints && i < fingerprints->len; i++)
    strongest = MAX(strongest, parse_fingerprint(g_ptr_array_index(fingerprints, i), &hex));
  if (strongest < 0)
    return FALSE;
  g_autofree char *have = vindu_certificate_fingerprint(pem, hashes[strongest].name);
  gboolean match = FALSE;
  for (guint i = 0; have && fingerprints && i < fingerprints->len && !match; i++) {
    const char *value = g_ptr_array_index(fingerprints, i);
    match = parse_fingerprint(value, &hex) == strongest && g_ascii_strcasecmp(have, hex) == 0;
  }
  return match;
}
