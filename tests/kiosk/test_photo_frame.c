/* The photo frame in-process, headless, with photos written here at test time: photos decoded
 * off the UI thread (a redraw never waits for one) and only the shown and the next held at screen
 * size; the pace is the --frame-seconds setting; a new slide fades in over the old one; EXIF
 * orientations 1–8 shown upright (the pixels on the screen read back); a broken JPEG and a
 * 30000×30000 PNG skipped with the frame going on and the process's peak memory < 200 MB; a
 * page's spoken caption played after its words are read aloud. */
#include "check_main.h"
#include <check.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/wait.h>

#include "kiosk/app.h"
#include "kiosk/frame_book.h"
#include "kiosk/voice_player.h"
#include "kiosk/i18n.h"
#include "kiosk/image_guard.h"
#include "kiosk/speech.h"
#include "kiosk/ui/crossfade.h"
#include "kiosk/ui/photo_loader.h"
#include "kiosk/ui/render.h"
#include "tests/kiosk/headless_options.h"
#include "tests/kiosk/kiosk_run.h"
#include "tests/kiosk/photo_maker.h"

#define PEAK_LIMIT_KB (200u * 1024u)

static VkOptions opts;
static VkApp *app;
static char *dir;

static void
setup(void)
{
  kt_headless_options(&opts);
  opts.idle_seconds = 300;
  opts.frame_seconds = 20;
  vk_i18n_set_language("en");
  vk_speech_configure(FALSE, NULL);
  GError *e = NULL;
  app = vk_app_new(&opts, &e);
  ck_assert_msg(app != NULL, "%s", e ? e->message : "");
  dir = g_dir_make_tmp("vindu-frame-XXXXXX", NULL);
}

static void
teardown(void)
{
  vk_app_free(app);
  app = NULL;
  vk_options_clear(&opts);
  g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
  const char *n;
  while (d && (n = g_dir_read_name(d))) {
    g_autofree char *p = g_build_filename(dir, n, NULL);
    g_unlink(p);
  }
  g_rmdir(dir);
  g_clear_pointer(&dir, g_free);
}

static char *
in_dir(const char *name)
{
  return g_build_filename(dir, name, NULL);
}

static void
add_photo(const char *path)
{
  g_ptr_array_add(app->model->photos, g_strdup(path));
}

/* The main loop runs for ms, drawing as the kiosk does. */
static void
spin(int ms)
{
  gint64 end = g_get_monotonic_time() + ms * 1000;
  while (g_get_monotonic_time() < end)
    g_main_context_iteration(NULL, FALSE), g_usleep(2000);
  vk_app_redraw(app);
}

static const char *
shown_photo(void)
{
  VkWidget *w = app->root ? vk_widget_find(app->root, "photo") : NULL;
  return w ? w->image_path : NULL;
}

/* Spins until the frame's photo is `path` (or any photo for NULL); FALSE after 10 s. */
static gboolean
until_shown(const char *path)
{
  gint64 end = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;
  while (g_get_monotonic_time() < end) {
    spin(10);
    if (shown_photo() && (!path || g_str_equal(shown_photo(), path)) &&
        vk_photo_loader_texture(app->ui->photos, shown_photo(), NULL, NULL))
      return TRUE;
  }
  return FALSE;
}

/* The drawn pixel at (x, y) as 0xRRGGBB. */
static Uint32
drawn_pixel(int x, int y)
{
  Uint32 p = 0;
  SDL_Rect one = {x, y, 1, 1};
  ck_assert_int_eq(SDL_RenderReadPixels(app->renderer, &one, SDL_PIXELFORMAT_ARGB8888, &p, 4), 0);
  return p & 0xFFFFFF;
}

/* The screen's pixel at (x, y), from a fresh drawing of the current tree. */
static Uint32
pixel_at(int x, int y)
{
  SDL_SetRenderDrawColor(app->renderer, 0, 0, 0, 255);
  SDL_RenderClear(app->renderer);
  if (!vk_crossfade_draw(&app->frame.fade, app->ui, app->root, g_get_monotonic_time()))
    vk_render(app->ui, app->root, NULL);
  return drawn_pixel(x, y);
}

