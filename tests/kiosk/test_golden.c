/* Golden images: the layout of every screen state, compared pixel by pixel with a small
 * tolerance for font rasterisation. Regenerate with tests/kiosk/update-golden.sh after an
 * intended change, and look at the new PNGs before committing them. */
#include <SDL.h>
#include <SDL_image.h>
#include "check_main.h"
#include <glib/gstdio.h>

#include "tests/kiosk/kiosk_run.h"

static const char *const themes[] = {"default", "high-contrast", "dark"};

static SDL_Surface *
load(const char *path)
{
  SDL_Surface *s = IMG_Load(path);
  ck_assert_msg(s != NULL, "cannot load %s: %s", path, IMG_GetError());
  SDL_Surface *c = SDL_ConvertSurfaceFormat(s, SDL_PIXELFORMAT_ARGB8888, 0);
  SDL_FreeSurface(s);
  return c;
}

/* fraction of pixels whose largest channel difference exceeds 48 */
static double
differ(SDL_Surface *a, SDL_Surface *b)
{
  ck_assert_int_eq(a->w, b->w);
  ck_assert_int_eq(a->h, b->h);
  long bad = 0;
  for (int y = 0; y < a->h; y++) {
    const Uint32 *pa = (const Uint32 *)((const Uint8 *)a->pixels + y * a->pitch);
    const Uint32 *pb = (const Uint32 *)((const Uint8 *)b->pixels + y * b->pitch);
    for (int x = 0; x < a->w; x++) {
      int d = 0;
      for (int sh = 0; sh < 24; sh += 8) {
        int da = (int)((pa[x] >> sh) & 0xff) - (int)((pb[x] >> sh) & 0xff);
        d = MAX(d, ABS(da));
      }
      bad += d > 48;
    }
  }
  return (double)bad / (a->w * a->h);
}

static void
rm_rf(const char *dir)
{
  g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
  const char *n;
  while (d && (n = g_dir_read_name(d))) {
    g_autofree char *p = g_build_filename(dir, n, NULL);
    g_unlink(p);
  }
  g_rmdir(dir);
}

START_TEST(layout_matches_golden)
{
  const char *theme = themes[_i];
  g_autofree char *tmp = g_dir_make_tmp("vindu-golden-XXXXXX", NULL);
  g_autoptr(JsonNode) d =
      kt_describe("tests/kiosk/fixtures/family.json", theme, "1280x800", "150", "en", tmp);
  g_autofree char *rel = g_build_filename("tests/kiosk/golden", theme, NULL);
  g_autofree char *golden = kt_source_path(rel);
  g_autoptr(GDir) gd = g_dir_open(golden, 0, NULL);
  ck_assert_msg(gd != NULL, "no golden images in %s (run tests/kiosk/update-golden.sh)", golden);
  JsonArray *scrs = json_object_get_array_member(json_node_get_object(d), "screens");
  int compared = 0;
  const char *n;
  while ((n = g_dir_read_name(gd))) {
    if (!g_str_has_suffix(n, ".png"))
      continue;
    g_autofree char *gp = g_build_filename(golden, n, NULL);
    g_autofree char *np = g_build_filename(tmp, n, NULL);
    ck_assert_msg(g_file_test(np, G_FILE_TEST_EXISTS), "%s: state %s no longer drawn", theme, n);
    SDL_Surface *a = load(gp), *b = load(np);
    double f = differ(a, b);
    SDL_FreeSurface(a);
    SDL_FreeSurface(b);
    ck_assert_msg(f < 0.005, "%s/%s: %.2f %% of pixels differ from the golden image", theme, n,
                  f * 100);
    compared++;
  }
  /* default: every state the tour reached has a golden image; the other themes keep a few
   * representative states to keep the repository small */
  /* (one image per state: the pages of home are one state) */
  g_autoptr(GHashTable) states = g_hash_table_new(g_str_hash, g_str_equal);
  for (guint k = 0; k < json_array_get_length(scrs); k++)
    g_hash_table_add(states, (gpointer)json_object_get_string_member(
                                 json_array_get_object_element(scrs, k), "state"));
  if (_i == 0)
    ck_assert_int_eq(compared, (int)g_hash_table_size(states));
  else
    ck_assert_int_ge(compared, 4);
  rm_rf(tmp);
}
END_TEST

/* The memory book's photo, still (memory-view), in the four languages on the small and the usual
 * screen: golden/memory-view/<lang>-<size>.png. */
static const char *const langs[] = {"en", "nb", "nn", "sv"};
static const char *const sizes[][2] = {{"800x480", "96"}, {"1280x800", "150"}};

START_TEST(memory_view_matches_golden)
{
  const char *lang = langs[_i / 2], *size = sizes[_i % 2][0], *dpi = sizes[_i % 2][1];
  g_autofree char *tmp = g_dir_make_tmp("vindu-golden-XXXXXX", NULL);
  g_autoptr(JsonNode) d =
      kt_describe("tests/kiosk/fixtures/family.json", "default", size, dpi, lang, tmp);
  ck_assert_ptr_nonnull(d); /* the tour ran; its screenshots are what is compared */
  g_autofree char *rel = g_strdup_printf("tests/kiosk/golden/memory-view/%s-%s.png", lang, size);
  g_autofree char *gp = kt_source_path(rel);
  g_autofree char *np = g_build_filename(tmp, "memory-view.png", NULL);
  ck_assert_msg(g_file_test(np, G_FILE_TEST_EXISTS), "%s %s: no memory-view drawn", lang, size);
  SDL_Surface *a = load(gp), *b = load(np);
  double f = differ(a, b);
  SDL_FreeSurface(a);
  SDL_FreeSurface(b);
  ck_assert_msg(f < 0.005, "memory-view %s %s: %.2f %% of pixels differ from the golden image",
                lang, size, f * 100);
  rm_rf(tmp);
}
END_TEST

int
main(void)
{
  Suite *su = suite_create("golden");
  TCase *tc = tcase_create("golden");
  tcase_set_timeout(tc, 120);
  tcase_add_loop_test(tc, layout_matches_golden, 0, G_N_ELEMENTS(themes));
  tcase_add_loop_test(tc, memory_view_matches_golden, 0, 2 * G_N_ELEMENTS(langs));
  suite_add_tcase(su, tc);
  int status = vindu_check_run(su);
  IMG_Quit();
  return status;
}
