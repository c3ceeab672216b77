/* Write a QR code of `text` as a PNG (black on white, 4-module quiet zone). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean hub_qr_write_png(const char *text, const char *path, GError **error);

G_END_DECLS
