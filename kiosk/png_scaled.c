/* PNGs decoded row by row into a box filter (png_scaled.h). */
#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/png_scaled.h"

#include <png.h>
#include <stdio.h>
#include <string.h>

/* One output row being summed: every source row whose band it is adds into it. Colour is summed
 * weighted by alpha, so transparent pixels lend no colour to their neighbours. */
typedef struct {
  guint src_w, src_h; /* the rows the filter sees (the last pass's, when interlaced) */
  guint out_w, out_h;
  guint16 *col_of; /* source column -> output column */
  guint32 *col_n;  /* source columns per output column */
  guint32 *acc;    /* out_w × (r·a, g·a, b·a, a) */
  guint band_rows; /* source rows summed into acc so far */
  guint out_y;     /* the first output row acc belongs to */
  guint out_end;   /* and the one after its last (more than one: a row of an interlaced PNG's
                      last pass, when that has fewer rows than the output) */
  SDL_Surface *out;
} BoxFilter;

static void
box_init(BoxFilter *b, guint src_w, guint src_h, guint out_w, guint out_h)
{
  b->src_w = src_w;
  b->src_h = src_h;
  b->out_w = out_w;
  b->out_h = out_h;
  b->col_of = g_new(guint16, src_w);
  b->col_n = g_new0(guint32, out_w);
  b->acc = g_new0(guint32, (gsize)out_w * 4);
  for (guint x = 0; x < src_w; x++) {
    b->col_of[x] = (guint16)((guint64)x * out_w / src_w);
    b->col_n[b->col_of[x]]++;
  }
  b->band_rows = 0;
  b->out_y = 0;
  b->out_end = 0;
  b->out = NULL;
}

static void
box_clear(BoxFilter *b)
{
  g_clear_pointer(&b->col_of, g_free);
  g_clear_pointer(&b->col_n, g_free);
  g_clear_pointer(&b->acc, g_free);
  g_clear_pointer(&b->out, SDL_FreeSurface);
}

/* Write the summed band as output rows out_y to out_end and start the next. */
static void
box_flush(BoxFilter *b)
{
  Uint8 *dst = (Uint8 *)b->out->pixels + (gsize)b->out_y * b->out->pitch;
  for (guint x = 0; x < b->out_w; x++) {
    guint32 *s = b->acc + (gsize)x * 4;
    guint32 n = b->col_n[x] * b->band_rows;
    guint32 a = s[3];
    for (int c = 0; c < 3; c++)
      dst[x * 4 + c] = a ? (Uint8)((s[c] + a / 2) / a) : 0;
    dst[x * 4 + 3] = n ? (Uint8)((a + n / 2) / n) : 0;
  }
  for (guint y = b->out_y + 1; y < b->out_end; y++)
    memcpy((Uint8 *)b->out->pixels + (gsize)y * b->out->pitch, dst, (gsize)b->out_w * 4);
  memset(b->acc, 0, (gsize)b->out_w * 4 * sizeof *b->acc);
  b->band_rows = 0;
}

/* Add source row y (RGBA, 8 bits a channel). */
static void
box_add_row(BoxFilter *b, guint y, const png_byte *row)
{
  guint oy = (guint)((guint64)y * b->out_h / b->src_h);
  guint end = MAX(oy + 1, (guint)((guint64)(y + 1) * b->out_h / b->src_h));
  if (oy != b->out_y && b->band_rows > 0)
    box_flush(b);
  b->out_y = oy;
  b->out_end = end;
  for (guint x = 0; x < b->src_w; x++) {
    const png_byte *p = row + (gsize)x * 4;
    guint32 *s = b->acc + (gsize)b->col_of[x] * 4;
    s[0] += (guint32)p[0] * p[3];
    s[1] += (guint32)p[1] * p[3];
    s[2] += (guint32)p[2] * p[3];
    s[3] += p[3];
  }
  b->band_rows++;
}

static void
png_quiet(png_structp png, png_const_charp msg)
{
  (void)png;
  (void)msg;
}

static void
png_fail(png_structp png, png_const_charp msg)
{
  (void)msg;
  png_longjmp(png, 1);
}

