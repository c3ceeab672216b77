/* Photos made at test and bench time (photo_maker.h). */
#include "tests/kiosk/photo_maker.h"

#include <stdio.h> /* before jpeglib.h, which uses FILE */
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <libexif/exif-data.h>
#include <png.h>

/* An EXIF block (with its "Exif\0\0" header) holding only the orientation. transfer full */
static guint8 *
exif_orientation(int orientation, guint *len)
{
  ExifData *ed = exif_data_new();
  exif_data_set_option(ed, EXIF_DATA_OPTION_FOLLOW_SPECIFICATION);
  exif_data_set_data_type(ed, EXIF_DATA_TYPE_COMPRESSED);
  exif_data_set_byte_order(ed, EXIF_BYTE_ORDER_MOTOROLA);
  ExifEntry *e = exif_entry_new();
  exif_content_add_entry(ed->ifd[EXIF_IFD_0], e);
  exif_entry_initialize(e, EXIF_TAG_ORIENTATION);
  exif_set_short(e->data, EXIF_BYTE_ORDER_MOTOROLA, (ExifShort)orientation);
  exif_entry_unref(e);
  unsigned char *buf = NULL;
  unsigned int n = 0;
  exif_data_save_data(ed, &buf, &n);
  exif_data_unref(ed);
  g_assert(buf && n > 0);
  guint8 *out = g_memdup2(buf, n);
  free(buf);
  *len = n;
  return out;
}

void
kt_write_jpeg(const char *path, guint w, guint h, KtPixelFn pixel, gpointer data, int orientation,
              int quality)
{
  FILE *f = fopen(path, "wb");
  g_assert(f);
  struct jpeg_compress_struct c;
  struct jpeg_error_mgr err;
  c.err = jpeg_std_error(&err);
  jpeg_create_compress(&c);
  jpeg_stdio_dest(&c, f);
  c.image_width = w;
  c.image_height = h;
  c.input_components = 3;
  c.in_color_space = JCS_RGB;
  jpeg_set_defaults(&c);
  jpeg_set_quality(&c, quality, TRUE);
  jpeg_start_compress(&c, TRUE);
  if (orientation >= 1 && orientation <= 8) {
    guint n = 0;
    g_autofree guint8 *exif = exif_orientation(orientation, &n);
    jpeg_write_marker(&c, JPEG_APP0 + 1, exif, n);
  }
  g_autofree guint8 *row = g_malloc((gsize)w * 3);
  while (c.next_scanline < h) {
    for (guint x = 0; x < w; x++)
      pixel(x, c.next_scanline, w, h, row + x * 3, data);
    JSAMPROW r = row;
    jpeg_write_scanlines(&c, &r, 1);
  }
  jpeg_finish_compress(&c);
  jpeg_destroy_compress(&c);
  fclose(f);
}

static void
solid(guint x, guint y, guint w, guint h, guint8 *rgb, gpointer data)
{
  (void)x, (void)y, (void)w, (void)h;
  memcpy(rgb, data, 3);
}

void
kt_write_solid_jpeg(const char *path, guint w, guint h, guint8 r, guint8 g, guint8 b)
{
  guint8 colour[3] = {r, g, b};
  kt_write_jpeg(path, w, h, solid, colour, 0, 90);
}

void
kt_write_huge_png(const char *path, guint side)
{
  FILE *f = fopen(path, "wb");
  g_assert(f);
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
  png_infop info = png_create_info_struct(png);
  png_init_io(png, f);
  png_set_compression_level(png, 9);
  png_set_filter(png, 0, PNG_FILTER_NONE);
  png_set_IHDR(png, info, side, side, 1, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  g_autofree png_bytep row = g_malloc0((side + 7) / 8);
  for (guint y = 0; y < side; y++)
    png_write_row(png, row);
  png_write_end(png, NULL);
  png_destroy_write_struct(&png, &info);
  fclose(f);
}

void
kt_write_broken_jpeg(const char *src, const char *dst)
{
  g_autofree guint8 *data = NULL;
  gsize len = 0;
  g_assert(g_file_get_contents(src, (char **)&data, &len, NULL));
  gsize sos = 2;
  while (sos + 4 < len && !(data[sos] == 0xFF && data[sos + 1] == 0xDA))
    sos += 2 + ((gsize)data[sos + 2] << 8 | data[sos + 3]); /* marker by marker */
  g_assert(sos + 4 < len);
  data[sos] = 0xFF;
  data[sos + 1] = 0xD9; /* the end, where the scan was */
  g_assert(g_file_set_contents(dst, (const char *)data, (gssize)sos + 2, NULL));
}
