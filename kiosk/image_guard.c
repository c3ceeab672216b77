/* Photos checked before they are decoded (image_guard.h). */
#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/image_guard.h"

#include "kiosk/png_scaled.h"
#include "kiosk/webp_scaled.h"
#include "protocol/image_size.h"

#include <SDL_image.h>
#include <jpeglib.h>
#include <setjmp.h>
#include <stdio.h>

#define HEAD_BYTES (256 * 1024) /* a JPEG's segments before its frame header fit in this */

/* The photo frame decodes on its worker thread (kiosk/ui/photo_loader.h) while the UI thread
 * asks what was refused: both go through this lock. Decoding itself runs outside it. */
static GMutex lock;
static GHashTable *refused; /* path -> path: never tried again */
static gint attempts;

static void
remember(const char *path, const char *why)
{
  g_mutex_lock(&lock);
  if (!refused)
    refused = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  g_hash_table_add(refused, g_strdup(path));
  g_mutex_unlock(&lock);
  g_autofree char *name = g_path_get_basename(path);
  g_message("photo %s is not shown: %s", name, why);
}

gboolean
vk_image_guard_refused(const char *path)
{
  g_mutex_lock(&lock);
  gboolean r = refused && g_hash_table_contains(refused, path);
  g_mutex_unlock(&lock);
  return r;
}

guint
vk_image_guard_refusals(void)
{
  g_mutex_lock(&lock);
  guint n = refused ? g_hash_table_size(refused) : 0;
  g_mutex_unlock(&lock);
  return n;
}

guint
vk_image_guard_attempts(void)
{
  return (guint)g_atomic_int_get(&attempts);
}

/* The declared size, from the first HEAD_BYTES of the file. */
static gboolean
declared_size(const char *path, guint *w, guint *h)
{
  FILE *f = fopen(path, "rb");
  if (!f)
    return FALSE;
  g_autofree guint8 *head = g_malloc(HEAD_BYTES);
  size_t n = fread(head, 1, HEAD_BYTES, f);
  fclose(f);
  return vp_image_size(head, n, w, h);
}

typedef struct {
  struct jpeg_error_mgr mgr;
  jmp_buf jump;
} JpegFailure;

static void
jpeg_fail(j_common_ptr cinfo)
{
  longjmp(((JpegFailure *)cinfo->err)->jump, 1);
}

static void
jpeg_quiet(j_common_ptr cinfo, int level)
{
  (void)cinfo;
  (void)level;
}

/* Decode at 1/1, 1/2, 1/4 or 1/8: the smallest scale whose longer side is still at least
 * max_side (or the whole photo when it is smaller). */
static SDL_Surface *
jpeg_load_scaled(const char *path, guint max_side)
{
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  struct jpeg_decompress_struct cinfo;
  JpegFailure failure;
  SDL_Surface *volatile out = NULL;
  cinfo.err = jpeg_std_error(&failure.mgr);
  failure.mgr.error_exit = jpeg_fail;
  failure.mgr.emit_message = jpeg_quiet;
  if (setjmp(failure.jump)) {
    jpeg_destroy_decompress(&cinfo);
    fclose(f);
    if (out)
      SDL_FreeSurface(out);
    return NULL;
  }
  jpeg_create_decompress(&cinfo);
  jpeg_stdio_src(&cinfo, f);
  jpeg_read_header(&cinfo, TRUE);
  guint side = MAX(cinfo.image_width, cinfo.image_height);
  guint denom = 1;
  while (denom < 8 && side / (denom * 2) >= max_side)
    denom *= 2;
  cinfo.scale_num = 1;
  cinfo.scale_denom = denom;
  cinfo.out_color_space = JCS_RGB;
  jpeg_start_decompress(&cinfo);
  out = SDL_CreateRGBSurfaceWithFormat(0, (int)cinfo.output_width, (int)cinfo.output_height, 24,
                                       SDL_PIXELFORMAT_RGB24);
  if (!out)
    longjmp(failure.jump, 1);
  while (cinfo.output_scanline < cinfo.output_height) {
    JSAMPROW row = (Uint8 *)out->pixels + (size_t)cinfo.output_scanline * out->pitch;
    jpeg_read_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_decompress(&cinfo);
  jpeg_destroy_decompress(&cinfo);
  fclose(f);
  return out;
}

static gboolean
is_jpeg(const char *path)
{
  guint8 magic[3] = {0};
  FILE *f = fopen(path, "rb");
  if (!f)
    return FALSE;
  size_t n = fread(magic, 1, sizeof magic, f);
  fclose(f);
  return n == 3 && magic[0] == 0xFF && magic[1] == 0xD8 && magic[2] == 0xFF;
}

SDL_Surface *
vk_image_guard_load(const char *path)
{
  return vk_image_guard_load_fit(path, VK_IMAGE_DECODE_SIDE);
}

SDL_Surface *
vk_image_guard_load_fit(const char *path, guint max_side)
{
  max_side = CLAMP(max_side, 64u, VK_IMAGE_DECODE_SIDE);
  if (!path || vk_image_guard_refused(path))
    return NULL;
  guint w = 0, h = 0;
  if (!declared_size(path, &w, &h)) {
    remember(path, "its size in pixels cannot be read");
    return NULL;
  }
  if (!vp_image_size_allowed(w, h)) {
    g_autofree char *why = g_strdup_printf("%u×%u pixels is more than a photo may have", w, h);
    remember(path, why);
    return NULL;
  }
  g_atomic_int_inc(&attempts);
  SDL_Surface *s;
  if (is_jpeg(path))
    s = jpeg_load_scaled(path, max_side);
  else if (MAX(w, h) > max_side && vk_png_is_png(path))
    s = vk_png_load_scaled(path, max_side);
  else if (MAX(w, h) > max_side && vk_webp_is_webp(path))
    s = vk_webp_load_scaled(path, max_side);
  else
    s = IMG_Load(path);
  if (!s)
    remember(path, "it could not be decoded");
  return s;
}
