#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/frame_book.h"

#include "kiosk/i18n.h"
#include "kiosk/image_guard.h"
#include "kiosk/ui/photo.h"
#include "protocol/image_size.h"

#include <json-glib/json-glib.h>
#include <stdio.h>

#define HEAD_BYTES (256 * 1024) /* a photo's size is declared within this (as image_guard.c) */

static GPtrArray *pages;    /* VkFramePhoto*, in showing order */
static GHashTable *by_path; /* path -> VkFramePhoto* (in pages) */
static GHashTable *shapes;  /* path -> GINT_TO_POINTER(1 portrait, 2 not): read once */
static char *chapter;       /* the chosen chapter, or NULL for all */

/* clang-format off */
static const struct { const char *key, *words; } chapter_names[] = {
    {"family", N_("Family")}, {"friends", N_("Friends")}, {"work", N_("Work")},
    {"home", N_("Home and house")}, {"travels", N_("Travels")},
};
/* clang-format on */

VkFramePhoto *
vk_frame_photo_new(const char *path, const char *file)
{
  VkFramePhoto *p = g_new0(VkFramePhoto, 1);
  p->path = g_strdup(path);
  p->file = g_strdup(file);
  return p;
}

void
vk_frame_photo_free(VkFramePhoto *p)
{
  if (!p)
    return;
  g_free(p->path);
  g_free(p->file);
  g_free(p->caption);
  g_free(p->chapter);
  g_free(p->people);
  g_free(p->added_by);
  g_free(p->voice_path);
  g_free(p);
}

const char *
vk_frame_book_chapter_words(const char *key)
{
  for (guint i = 0; key && i < G_N_ELEMENTS(chapter_names); i++)
    if (g_str_equal(key, chapter_names[i].key))
      return _(chapter_names[i].words);
  return key;
}

/* Taken on this day of the year (another year), by the kiosk's clock. */
static gboolean
on_this_day(const VkFramePhoto *p, GDateTime *today)
{
  if (p->taken_at <= 0)
    return FALSE;
  g_autoptr(GDateTime) t = g_date_time_new_from_unix_local(p->taken_at);
  return t && g_date_time_get_month(t) == g_date_time_get_month(today) &&
         g_date_time_get_day_of_month(t) == g_date_time_get_day_of_month(today);
}

/* A received photo (a message's) the model must keep even when a page with it went. */
static gboolean
is_message_photo(VkModel *m, const char *path)
{
  for (guint i = 0; i < m->messages->len; i++)
    if (g_strcmp0(((VkMessage *)m->messages->pdata[i])->media_path, path) == 0)
      return TRUE;
  return FALSE;
}

void
vk_frame_book_set_pages(VkApp *app, GPtrArray *new_pages)
{
  VkModel *m = app->model;
  /* the received photos: what the model holds that was not a page (or is also a message's) */
  g_autoptr(GPtrArray) received = g_ptr_array_new_with_free_func(g_free);
  for (guint i = 0; i < m->photos->len; i++) {
    const char *path = m->photos->pdata[i];
    if (!(by_path && g_hash_table_contains(by_path, path)) || is_message_photo(m, path))
      g_ptr_array_add(received, g_strdup(path));
  }
  g_clear_pointer(&by_path, g_hash_table_unref);
  g_clear_pointer(&pages, g_ptr_array_unref);
  pages = g_ptr_array_new_with_free_func((GDestroyNotify)vk_frame_photo_free);
  by_path = g_hash_table_new(g_str_hash, g_str_equal);
  g_autoptr(GDateTime) today = g_date_time_new_from_unix_local(vk_model_now(m));
  for (int pass = 0; pass < 2; pass++) /* on this day first, then the rest, newest first */
    for (guint i = 0; i < new_pages->len; i++) {
      VkFramePhoto *p = new_pages->pdata[i];
      if (on_this_day(p, today) != (pass == 0) || g_hash_table_contains(by_path, p->path))
        continue;
      new_pages->pdata[i] = NULL;
      g_ptr_array_add(pages, p);
      g_hash_table_insert(by_path, p->path, p);
    }
  g_ptr_array_set_size(m->photos, 0);
  for (guint i = 0; i < pages->len; i++)
    g_ptr_array_add(m->photos, g_strdup(((VkFramePhoto *)pages->pdata[i])->path));
  for (guint i = 0; i < received->len; i++)
    if (!g_hash_table_contains(by_path, received->pdata[i]))
      g_ptr_array_add(m->photos, g_strdup(received->pdata[i]));
}

const VkFramePhoto *
vk_frame_book_page(const char *path)
{
  return by_path && path ? g_hash_table_lookup(by_path, path) : NULL;
}