START_TEST(decoded_off_the_ui_thread_only_shown_and_next_held)
{
  const guint8 colours[5][3] = {
      {200, 30, 30}, {30, 200, 30}, {30, 30, 200}, {200, 200, 30}, {30, 200, 200}};
  char *paths[5]; /* freed at the end (g_autofree frees only an array's first) */
  for (int i = 0; i < 5; i++) {
    g_autofree char *name = g_strdup_printf("p%d.jpg", i);
    paths[i] = in_dir(name);
    kt_write_solid_jpeg(paths[i], 2400, 1600, colours[i][0], colours[i][1], colours[i][2]);
    add_photo(paths[i]);
  }
  app->opts->frame_seconds = 1;
  vk_app_show(app, VK_SCREEN_PHOTO_FRAME);
  vk_app_redraw(app);
  /* the redraw did not decode: the photo is not there yet, the day's band is */
  ck_assert_ptr_null(shown_photo());
  ck_assert_ptr_nonnull(vk_widget_find(app->root, "orientation"));
  ck_assert(until_shown(paths[0]));
  /* shown and next, and for a moment while a slide changes the one leaving: never more */
  gint64 end = g_get_monotonic_time() + 4500 * 1000;
  guint most = 0;
  while (g_get_monotonic_time() < end) {
    spin(20);
    most = MAX(most, vk_photo_loader_held(app->ui->photos));
  }
  ck_assert_int_ge(app->frame.photo_index, 3); /* the frame went on, at its pace */
  ck_assert_uint_le(most, 3);
  ck_assert_uint_ge(most, 2);
  /* the full-size cache of other screens never holds a frame photo */
  for (int i = 0; i < 5; i++)
    ck_assert(!g_hash_table_contains(app->ui->images, paths[i]));
  for (int i = 0; i < 5; i++)
    g_free(paths[i]);
}
END_TEST

START_TEST(the_pace_is_a_setting)
{
  g_autofree char *a = in_dir("a.jpg"), *b = in_dir("b.jpg");
  kt_write_solid_jpeg(a, 640, 400, 200, 30, 30);
  kt_write_solid_jpeg(b, 640, 400, 30, 30, 200);
  add_photo(a);
  add_photo(b);
  app->opts->frame_seconds = 3;
  vk_app_show(app, VK_SCREEN_PHOTO_FRAME);
  ck_assert(until_shown(a));
  spin(1500);
  ck_assert_int_eq(app->frame.photo_index, 0); /* 3 s a photo: not yet */
  ck_assert_str_eq(shown_photo(), a);
  ck_assert(until_shown(b)); /* then the next */
  ck_assert_int_eq(app->frame.photo_index, 1);
}
END_TEST

/* A red photo and a blue one of 640×400, written in the test's folder; in the book when
 * `in_book` (the blue one is then the second slide). */
static void
red_and_blue(char **red, char **blue, gboolean in_book)
{
  *red = in_dir("red.jpg");
  *blue = in_dir("blue.jpg");
  kt_write_solid_jpeg(*red, 640, 400, 230, 0, 0);
  kt_write_solid_jpeg(*blue, 640, 400, 0, 0, 230);
  add_photo(*red);
  if (in_book)
    add_photo(*blue);
}

START_TEST(a_new_slide_fades_in_over_the_old)
{
  g_autofree char *red = NULL, *blue = NULL;
  red_and_blue(&red, &blue, TRUE);
  app->opts->frame_seconds = VK_FRAME_SECONDS_MIN; /* longer than the fade */
  vk_app_show(app, VK_SCREEN_PHOTO_FRAME);
  ck_assert(until_shown(red));
  VkWidget *ph = vk_widget_find(app->root, "photo");
  int cx = ph->rect.x + ph->rect.w / 2, cy = ph->rect.y + ph->rect.h / 2;
  ck_assert(until_shown(blue));
  ck_assert(vk_crossfade_running(&app->frame.fade));
  /* halfway: red and blue both there */
  while (g_get_monotonic_time() - app->frame.fade.start_us < VK_CROSSFADE_MS * 1000 / 2)
    g_usleep(5000);
  Uint32 mid = pixel_at(cx, cy);
  ck_assert_msg((mid >> 16) > 60 && (mid & 0xFF) > 60, "halfway %06x", mid);
  spin(VK_CROSSFADE_MS + 100);
  ck_assert(!vk_crossfade_running(&app->frame.fade));
  Uint32 after = pixel_at(cx, cy);
  ck_assert_msg((after >> 16) < 30 && (after & 0xFF) > 200, "after %06x", after);
  /* the screen drawn last is kept in a texture: a change (the page deleted) is drawn anew */
  g_ptr_array_remove_index(app->model->photos, 1);
  vk_app_invalidate(app);
  spin(50);
  Uint32 gone = pixel_at(cx, cy);
  ck_assert_msg((gone & 0xFF) < 200, "deleted, still shown: %06x", gone);
}
END_TEST

