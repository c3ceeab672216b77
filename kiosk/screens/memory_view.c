#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/call_about.h"
#include "kiosk/frame_book.h"
#include "kiosk/plugin_reports.h"
#include "kiosk/screens/common.h"
#include "kiosk/speech.h"
#include "kiosk/voice_player.h"
#include "kiosk/ui/photo_loader.h"

/* A photo of the frame, still: whole, its caption under it (read aloud when it opens), "Call
 * Anna about this photo" (whoever added it), big buttons to the previous and next photo, the
 * book's chapters to choose from, and Home. */

static int
index_of(VkApp *app, const char *path)
{
  GPtrArray *all = app->model->photos;
  for (guint i = 0; path && i < all->len; i++)
    if (g_str_equal(all->pdata[i], path))
      return (int)i;
  return -1;
}

/* The person who added the page, when they are one of the household's people. */
static VkPerson *
added_by(VkApp *app, const VkFramePhoto *page)
{
  return page && page->added_by ? vk_model_find_person(app->model, page->added_by) : NULL;
}

/* What is read aloud: the caption, who is in it, who added it. transfer full */
static char *
spoken(VkApp *app, const VkFramePhoto *page)
{
  GString *s = g_string_new(page && page->caption ? page->caption : "");
  if (page && page->people && *page->people) {
    g_autofree char *with = g_strdup_printf(_("With %s."), page->people);
    g_string_append_printf(s, "%s%s", s->len ? ". " : "", with);
  }
  VkPerson *who = added_by(app, page);
  if (who) {
    g_autofree char *by = g_strdup_printf(_("%s added this photo."), who->name);
    g_string_append_printf(s, "%s%s", s->len ? " " : "", by);
  }
  return g_string_free(s, FALSE);
}

static guint
    opened; /* how many times a photo was opened: a late voice for one gone is not played */

typedef struct {
  VkApp *app;
  guint opened;
} VoiceDue;

/* The caption has been read aloud: the family's own voice says it next, if the same photo is
 * still open (at the kiosk's volume, as voice messages). */
static gboolean
play_voice(gpointer data)
{
  VoiceDue *due = data;
  VkApp *app = due->app;
  const VkFramePhoto *page = vk_frame_book_page(app->memory.path);
  if (due->opened == opened && app->screen == VK_SCREEN_MEMORY_VIEW && page && page->voice_path) {
    if (!app->player)
      app->player = vk_voice_player_new(app->opts->media_test);
    g_autoptr(GError) err = NULL;
    if (!vk_voice_player_play(app->player, page->voice_path, MIN(app->volume / 7.0, 1.0), &err))
      g_message("cannot play a spoken caption: %s", err->message);
  }
  g_free(due);
  return G_SOURCE_REMOVE;
}

static void
show(VkApp *app, const char *path)
{
  vk_memory_state_open(&app->memory, path);
  opened++;
  vk_app_show(app, VK_SCREEN_MEMORY_VIEW); /* stops a voice still playing */
  const VkFramePhoto *page = vk_frame_book_page(path);
  g_autofree char *words = spoken(app, page);
  vk_memory_look_report(app, page ? page->file : NULL);
  if (page && page->voice_path) {
    VoiceDue *due = g_new0(VoiceDue, 1);
    due->app = app;
    due->opened = opened;
    vk_speech_say_then(words, play_voice, due); /* the words first, then her family's voice */
  } else if (*words) {
    vk_speech_say(words); /* the words read aloud, for eyes that cannot read them */
  }
}

static void
step(VkApp *app, int by)
{
  GPtrArray *all = app->model->photos;
  int i = index_of(app, app->memory.path);
  if (!all->len)
    return;
  for (guint tries = 0; tries < all->len; tries++) {
    i = (i + by + (int)all->len) % (int)all->len;
    const VkFramePhoto *p = vk_frame_book_page(all->pdata[i]);
    const char *c = vk_frame_book_chapter();
    if (!c || (p && g_strcmp0(p->chapter, c) == 0))
      break;
  }
  show(app, all->pdata[i]);
}

gboolean
vk_memory_view_activate(VkApp *app, const char *action, const char *arg)
{
  if (g_str_equal(action, "memory-open") && arg) {
    show(app, arg);
  } else if (g_str_equal(action, "memory-next") || g_str_equal(action, "memory-previous")) {
    step(app, g_str_equal(action, "memory-next") ? 1 : -1);
  } else if (g_str_equal(action, "memory-chapter")) {
    vk_frame_book_choose_chapter(arg && *arg ? arg : NULL);
    vk_frame_state_rewind(&app->frame);
    step(app, 0);
  } else if (g_str_equal(action, "memory-call") && arg) {
    const VkFramePhoto *page = vk_frame_book_page(app->memory.path);
    vk_call_about_set(arg, page ? page->file : NULL);
    vk_app_call_event(app, CALL_EVENT_USER_CALL, arg, FALSE);
  } else {
    return FALSE;
  }
  return TRUE;
}

/* The photo shown and the next one held at screen size (decoded on the loader's thread). */
static void
want_photos(VkApp *app)
{
  GPtrArray *all = app->model->photos;
  int i = index_of(app, app->memory.path);
  const char *wanted[] = {app->memory.path,
                          all->len > 1 ? all->pdata[(i + 1) % (int)all->len] : NULL};
  vk_photo_loader_want(app->ui->photos, wanted, G_N_ELEMENTS(wanted));
}

/* The chapters row: "All photos" and each chapter, as many as fit left of `right` (the screen
 * keeps ≤ 8 targets). */