/* Whatever the PNG holds, rows arrive as RGBA with 8 bits a channel. */
static void
png_want_rgba8(png_structp png, png_infop info)
{
  png_set_expand(png);
  png_set_strip_16(png);
  png_set_gray_to_rgb(png);
  png_set_add_alpha(png, 0xFF, PNG_FILLER_AFTER);
  png_read_update_info(png, info);
}

/* The output's size: the longer side max_side (or the PNG's own size when smaller). */
static void
scaled_size(guint w, guint h, guint max_side, guint *out_w, guint *out_h)
{
  guint side = MAX(w, h);
  if (side <= max_side) {
    *out_w = w;
    *out_h = h;
    return;
  }
  *out_w = MAX(1u, (guint)(((guint64)w * max_side + side / 2) / side));
  *out_h = MAX(1u, (guint)(((guint64)h * max_side + side / 2) / side));
}

/* Read every row of every pass; the rows of the kept pass go into the filter. */
static void
read_rows(png_structp png, BoxFilter *b, png_bytep row, guint w, guint h, gboolean interlaced)
{
  if (!interlaced) {
    for (guint y = 0; y < h; y++) {
      png_read_row(png, row, NULL);
      box_add_row(b, y, row);
    }
    return;
  }
  for (int pass = 0; pass < 7; pass++) {
    guint rows = PNG_PASS_ROWS(h, pass), cols = PNG_PASS_COLS(w, pass);
    if (rows == 0 || cols == 0)
      continue;
    for (guint y = 0; y < rows; y++) {
      png_read_row(png, row, NULL);
      if (pass == 6)
        box_add_row(b, y, row);
    }
  }
}

typedef struct {
  FILE *f;
  png_structp png;
  png_infop info;
  png_bytep row;
  BoxFilter box;
} PngRead;

static void
png_read_clear(PngRead *r)
{
  png_destroy_read_struct(&r->png, &r->info, NULL);
  g_clear_pointer(&r->row, g_free);
  box_clear(&r->box);
  if (r->f)
    fclose(r->f);
}

/* The decode proper; png_fail jumps back into vk_png_load_scaled's setjmp. */
static SDL_Surface *
decode(PngRead *r, guint max_side)
{
  png_init_io(r->png, r->f);
  png_read_info(r->png, r->info);
  guint w = png_get_image_width(r->png, r->info), h = png_get_image_height(r->png, r->info);
  gboolean interlaced = png_get_interlace_type(r->png, r->info) != PNG_INTERLACE_NONE;
  png_want_rgba8(r->png, r->info);
  guint src_h = interlaced ? PNG_PASS_ROWS(h, 6) : h;
  if (w == 0 || src_h == 0)
    return NULL; /* an interlaced PNG one row high has no last pass */
  guint out_w, out_h;
  scaled_size(w, h, max_side, &out_w, &out_h);
  box_init(&r->box, w, src_h, out_w, out_h);
  r->box.out =
      SDL_CreateRGBSurfaceWithFormat(0, (int)out_w, (int)out_h, 32, SDL_PIXELFORMAT_RGBA32);
  if (!r->box.out)
    return NULL;
  r->row = g_malloc((gsize)w * 4);
  read_rows(r->png, &r->box, r->row, w, h, interlaced);
  box_flush(&r->box);
  png_read_end(r->png, NULL);
  SDL_Surface *out = r->box.out;
  r->box.out = NULL;
  return out;
}

SDL_Surface *
vk_png_load_scaled(const char *path, guint max_side)
{
  PngRead r = {0};
  r.f = fopen(path, "rb");
  if (!r.f)
    return NULL;
  r.png = png_create_read_struct(PNG_LIBPNG_VER_STRING, NULL, png_fail, png_quiet);
  r.info = r.png ? png_create_info_struct(r.png) : NULL;
  if (!r.info) {
    png_read_clear(&r);
    return NULL;
  }
  if (setjmp(png_jmpbuf(r.png))) {
    png_read_clear(&r);
    return NULL;
  }
  SDL_Surface *out = decode(&r, max_side);
  png_read_clear(&r);
  return out;
}

gboolean
vk_png_is_png(const char *path)
{
  png_byte sig[8] = {0};
  FILE *f = fopen(path, "rb");
  if (!f)
    return FALSE;
  size_t n = fread(sig, 1, sizeof sig, f);
  fclose(f);
  return n == sizeof sig && png_sig_cmp(sig, 0, sizeof sig) == 0;
}