/* The screen's pixel at (x, y) after one frame of the fade f, drawn as the kiosk draws it. */
static Uint32
fade_pixel_at(VkCrossfade *f, VkWidget *new_root, gint64 now_us, int x, int y)
{
  SDL_SetRenderDrawColor(app->renderer, 0, 0, 0, 255);
  SDL_RenderClear(app->renderer);
  ck_assert(vk_crossfade_draw(f, app->ui, new_root, now_us));
  return drawn_pixel(x, y);
}

/* Spins the main loop, drawing nothing, until `path` is held at screen size; FALSE after 10 s. */
static gboolean
until_held(const char *path)
{
  gint64 end = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;
  while (!vk_photo_loader_texture(app->ui->photos, path, NULL, NULL)) {
    if (g_get_monotonic_time() > end)
      return FALSE;
    g_main_context_iteration(NULL, FALSE);
    g_usleep(2000);
  }
  return TRUE;
}

START_TEST(the_new_slide_is_drawn_before_the_fade_moves)
{
  g_autofree char *red = NULL, *blue = NULL;
  red_and_blue(&red, &blue, TRUE);
  vk_app_show(app, VK_SCREEN_PHOTO_FRAME);
  ck_assert(until_shown(red));
  VkWidget *old_root = vk_screen_build(app, VK_SCREEN_PHOTO_FRAME);
  ck_assert(until_held(blue)); /* decoded ahead, as the next slide */
  app->frame.photo_index = 1;
  VkWidget *new_root = vk_screen_build(app, VK_SCREEN_PHOTO_FRAME);
  VkWidget *ph = vk_widget_find(new_root, "photo");
  ck_assert_str_eq(ph->image_path, blue);
  int cx = ph->rect.x + ph->rect.w / 2, cy = ph->rect.y + ph->rect.h / 2;
  VkCrossfade f = {0};
  ck_assert(vk_crossfade_begin(&f, app->ui, old_root));
  ck_assert(vk_crossfade_running(&f));
  ck_assert_msg(!vk_crossfade_moving(&f), "the fade's clock ran before the new slide was drawn");
  /* its first frame draws the new slide out of sight and shows the old one whole */
  gint64 before = g_get_monotonic_time();
  Uint32 first = fade_pixel_at(&f, new_root, before, cx, cy);
  ck_assert_msg((first >> 16) > 200 && (first & 0xFF) < 30, "first frame %06x", first);
  ck_assert(vk_crossfade_moving(&f));
  ck_assert_int_ge(f.start_us, before); /* the clock starts once the drawing is done */
  Uint32 mid = fade_pixel_at(&f, new_root, f.start_us + VK_CROSSFADE_MS * 1000 / 2, cx, cy);
  ck_assert_msg((mid >> 16) > 60 && (mid & 0xFF) > 60, "halfway %06x", mid);
  Uint32 end = fade_pixel_at(&f, new_root, f.start_us + VK_CROSSFADE_MS * 1000, cx, cy);
  ck_assert_msg((end >> 16) < 30 && (end & 0xFF) > 200, "after %06x", end);
  ck_assert(!vk_crossfade_running(&f));
  vk_crossfade_stop(&f);
  vk_widget_free(old_root);
  vk_widget_free(new_root);
}
END_TEST

START_TEST(a_photo_decoded_ahead_costs_no_redraw)
{
  g_autofree char *red = NULL, *ahead = NULL;
  red_and_blue(&red, &ahead, FALSE); /* the blue one not in the book: wanted ahead below */
  vk_app_show(app, VK_SCREEN_PHOTO_FRAME);
  ck_assert(until_shown(red));
  ck_assert(!app->dirty);
  /* a photo wanted for later (the next slide) is decoded: the screen shows the same slide */
  const char *wanted[] = {red, ahead};
  vk_photo_loader_want(app->ui->photos, wanted, G_N_ELEMENTS(wanted));
  ck_assert(until_held(ahead));
  ck_assert_msg(!app->dirty, "the frame was built again for a photo it does not show yet");
}
END_TEST

