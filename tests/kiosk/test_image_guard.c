/* Photos through kiosk/image_guard.c: a large PNG within the hub's limits is decoded to the
 * screen's bound without ever being whole in memory (kiosk/png_scaled.c), an interlaced one too,
 * a large lossy WebP likewise (kiosk/webp_scaled.c), and a PNG cut short is refused once and
 * never tried again. The photos are written here at test time (the PNGs row by row). */
#include <check.h>
#include <glib/gstdio.h>
#include <png.h>
#include <stdio.h>
#include <webp/encode.h>

#include "check_main.h"

#include "kiosk/image_guard.h"

#define BIG_SIDE 6000u /* 144 MB as RGBA when decoded whole */
#define PEAK_LIMIT_KB (80u * 1024u)
#define WEBP_W 6000u /* 72 MB as RGB when decoded whole */
#define WEBP_H 4000u
#define WEBP_PEAK_LIMIT_KB (40u * 1024u)

static char *dir, *big_png, *interlaced_png, *cut_png, *big_webp;

/* Red rises left to right, green top to bottom, blue is 128: a pixel's place can be read back. */
static void
fill_row(png_bytep row, guint w, guint h, guint y)
{
  for (guint x = 0; x < w; x++) {
    row[x * 3] = (png_byte)(x * 255u / (w - 1));
    row[x * 3 + 1] = (png_byte)(y * 255u / (h - 1));
    row[x * 3 + 2] = 128;
  }
}

