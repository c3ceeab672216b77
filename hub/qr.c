#define G_LOG_DOMAIN "vindu-hub"
#include "qr.h"

#include <gio/gio.h>
#include <png.h>
#include <qrencode.h>
#include <stdio.h>
#include <string.h>

#define QR_SCALE 8
#define QR_MARGIN 4

gboolean
hub_qr_write_png(const char *text, const char *path, GError **error)
{
  QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  if (!qr) {
    g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot encode the QR code");
    return FALSE;
  }
  int size = (qr->width + 2 * QR_MARGIN) * QR_SCALE;
  FILE *f = fopen(path, "wb");
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
  png_infop info = png ? png_create_info_struct(png) : NULL;
  guint8 *row = g_malloc(size);
  gboolean ok = FALSE;
  if (!f || !png || !info)
    goto out;
  if (setjmp(png_jmpbuf(png)))
    goto out;
  png_init_io(png, f);
  png_set_IHDR(png, info, size, size, 8, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  for (int y = 0; y < size; y++) {
    int my = y / QR_SCALE - QR_MARGIN;
    for (int x = 0; x < size; x++) {
      int mx = x / QR_SCALE - QR_MARGIN;
      gboolean dark = mx >= 0 && my >= 0 && mx < qr->width && my < qr->width &&
                      (qr->data[my * qr->width + mx] & 1);
      row[x] = dark ? 0 : 255;
    }
    png_write_row(png, row);
  }
  png_write_end(png, NULL);
  ok = TRUE;
out:
  if (png)
    png_destroy_write_struct(&png, info ? &info : NULL);
  if (f)
    fclose(f);
  g_free(row);
  QRcode_free(qr);
  if (!ok)
    g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot write %s", path);
  return ok;
}
