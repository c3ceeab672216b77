#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/frame_book.h"
#include "kiosk/image_guard.h"
#include "kiosk/orientation.h"
#include "kiosk/screens/common.h"
#include "kiosk/ui/photo_loader.h"

/* Idle: the memory book's pages (then the photos family sent), each whole with its caption
 * large under it, two portraits side by side on a landscape screen, and the day in words. The
 * photos are decoded off the UI thread (kiosk/ui/photo_loader.h), the next slide before its
 * turn; a new slide fades in over the old one (app.c, kiosk/ui/crossfade.h).
 * A touch on a photo shows it still, with its caption read aloud (memory_view.c). */

/* The caption in the title size, wrapped; the body size when that would take over 2 lines. */
static VkWidget *
caption_label(VkApp *app, const char *name, const char *text, SDL_Rect area)
{
  VkUi *ui = app->ui;
  VkGeom g = vk_geom(app);
  int tw = 0, th = 0, px = g.title;
  vk_text_measure(ui, text, px, FALSE, area.w, &tw, &th);
  if (th > g.title * 3) {
    px = g.body;
    vk_text_measure(ui, text, px, FALSE, area.w, &tw, &th);
  }
  VkWidget *l =
      vk_label_new(ui, name, text, VK_TEXT_TITLE, vk_rect(area.x, area.y + area.h - th, area.w, th),
                   ui->theme->photo_band_text);
  l->font_px = px;
  l->wrap = TRUE;
  l->align = VK_ALIGN_CENTER;
  l->bg = ui->theme->photo_band;
  return l;
}

/* One photo whole in `area`, its caption under it; a touch opens it still. */
static void
add_photo(VkApp *app, VkWidget *root, const char *path, const char *name, SDL_Rect area)
{
  VkGeom g = vk_geom(app);
  const VkFramePhoto *page = vk_frame_book_page(path);
  int photo_h = area.h;
  if (page && page->caption && *page->caption) {
    g_autofree char *cname = g_strconcat("caption", name + strlen("photo"), NULL);
    VkWidget *c = vk_widget_add(
        root, caption_label(app, cname, page->caption,
                            vk_rect(area.x + g.m, area.y, area.w - 2 * g.m, area.h - g.g)));
    photo_h = c->rect.y - area.y - g.g;
  }
  VkWidget *ph = vk_widget_add(
      root, vk_image_new(app->ui, name, path, NULL, vk_rect(area.x, area.y, area.w, photo_h)));
  ph->whole = TRUE; /* the whole photo on the band's calm colour, never a cut-off head */
  ph->loaded_apart = TRUE;
  ph->bg = app->ui->theme->photo_band;
  vk_widget_set_action(ph, "memory-open", path);
}

/* The slide on the screen: its photos stay held until the slide due is ready to replace it. */
static char *on_screen[2];
/* The slide due is not the one on the screen: a decoded photo may let it show. */
static gboolean waiting;

static gboolean
held(VkApp *app, const char *path)
{
  return !path || vk_photo_loader_texture(app->ui->photos, path, NULL, NULL);
}

/* Still a photo of the book (not deleted, not refused)? */
static gboolean
in_book(VkApp *app, const char *path)
{
  return !path || (!vk_image_guard_refused(path) &&
                   g_ptr_array_find_with_equal_func(app->model->photos, path, g_str_equal, NULL));
}

static void
set_on_screen(const char *first, const char *second)
{
  g_free(on_screen[0]);
  g_free(on_screen[1]);
  on_screen[0] = g_strdup(first);
  on_screen[1] = g_strdup(second);
}

/* Which slide to draw. The slide due when its photos are decoded (on the loader's thread: a
 * broken or over-large one is refused there, leaves the book's slides, and the frame goes on);
 * until then the slide already on the screen. Only those and the next slide are held. */
static void
choose_slide(VkApp *app, const char **first, const char **second)
{
  const char *due[2] = {NULL, NULL}, *next[2] = {NULL, NULL};
  guint i = (guint)MAX(app->frame.photo_index, 0);
  guint slides = vk_frame_book_slide(app, i, &due[0], &due[1]);
  if (slides > 1)
    vk_frame_book_slide(app, i + 1, &next[0], &next[1]);
  if (!in_book(app, on_screen[0]) || !in_book(app, on_screen[1]))
    set_on_screen(NULL, NULL); /* a deleted page leaves the frame now, not at the next turn */
  const char *wanted[] = {due[0], due[1], on_screen[0], on_screen[1], next[0], next[1]};
  vk_photo_loader_want(app->ui->photos, wanted, G_N_ELEMENTS(wanted));
  gboolean changed = g_strcmp0(due[0], on_screen[0]) || g_strcmp0(due[1], on_screen[1]);
  if (slides && changed && held(app, due[0]) && held(app, due[1])) {
    app->frame.fade_due = on_screen[0] != NULL; /* from one slide to the next, softly */
    app->frame.slide_arrived = TRUE;
    set_on_screen(due[0], due[1]);
    const char *now_held[] = {due[0], due[1], next[0], next[1]};
    vk_photo_loader_want(app->ui->photos, now_held, G_N_ELEMENTS(now_held));
  }
  waiting = g_strcmp0(due[0], on_screen[0]) || g_strcmp0(due[1], on_screen[1]);
  *first = on_screen[0];
  *second = on_screen[1];
}

gboolean
vk_photo_frame_waiting(void)
{
  return waiting;
}

VkWidget *
vk_screen_photo_frame(VkApp *app)
{
  VkUi *ui = app->ui;
  VkTheme *t = ui->theme;
  VkGeom g = vk_geom(app);
  VkWidget *root = vk_screen_root(app, "photo-frame");
  root->bg = t->photo_band;
  int band_h = MAX(g.title * 2, g.t); /* the band is a target: home */
  const char *first, *second;
  choose_slide(app, &first, &second);
  if (first) {
    int half = second ? (g.w - g.g) / 2 : g.w;
    add_photo(app, root, first, "photo", vk_rect(0, 0, half, g.h - band_h));
    if (second)
      add_photo(app, root, second, "photo-2", vk_rect(half + g.g, 0, half, g.h - band_h));
  }
  g_autofree char *orient = vk_orientation_text(vk_model_now(app->model));
  VkWidget *band = vk_widget_add(
      root, vk_panel_new("band", vk_rect(0, g.h - band_h, g.w, band_h), t->photo_band, 0));
  vk_widget_set_action(band, "home", NULL); /* the day's band leads home; a photo, to it still */
  VkWidget *l = vk_widget_add(band, vk_label_new(ui, "orientation", orient, VK_TEXT_TITLE,
                                                 vk_rect(g.m, g.h - band_h, g.w - 2 * g.m, band_h),
                                                 t->photo_band_text));
  l->align = VK_ALIGN_CENTER;
  l->bg = t->photo_band;
  return root;
}

void
vk_photo_frame_forget(void)
{
  set_on_screen(NULL, NULL);
}