/* Upright: red top left, green top right, blue bottom left, white bottom right (480×240). */
static void
upright(guint x, guint y, guint8 *rgb)
{
  gboolean right = x >= 240, bottom = y >= 120;
  rgb[0] = right == bottom ? 255 : 0;
  rgb[1] = right ? 255 : 0;
  rgb[2] = bottom ? 255 : 0;
}

/* The stored pixel (x, y) of a w×h file whose EXIF orientation o turns it upright, by the EXIF
 * specification (where the stored first row and column go when shown). */
static void
stored(guint x, guint y, guint w, guint h, guint8 *rgb, gpointer data)
{
  int o = GPOINTER_TO_INT(data);
  guint ux = x, uy = y; /* the upright pixel this stored one becomes */
  switch (o) {
  case 2:
    ux = w - 1 - x;
    break;
  case 3:
    ux = w - 1 - x;
    uy = h - 1 - y;
    break;
  case 4:
    uy = h - 1 - y;
    break;
  case 5:
    ux = y;
    uy = x;
    break; /* transposed */
  case 6:
    ux = h - 1 - y;
    uy = x;
    break; /* shown turned 90° clockwise */
  case 7:
    ux = h - 1 - y;
    uy = w - 1 - x;
    break; /* transversed */
  case 8:
    ux = y;
    uy = w - 1 - x;
    break; /* shown turned 90° anticlockwise */
  default:
    break;
  }
  upright(ux, uy, rgb);
}

static const char *
colour_name(Uint32 p)
{
  int r = p >> 16 & 0xFF, g = p >> 8 & 0xFF, b = p & 0xFF;
  if (r > 180 && g > 180 && b > 180)
    return "white";
  if (r > 180 && g < 80 && b < 80)
    return "red";
  if (g > 180 && r < 80 && b < 80)
    return "green";
  if (b > 180 && r < 80 && g < 80)
    return "blue";
  return "other";
}

START_TEST(exif_orientations_shown_upright)
{
  int o = _i + 1;
  g_autofree char *path = in_dir("turned.jpg");
  gboolean quarter = o >= 5;
  kt_write_jpeg(path, quarter ? 240 : 480, quarter ? 480 : 240, stored, GINT_TO_POINTER(o), o, 95);
  add_photo(path);
  vk_app_show(app, VK_SCREEN_PHOTO_FRAME);
  ck_assert(until_shown(path));
  int tw = 0, th = 0;
  vk_photo_loader_texture(app->ui->photos, path, &tw, &th);
  ck_assert_msg(tw > th, "orientation %d: %dx%d is not landscape", o, tw, th);
  SDL_Rect rc = vk_widget_find(app->root, "photo")->rect;
  double s = MIN((double)rc.w / tw, (double)rc.h / th);
  int dw = (int)(tw * s), dh = (int)(th * s);
  int x0 = rc.x + (rc.w - dw) / 2, y0 = rc.y + (rc.h - dh) / 2;
  const char *want[4] = {"red", "green", "blue", "white"};
  for (int q = 0; q < 4; q++) {
    Uint32 p = pixel_at(x0 + dw * (q % 2 ? 3 : 1) / 4, y0 + dh * (q / 2 ? 3 : 1) / 4);
    ck_assert_msg(g_str_equal(colour_name(p), want[q]), "orientation %d, quarter %d: %06x not %s",
                  o, q, p, want[q]);
  }
}
END_TEST

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

START_TEST(broken_and_huge_skipped_and_the_frame_goes_on)
{
  g_autofree char *good = in_dir("good.jpg"), *broken = in_dir("broken.jpg");
  g_autofree char *huge = in_dir("huge.png");
  kt_write_solid_jpeg(good, 640, 400, 30, 200, 30);
  kt_write_broken_jpeg(good, broken);
  kt_write_huge_png(huge, 30000);
  add_photo(broken);
  add_photo(huge);
  add_photo(good);
  guint refused = vk_image_guard_refusals();
  vk_app_show(app, VK_SCREEN_PHOTO_FRAME);
  ck_assert(until_shown(good));
  ck_assert_uint_eq(vk_image_guard_refusals(), refused + 2);
  ck_assert(vk_image_guard_refused(broken) && vk_image_guard_refused(huge));
  spin(300);
  ck_assert_str_eq(shown_photo(), good); /* and it stays: nothing tried again */
  ck_assert_uint_lt(peak_kb(), PEAK_LIMIT_KB);
}
END_TEST

/* A touch on a page with a spoken caption: its words read aloud first, then the family's own
 * voice (an Ogg Opus recording made here), played to its end. */