gboolean
vk_frame_book_portrait(const char *path)
{
  if (!shapes)
    shapes = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  int shape = GPOINTER_TO_INT(g_hash_table_lookup(shapes, path));
  if (!shape) {
    g_autofree guint8 *head = g_malloc(HEAD_BYTES);
    guint w = 0, h = 0;
    FILE *f = fopen(path, "rb");
    size_t n = f ? fread(head, 1, HEAD_BYTES, f) : 0;
    if (f)
      fclose(f);
    gboolean known = vp_image_size(head, n, &w, &h);
    if (known && vk_photo_orientation(path) >= 5) { /* turned a quarter: sides swap */
      guint t = w;
      w = h;
      h = t;
    }
    shape = known && h > w ? 1 : 2;
    g_hash_table_insert(shapes, g_strdup(path), GINT_TO_POINTER(shape));
  }
  return shape == 1;
}

/* In the chapter chosen (or all), and not a photo that could not be shown. */
static gboolean
in_chapter(const char *path)
{
  if (vk_image_guard_refused(path))
    return FALSE;
  if (!chapter)
    return TRUE;
  const VkFramePhoto *p = vk_frame_book_page(path);
  return p && g_strcmp0(p->chapter, chapter) == 0;
}

guint
vk_frame_book_slide(VkApp *app, guint i, const char **first, const char **second)
{
  GPtrArray *all = app->model->photos;
  gboolean landscape = app->opts->width > app->opts->height;
  guint slides = 0;
  *first = *second = NULL;
  const char *wanted_first = NULL, *wanted_second = NULL;
  guint k = 0;
  /* two passes: count the slides, then the one asked for (i modulo their number) */
  for (int pass = 0; pass < 2; pass++) {
    guint n = 0;
    for (k = 0; k < all->len; k++) {
      const char *a = all->pdata[k];
      if (!in_chapter(a))
        continue;
      const char *b = NULL;
      if (landscape && vk_frame_book_portrait(a)) {
        guint j = k + 1;
        while (j < all->len && !in_chapter(all->pdata[j]))
          j++;
        if (j < all->len && vk_frame_book_portrait(all->pdata[j])) {
          b = all->pdata[j];
          k = j;
        }
      }
      if (pass == 1 && n == i % slides) {
        wanted_first = a;
        wanted_second = b;
        break;
      }
      n++;
    }
    if (pass == 0 && (slides = n) == 0)
      return 0;
  }
  *first = wanted_first;
  *second = wanted_second;
  return slides;
}

const char *
vk_frame_book_chapter(void)
{
  return chapter;
}

void
vk_frame_book_choose_chapter(const char *c)
{
  g_free(chapter);
  chapter = g_strdup(c);
}

static gint
by_words(gconstpointer a, gconstpointer b)
{
  return g_utf8_collate(vk_frame_book_chapter_words(*(const char *const *)a),
                        vk_frame_book_chapter_words(*(const char *const *)b));
}

GPtrArray *
vk_frame_book_chapters(void)
{
  GPtrArray *out = g_ptr_array_new();
  for (guint i = 0; pages && i < pages->len; i++) {
    const char *c = ((VkFramePhoto *)pages->pdata[i])->chapter;
    if (c && *c && !g_ptr_array_find_with_equal_func(out, c, g_str_equal, NULL))
      g_ptr_array_add(out, (gpointer)c);
  }
  g_ptr_array_sort(out, by_words);
  return out;
}

static char *
member(JsonObject *o, const char *name)
{
  return json_object_has_member(o, name) ? g_strdup(json_object_get_string_member(o, name)) : NULL;
}

gboolean
vk_frame_book_load_fixture(VkApp *app, const char *fixture, GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new();
  if (!json_parser_load_from_file(parser, fixture, error))
    return FALSE;
  JsonNode *root = json_parser_get_root(parser);
  JsonObject *o = JSON_NODE_HOLDS_OBJECT(root) ? json_node_get_object(root) : NULL;
  if (!o || !json_object_has_member(o, "memory"))
    return TRUE;
  g_autofree char *dir = g_path_get_dirname(fixture);
  g_autoptr(GPtrArray) pages = g_ptr_array_new_with_free_func((GDestroyNotify)vk_frame_photo_free);
  JsonArray *a = json_object_get_array_member(o, "memory");
  for (guint i = 0; a && i < json_array_get_length(a); i++) {
    JsonObject *p = json_array_get_object_element(a, i);
    g_autofree char *photo = p ? member(p, "photo") : NULL;
    if (!photo)
      continue;
    g_autofree char *path = g_build_filename(dir, photo, NULL);
    VkFramePhoto *page = vk_frame_photo_new(path, NULL);
    page->caption = member(p, "caption");
    page->chapter = member(p, "chapter");
    page->people = member(p, "people");
    page->added_by = member(p, "added_by");
    g_ptr_array_add(pages, page);
  }
  vk_frame_book_set_pages(app, pages);
  return TRUE;
}

void
vk_frame_book_clear(void)
{
  g_clear_pointer(&by_path, g_hash_table_unref);
  g_clear_pointer(&pages, g_ptr_array_unref);
  g_clear_pointer(&shapes, g_hash_table_unref);
  g_clear_pointer(&chapter, g_free);
}