static void
add_chapters(VkApp *app, VkWidget *root, int y, int right)
{
  VkGeom g = vk_geom(app);
  g_autoptr(GPtrArray) chapters = vk_frame_book_chapters();
  if (chapters->len < 2)
    return;
  int x = g.m;
  for (guint i = 0; i <= MIN(chapters->len, 3); i++) {
    const char *key = i ? chapters->pdata[i - 1] : "";
    const char *words = i ? vk_frame_book_chapter_words(key) : _("All photos");
    int w = vk_button_width(app, words, g.t * 3 / 2);
    if (x + w > right)
      break;
    gboolean chosen = g_strcmp0(vk_frame_book_chapter(), i ? key : NULL) == 0;
    g_autofree char *name = g_strdup_printf("chapter-%u", i);
    VkTheme *t = app->ui->theme;
    vk_widget_add(root,
                  vk_button_new(app->ui, name, words, vk_rect(x, y, w, g.t),
                                chosen ? t->call : t->button,
                                chosen ? t->call_text : t->button_text, "memory-chapter", key));
    x += w + g.g;
  }
}

/* "Call Anna about this photo" (whoever added it), whole: in the bottom row between Next and
 * Home when it fits there, else at the right of the row above, where it wins over the chapters
 * (the call is what the photo leads to). Returns where the row above ends for the chapters. */
static int
add_call(VkApp *app, VkWidget *root, const VkFramePhoto *page, SDL_Rect room, int upper_y)
{
  VkGeom g = vk_geom(app);
  VkPerson *who = added_by(app, page);
  if (!who || !app->model->connected) /* offline, nobody can be called: no button says so */
    return g.w - g.m;
  g_autofree char *call = g_strdup_printf(_("Call %s about this photo"), who->name);
  VkTheme *t = app->ui->theme;
  VkWidget *b = vk_button_new(app->ui, "call-about", call, room, t->call, t->call_text,
                              "memory-call", who->id);
  b->rect.w = MIN(vk_button_width(app, call, g.t * 2), room.w);
  vk_fit_or_body(app, b);
  if (b->rect.w < g.t * 3 / 2 || !vk_text_fits(app->ui, b)) {
    int w = MIN(vk_button_width(app, call, g.t * 2), g.w - 2 * g.m);
    b->rect = vk_rect(g.w - g.m - w, upper_y, w, g.t);
    b->font_px = vk_ui_font_px(app->ui, VK_TEXT_NAME);
    vk_fit_or_body(app, b);
  }
  vk_widget_add(root, b);
  return b->rect.y == upper_y ? b->rect.x - g.g : g.w - g.m;
}

/* The row of buttons at the bottom: previous, next, (the call,) Home. Returns the right end of
 * the row above, for the chapters. */
static int
add_buttons(VkApp *app, VkWidget *root, const VkFramePhoto *page, int y, int upper_y)
{
  VkGeom g = vk_geom(app);
  VkTheme *t = app->ui->theme;
  const char *prev = _("Previous photo"), *next = _("Next photo"), *home = _("Home");
  int pw = vk_button_width(app, prev, g.t * 3 / 2), nw = vk_button_width(app, next, g.t * 3 / 2);
  int hw = vk_button_width(app, home, g.t * 3 / 2);
  vk_widget_add(root, vk_button_new(app->ui, "previous", prev, vk_rect(g.m, y, pw, g.t), t->button,
                                    t->button_text, "memory-previous", NULL));
  vk_widget_add(root, vk_button_new(app->ui, "next", next, vk_rect(g.m + pw + g.g, y, nw, g.t),
                                    t->button, t->button_text, "memory-next", NULL));
  vk_widget_add(root, vk_button_new(app->ui, "home", home, vk_rect(g.w - g.m - hw, y, hw, g.t),
                                    t->button, t->button_text, "home", NULL));
  int left = g.m + pw + nw + 2 * g.g, room = g.w - g.m - hw - g.g - left;
  return add_call(app, root, page, vk_rect(left, y, MAX(room, 0), g.t), upper_y);
}

VkWidget *
vk_screen_memory_view(VkApp *app)
{
  VkUi *ui = app->ui;
  VkTheme *t = ui->theme;
  VkGeom g = vk_geom(app);
  VkWidget *root = vk_screen_root(app, "memory-view");
  root->bg = t->photo_band;
  const VkFramePhoto *page = vk_frame_book_page(app->memory.path);
  int by = g.h - g.m - g.t;
  int chapters_y = by - g.g - g.t;
  g_autoptr(GPtrArray) chapters = vk_frame_book_chapters();
  int chapters_end = add_buttons(app, root, page, by, chapters_y);
  gboolean upper = chapters->len >= 2 || chapters_end < g.w - g.m; /* chapters, or the call */
  int above = upper ? chapters_y : by;
  add_chapters(app, root, chapters_y, chapters_end);
  const char *caption = page && page->caption ? page->caption : "";
  int words_h = *caption ? vk_body_height(app, caption, g.w - 2 * g.m) : 0;
  int photo_h = above - g.g - (words_h ? words_h + g.g : 0);
  if (app->memory.path && index_of(app, app->memory.path) >= 0) {
    want_photos(app);
    VkWidget *ph = vk_widget_add(
        root, vk_image_new(ui, "photo", app->memory.path, NULL, vk_rect(0, 0, g.w, photo_h)));
    ph->whole = TRUE;
    ph->loaded_apart = TRUE; /* decoded off the UI thread; the frame's photo is already held */
    ph->bg = t->photo_band;
  }
  if (words_h) {
    VkWidget *l =
        vk_widget_add(root, vk_label_new(ui, "caption", caption, VK_TEXT_BODY,
                                         vk_rect(g.m, photo_h + g.g, g.w - 2 * g.m, words_h),
                                         t->photo_band_text));
    l->wrap = TRUE;
    l->align = VK_ALIGN_CENTER;
    l->bg = t->photo_band;
  }
  return root;
}
