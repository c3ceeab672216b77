/* gzip (RFC 1952) and brotli (RFC 7932) bodies for Content-Encoding; NULL on failure. */
#pragma once

#include <glib.h>

GBytes *web_gzip(const guint8 *data, gsize len);
GBytes *web_brotli(const guint8 *data, gsize len);
