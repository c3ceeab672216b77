/* Precompressed copies of a text file, made once at build time at the highest levels (the hub
 * then spends no CPU on compression and a phone downloads the smallest body). */
#include "compress.h"

#include <brotli/encode.h>
#include <zlib.h>

GBytes *
web_gzip(const guint8 *data, gsize len)
{
  z_stream z = {0};
  /* 15 + 16: a gzip header and trailer around the deflate stream */
  if (deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK)
    return NULL;
  uLong bound = deflateBound(&z, len);
  guint8 *out = g_malloc(bound);
  z.next_in = (Bytef *)data;
  z.avail_in = len;
  z.next_out = out;
  z.avail_out = bound;
  int rc = deflate(&z, Z_FINISH);
  gsize n = z.total_out;
  deflateEnd(&z);
  if (rc != Z_STREAM_END) {
    g_free(out);
    return NULL;
  }
  return g_bytes_new_take(out, n);
}

GBytes *
web_brotli(const guint8 *data, gsize len)
{
  size_t n = BrotliEncoderMaxCompressedSize(len);
  if (n == 0)
    n = len + 1024;
  guint8 *out = g_malloc(n);
  if (!BrotliEncoderCompress(BROTLI_MAX_QUALITY, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_TEXT, len, data,
                             &n, out)) {
    g_free(out);
    return NULL;
  }
  return g_bytes_new_take(out, n);
}