static void
write_png(const char *path, guint w, guint h, gboolean interlaced)
{
  FILE *f = fopen(path, "wb");
  ck_assert_ptr_nonnull(f);
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
  png_infop info = png_create_info_struct(png);
  png_init_io(png, f);
  png_set_compression_level(png, 1);
  png_set_IHDR(png, info, w, h, 8, PNG_COLOR_TYPE_RGB,
               interlaced ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  int passes = interlaced ? png_set_interlace_handling(png) : 1;
  g_autofree png_bytep row = g_malloc((gsize)w * 3);
  for (int pass = 0; pass < passes; pass++) {
    for (guint y = 0; y < h; y++) {
      fill_row(row, w, h, y);
      png_write_row(png, row);
    }
  }
  png_write_end(png, NULL);
  png_destroy_write_struct(&png, &info);
  fclose(f);
}

static void
write_webp(const char *path, guint w, guint h)
{
  g_autofree guint8 *rgb = g_malloc((gsize)w * h * 3);
  for (guint y = 0; y < h; y++)
    fill_row(rgb + (gsize)y * w * 3, w, h, y);
  guint8 *out = NULL;
  size_t len = WebPEncodeRGB(rgb, (int)w, (int)h, (int)w * 3, 90, &out);
  ck_assert_uint_gt(len, 0);
  ck_assert(g_file_set_contents(path, (const char *)out, (gssize)len, NULL));
  WebPFree(out);
}

/* The first half of src's bytes: the header (and so the size) is whole, the pixels are not. */
static void
write_cut_short(const char *src, const char *dst)
{
  g_autofree char *data = NULL;
  gsize len = 0;
  ck_assert(g_file_get_contents(src, &data, &len, NULL));
  ck_assert(g_file_set_contents(dst, data, (gssize)(len / 2), NULL));
}

static void
make_files(void)
{
  dir = g_dir_make_tmp("vindu-image-guard-XXXXXX", NULL);
  big_png = g_build_filename(dir, "big.png", NULL);
  interlaced_png = g_build_filename(dir, "interlaced.png", NULL);
  cut_png = g_build_filename(dir, "cut.png", NULL);
  big_webp = g_build_filename(dir, "big.webp", NULL);
  write_png(big_png, BIG_SIDE, BIG_SIDE, FALSE);
  write_png(interlaced_png, 3000, 2500, TRUE);
  write_cut_short(big_png, cut_png);
  write_webp(big_webp, WEBP_W, WEBP_H);
}

static void
remove_files(void)
{
  g_unlink(big_png);
  g_unlink(interlaced_png);
  g_unlink(cut_png);
  g_unlink(big_webp);
  g_rmdir(dir);
  g_free(big_png);
  g_free(interlaced_png);
  g_free(cut_png);
  g_free(big_webp);
  g_free(dir);
}

/* The peak so far forgotten (the photos were written by this process's parent, whose peak a
 * forked test may carry); without /proc/self/clear_refs the peak only rises, which is no harm. */
static void
reset_peak(void)
{
  FILE *f = fopen("/proc/self/clear_refs", "w");
  if (!f)
    return;
  fputs("5", f);
  fclose(f);
}

/* The process's peak resident memory so far, in kB (VmHWM). */
static guint
peak_kb(void)
{
  g_autofree char *status = NULL;
  ck_assert(g_file_get_contents("/proc/self/status", &status, NULL, NULL));
  const char *line = strstr(status, "VmHWM:");
  ck_assert_ptr_nonnull(line);
  return (guint)g_ascii_strtoull(line + 6, NULL, 10);
}

/* The pixel at (x, y) as R, G, B, A whatever the surface's format. */
static void
pixel_at(SDL_Surface *s, int x, int y, Uint8 rgba[4])
{
  ck_assert_int_eq(SDL_LockSurface(s), 0);
  int bpp = s->format->BytesPerPixel;
  const Uint8 *p = (const Uint8 *)s->pixels + (gsize)y * s->pitch + (gsize)x * bpp;
  Uint32 v = 0;
  memcpy(&v, p, bpp);
  SDL_GetRGBA(v, s->format, &rgba[0], &rgba[1], &rgba[2], &rgba[3]);
  SDL_UnlockSurface(s);
}

/* Red and green at a few places match the written gradient: the picture is scaled, not cut. */
static void
assert_gradient(SDL_Surface *s)
{
  const int at[][2] = {{0, 0}, {s->w - 1, s->h - 1}, {s->w / 2, s->h / 4}, {s->w / 5, s->h - 1}};
  for (gsize i = 0; i < G_N_ELEMENTS(at); i++) {
    Uint8 px[4];
    pixel_at(s, at[i][0], at[i][1], px);
    int red = at[i][0] * 255 / (s->w - 1), green = at[i][1] * 255 / (s->h - 1);
    ck_assert_int_le(abs(px[0] - red), 4);
    ck_assert_int_le(abs(px[1] - green), 4);
    ck_assert_int_le(abs(px[2] - 128), 4);
    ck_assert_int_eq(px[3], 255);
  }
}

START_TEST(large_png_decoded_small_with_bounded_memory)
{
  reset_peak();
  guint before = peak_kb();
  SDL_Surface *s = vk_image_guard_load(big_png);
  guint growth = peak_kb() - before;
  ck_assert_ptr_nonnull(s);
  fprintf(stderr, "%u×%u PNG: %d×%d surface, peak memory grew by %u kB\n", BIG_SIDE, BIG_SIDE, s->w,
          s->h, growth);
  ck_assert_uint_lt(growth, PEAK_LIMIT_KB);
  ck_assert_int_eq(s->w, (int)VK_IMAGE_DECODE_SIDE);
  ck_assert_int_eq(s->h, (int)VK_IMAGE_DECODE_SIDE);
  assert_gradient(s);
  ck_assert_uint_eq(vk_image_guard_attempts(), 1);
  ck_assert(!vk_image_guard_refused(big_png));
  SDL_FreeSurface(s);
}
END_TEST

START_TEST(interlaced_png_decoded_small)
{
  SDL_Surface *s = vk_image_guard_load(interlaced_png);
  ck_assert_ptr_nonnull(s);
  ck_assert_int_eq(s->w, (int)VK_IMAGE_DECODE_SIDE);
  ck_assert_int_eq(s->h, (int)(2500u * VK_IMAGE_DECODE_SIDE / 3000u + 1)); /* 1706.7 rounded */
  assert_gradient(s);
  SDL_FreeSurface(s);
}
END_TEST

START_TEST(large_webp_decoded_small_with_bounded_memory)
{
  reset_peak();
  guint before = peak_kb();
  SDL_Surface *s = vk_image_guard_load(big_webp);
  guint growth = peak_kb() - before;
  ck_assert_ptr_nonnull(s);
  fprintf(stderr, "%u×%u WebP: %d×%d surface, peak memory grew by %u kB\n", WEBP_W, WEBP_H, s->w,
          s->h, growth);
  ck_assert_uint_lt(growth, WEBP_PEAK_LIMIT_KB);
  ck_assert_int_eq(s->w, (int)VK_IMAGE_DECODE_SIDE);
  ck_assert_int_eq(s->h, (int)((WEBP_H * VK_IMAGE_DECODE_SIDE + WEBP_W / 2) / WEBP_W));
  assert_gradient(s);
  SDL_FreeSurface(s);
}
END_TEST

START_TEST(cut_short_png_refused_once)
{
  ck_assert_ptr_null(vk_image_guard_load(cut_png));
  ck_assert_uint_eq(vk_image_guard_attempts(), 1);
  ck_assert(vk_image_guard_refused(cut_png));
  ck_assert_ptr_null(vk_image_guard_load(cut_png));
  ck_assert_ptr_null(vk_image_guard_load(cut_png));
  ck_assert_uint_eq(vk_image_guard_attempts(), 1); /* remembered, never decoded again */
  ck_assert_uint_eq(vk_image_guard_refusals(), 1);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("image_guard");
  TCase *tc = tcase_create("png");
  tcase_add_unchecked_fixture(tc, make_files, remove_files);
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, large_png_decoded_small_with_bounded_memory);
  tcase_add_test(tc, interlaced_png_decoded_small);
  tcase_add_test(tc, large_webp_decoded_small_with_bounded_memory);
  tcase_add_test(tc, cut_short_png_refused_once);
  suite_add_tcase(s, tc);
  return vindu_check_run(s);
}