START_TEST(touch_plays_the_spoken_caption_after_the_words)
{
  g_autofree char *photo = in_dir("cabin.jpg"), *voice = in_dir("cabin.ogg");
  kt_write_solid_jpeg(photo, 640, 400, 200, 120, 30);
  g_autofree char *loc = g_strdup_printf("location=%s", voice);
  const char *argv[] = {"gst-launch-1.0",
                        "-q",
                        "audiotestsrc",
                        "num-buffers=40",
                        "!",
                        "audioconvert",
                        "!",
                        "opusenc",
                        "!",
                        "oggmux",
                        "!",
                        "filesink",
                        loc,
                        NULL};
  gint status = -1;
  ck_assert(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                         &status, NULL));
  ck_assert_int_eq(status, 0);
  app->opts->media_test = TRUE;   /* the player's clocked fake sink */
  vk_speech_configure(TRUE, dir); /* espeak-ng writes the words to a WAV file, taking its time */
  g_autoptr(GPtrArray) pages = g_ptr_array_new_with_free_func((GDestroyNotify)vk_frame_photo_free);
  VkFramePhoto *page = vk_frame_photo_new(photo, NULL);
  page->caption = g_strdup("Summer at the cabin, 1974");
  page->voice_path = g_strdup(voice);
  g_ptr_array_add(pages, page);
  vk_frame_book_set_pages(app, pages);
  guint said = vk_speech_count();
  ck_assert(vk_memory_view_activate(app, "memory-open", photo));
  ck_assert_int_eq(app->screen, VK_SCREEN_MEMORY_VIEW);
  ck_assert_uint_eq(vk_speech_count(), said + 1);
  /* the words first: nothing plays while they are said */
  ck_assert(!app->player || !vk_voice_player_playing(app->player));
  gint64 end = g_get_monotonic_time() + 20 * G_USEC_PER_SEC;
  while ((!app->player || !vk_voice_player_finished(app->player)) && g_get_monotonic_time() < end)
    spin(20);
  ck_assert_msg(app->player && vk_voice_player_finished(app->player) == 1,
                "the spoken caption was not played to its end");
  ck_assert_uint_eq(vk_voice_player_failed(app->player), 0);
  vk_speech_configure(FALSE, NULL);
}
END_TEST

/* A setting out of bounds: the kiosk does not start, and says which values it takes. */
START_TEST(settings_out_of_bounds_refused)
{
  g_autofree char *bin =
      g_build_filename(g_getenv("VINDU_BUILD_DIR"), "kiosk", "vindu-kiosk", NULL);
  const char *cases[][3] = {{"--frame-seconds", "2", "--frame-seconds must be 3 to 3600"},
                            {"--frame-seconds", "3601", "--frame-seconds must be 3 to 3600"},
                            {"--idle-seconds", "-1", "--idle-seconds must be 0 (never) to 86400"}};
  for (guint k = 0; k < G_N_ELEMENTS(cases); k++) {
    const char *argv[] = {bin, "--headless", "--describe", cases[k][0], cases[k][1], NULL};
    g_autofree char *err = NULL;
    gint status = 0;
    ck_assert(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL,
                           &err, &status, NULL));
    ck_assert_msg(g_spawn_check_wait_status(status, NULL) == FALSE && WEXITSTATUS(status) == 2,
                  "%s %s: status %d", cases[k][0], cases[k][1], status);
    ck_assert_msg(strstr(err, cases[k][2]), "%s %s: %s", cases[k][0], cases[k][1], err);
  }
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("photo-frame");
  TCase *tc = tcase_create("photo-frame");
  tcase_set_timeout(tc, 120);
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, decoded_off_the_ui_thread_only_shown_and_next_held);
  tcase_add_test(tc, the_pace_is_a_setting);
  tcase_add_test(tc, a_new_slide_fades_in_over_the_old);
  tcase_add_test(tc, the_new_slide_is_drawn_before_the_fade_moves);
  tcase_add_test(tc, a_photo_decoded_ahead_costs_no_redraw);
  tcase_add_loop_test(tc, exif_orientations_shown_upright, 0, 8);
  tcase_add_test(tc, broken_and_huge_skipped_and_the_frame_goes_on);
  tcase_add_test(tc, touch_plays_the_spoken_caption_after_the_words);
  tcase_add_test(tc, settings_out_of_bounds_refused);
  suite_add_tcase(s, tc);
  return vindu_check_run(s);
}
