/* The card screen (a plugin's card drawn by the kiosk) in every language and theme, compared
 * with tests/plugins/golden/<theme>/<card>-<lang>.png: the reminder's card (card-*, the family
 * fixture) and the activity invitation as the activities plugin makes it (activity-card-*,
 * tests/plugins/fixtures/activity_card.json, kept equal to the plugin's by activities-plugin).
 * The UX figures of the same cards are checked by kiosk-ux-figures, which walks the same tours.
 * Regenerate with tests/plugins/update-card-golden.sh and look at every image before
 * committing it. */
#include <SDL.h>
#include <SDL_image.h>
#include "check_main.h"
#include <glib/gstdio.h>

#include "tests/kiosk/kiosk_run.h"

static const char *const themes[] = {"default", "high-contrast", "dark"};
static const char *const langs[] = {"nb", "nn", "sv", "en"};
typedef struct {
  const char *fixture, *golden;
} Card;
static const Card cards[] = {{"tests/kiosk/fixtures/family.json", "card"},
                             {"tests/plugins/fixtures/activity_card.json", "activity-card"}};

static SDL_Surface *
load(const char *path)
{
  SDL_Surface *s = IMG_Load(path);
  ck_assert_msg(s != NULL, "cannot load %s: %s", path, IMG_GetError());
  SDL_Surface *c = SDL_ConvertSurfaceFormat(s, SDL_PIXELFORMAT_ARGB8888, 0);
  SDL_FreeSurface(s);
  return c;
}

/* the fraction of pixels whose largest channel difference exceeds 48 (font rasterisation) */
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
      for (int sh = 0; sh < 24; sh += 8)
        d = MAX(d, ABS((int)((pa[x] >> sh) & 0xff) - (int)((pb[x] >> sh) & 0xff)));
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

START_TEST(card_matches_golden)
{
  const Card *card = &cards[_i / (G_N_ELEMENTS(themes) * G_N_ELEMENTS(langs))];
  const char *theme = themes[(_i / G_N_ELEMENTS(langs)) % G_N_ELEMENTS(themes)];
  const char *lang = langs[_i % G_N_ELEMENTS(langs)];
  g_autofree char *tmp = g_dir_make_tmp("vindu-card-golden-XXXXXX", NULL);
  g_autoptr(JsonNode) tour = kt_describe(card->fixture, theme, "1280x800", "150", lang, tmp);
  ck_assert_ptr_nonnull(tour);
  g_autofree char *name =
      g_strdup_printf("tests/plugins/golden/%s/%s-%s.png", theme, card->golden, lang);
  g_autofree char *golden = kt_source_path(name);
  g_autofree char *drawn = g_build_filename(tmp, "card.png", NULL);
  ck_assert_msg(g_file_test(drawn, G_FILE_TEST_EXISTS), "the tour drew no card");
  SDL_Surface *a = load(golden), *b = load(drawn);
  double f = differ(a, b);
  SDL_FreeSurface(a);
  SDL_FreeSurface(b);
  ck_assert_msg(f < 0.005, "%s: %.2f %% of pixels differ", name, f * 100);
  rm_rf(tmp);
}
END_TEST

int
main(void)
{
  Suite *su = suite_create("card-golden");
  TCase *tc = tcase_create("card-golden");
  tcase_set_timeout(tc, 120);
  tcase_add_loop_test(tc, card_matches_golden, 0,
                      G_N_ELEMENTS(cards) * G_N_ELEMENTS(themes) * G_N_ELEMENTS(langs));
  suite_add_tcase(su, tc);
  return vindu_check_run(su);
}
