/* Photos decoded on a worker thread, held at screen size while wanted (photo_loader.h). */
#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/ui/photo_loader.h"

#include "kiosk/image_guard.h"
#include "kiosk/ui/photo.h"

#define SETTLE_LIMIT_US (30 * G_USEC_PER_SEC) /* the tour waits no longer for one screen */

typedef struct {
  char *path; /* NULL: the worker stops */
  gint gen;
  int max_w, max_h;
} Job;

typedef struct {
  char *path;
  SDL_Surface *surface; /* NULL: refused, or not decoded because the job went stale */
} Done;

typedef struct {
  SDL_Texture *texture;
  int w, h;
} Held;

typedef struct {
  GSource base;
  VkPhotoLoader *loader;
} DoneSource;

struct VkPhotoLoader {
  SDL_Renderer *renderer;
  int max_w, max_h;
  VkPhotoReadyFn ready;
  gpointer ready_data;
  GPtrArray *wanted; /* char*, most urgent first (UI thread) */
  GHashTable *held;  /* path -> Held* (UI thread) */
  GHashTable *asked; /* paths given to the worker and not back yet (UI thread) */
  GAsyncQueue *jobs; /* Job*: UI thread -> worker */
  GAsyncQueue *done; /* Done*: worker -> UI thread */
  GThread *worker;
  GSource *source;
  gint gen; /* atomic: bumped by every change of the wanted photos */
};

static void
held_free(gpointer data)
{
  Held *h = data;
  SDL_DestroyTexture(h->texture);
  g_free(h);
}

static void
done_free(Done *d)
{
  if (d->surface)
    SDL_FreeSurface(d->surface);
  g_free(d->path);
  g_free(d);
}

/* --- the worker ------------------------------------------------------------------------ */

/* Decoded for the screen, upright, then scaled (linear) to fit max_w×max_h. */
static SDL_Surface *
decode_to_fit(const char *path, int max_w, int max_h)
{
  SDL_Surface *s = vk_photo_load_fit(path, (unsigned)MAX(max_w, max_h));
  if (!s)
    return NULL;
  double k = MIN((double)max_w / s->w, (double)max_h / s->h);
  if (k >= 1.0)
    return s;
  int w = MAX((int)(s->w * k + 0.5), 1), h = MAX((int)(s->h * k + 0.5), 1);
  SDL_Surface *d = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, s->format->format);
  if (d && SDL_SoftStretchLinear(s, NULL, d, NULL) != 0)
    g_clear_pointer(&d, SDL_FreeSurface);
  SDL_FreeSurface(s);
  return d;
}

static gpointer
work(gpointer data)
{
  VkPhotoLoader *l = data;
  for (;;) {
    Job *j = g_async_queue_pop(l->jobs);
    if (!j->path) {
      g_free(j);
      return NULL;
    }
    Done *d = g_new0(Done, 1);
    d->path = j->path;
    if (j->gen == g_atomic_int_get(&l->gen)) /* else wanted no more: not decoded */
      d->surface = decode_to_fit(d->path, j->max_w, j->max_h);
    g_free(j);
    g_async_queue_push(l->done, d);
    g_main_context_wakeup(NULL);
  }
}

/* --- back on the UI thread ------------------------------------------------------------- */

static gboolean
is_wanted(VkPhotoLoader *l, const char *path)
{
  for (guint i = 0; i < l->wanted->len; i++)
    if (g_str_equal(l->wanted->pdata[i], path))
      return TRUE;
  return FALSE;
}

/* A decode came back: held when still wanted. TRUE when the frame should look again. */
static gboolean
take(VkPhotoLoader *l, Done *d)
{
  g_hash_table_remove(l->asked, d->path);
  gboolean wanted = is_wanted(l, d->path) && !g_hash_table_contains(l->held, d->path);
  gboolean news = wanted && (d->surface || vk_image_guard_refused(d->path));
  if (wanted && d->surface) {
    SDL_Texture *t = SDL_CreateTextureFromSurface(l->renderer, d->surface);
    if (t) {
      Held *h = g_new0(Held, 1);
      h->texture = t;
      h->w = d->surface->w;
      h->h = d->surface->h;
      g_hash_table_insert(l->held, g_strdup(d->path), h);
    }
  }
  done_free(d);
  return news;
}

static gboolean
take_all(VkPhotoLoader *l)
{
  gboolean news = FALSE;
  Done *d;
  while ((d = g_async_queue_try_pop(l->done)))
    news |= take(l, d);
  return news;
}

static gboolean
done_ready(GSource *s, gint *timeout)
{
  if (timeout)
    *timeout = -1;
  return g_async_queue_length(((DoneSource *)s)->loader->done) > 0;
}

static gboolean
done_check(GSource *s)
{
  return done_ready(s, NULL);
}

static gboolean
done_dispatch(GSource *s, GSourceFunc cb, gpointer data)
{
  VkPhotoLoader *l = ((DoneSource *)s)->loader;
  (void)cb;
  (void)data;
  if (take_all(l) && l->ready)
    l->ready(l->ready_data);
  return G_SOURCE_CONTINUE;
}

static GSourceFuncs done_funcs = {done_ready, done_check, done_dispatch, NULL, NULL, NULL};

VkPhotoLoader *
vk_photo_loader_new(SDL_Renderer *renderer, int max_w, int max_h)
{
  VkPhotoLoader *l = g_new0(VkPhotoLoader, 1);
  l->renderer = renderer;
  l->max_w = MAX(max_w, 1);
  l->max_h = MAX(max_h, 1);
  l->wanted = g_ptr_array_new_with_free_func(g_free);
  l->held = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, held_free);
  l->asked = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  l->jobs = g_async_queue_new();
  l->done = g_async_queue_new();
  l->source = g_source_new(&done_funcs, sizeof(DoneSource));
  ((DoneSource *)l->source)->loader = l;
  g_source_set_name(l->source, "photo-loader");
  g_source_attach(l->source, NULL);
  l->worker = g_thread_new("photo-loader", work, l);
  return l;
}

void
vk_photo_loader_on_ready(VkPhotoLoader *l, VkPhotoReadyFn ready, gpointer data)
{
  l->ready = ready;
  l->ready_data = data;
}

static gboolean
same_wanted(VkPhotoLoader *l, const char *const *paths, guint n)
{
  guint k = 0;
  for (guint i = 0; i < n; i++) {
    if (!paths[i])
      continue;
    if (k >= l->wanted->len || !g_str_equal(l->wanted->pdata[k], paths[i]))
      return FALSE;
    k++;
  }
  return k == l->wanted->len;
}

void
vk_photo_loader_want(VkPhotoLoader *l, const char *const *paths, guint n)
{
  if (same_wanted(l, paths, n))
    return;
  g_ptr_array_set_size(l->wanted, 0);
  for (guint i = 0; i < n; i++)
    if (paths[i] && !is_wanted(l, paths[i]))
      g_ptr_array_add(l->wanted, g_strdup(paths[i]));
  /* drop what is no longer wanted: only the shown and the coming photos stay at screen size */
  GHashTableIter it;
  gpointer key;
  g_hash_table_iter_init(&it, l->held);
  while (g_hash_table_iter_next(&it, &key, NULL))
    if (!is_wanted(l, key))
      g_hash_table_iter_remove(&it);
  gint gen = g_atomic_int_add(&l->gen, 1) + 1; /* jobs still queued are skipped */
  g_hash_table_remove_all(l->asked);
  for (guint i = 0; i < l->wanted->len; i++) {
    const char *p = l->wanted->pdata[i];
    if (g_hash_table_contains(l->held, p) || vk_image_guard_refused(p))
      continue;
    Job *j = g_new0(Job, 1);
    j->path = g_strdup(p);
    j->gen = gen;
    j->max_w = l->max_w;
    j->max_h = l->max_h;
    g_hash_table_add(l->asked, g_strdup(p));
    g_async_queue_push(l->jobs, j);
  }
}

SDL_Texture *
vk_photo_loader_texture(VkPhotoLoader *l, const char *path, int *w, int *h)
{
  Held *held = path ? g_hash_table_lookup(l->held, path) : NULL;
  if (!held)
    return NULL;
  if (w)
    *w = held->w;
  if (h)
    *h = held->h;
  return held->texture;
}

guint
vk_photo_loader_held(VkPhotoLoader *l)
{
  return g_hash_table_size(l->held);
}

void
vk_photo_loader_settle(VkPhotoLoader *l)
{
  gint64 end = g_get_monotonic_time() + SETTLE_LIMIT_US;
  take_all(l);
  while (g_hash_table_size(l->asked) && g_get_monotonic_time() < end) {
    Done *d = g_async_queue_timeout_pop(l->done, 100000);
    if (d)
      take(l, d);
  }
}

void
vk_photo_loader_free(VkPhotoLoader *l)
{
  if (!l)
    return;
  g_atomic_int_inc(&l->gen); /* the queued jobs go stale: the worker skips their decode */
  g_async_queue_push(l->jobs, g_new0(Job, 1));
  g_thread_join(l->worker);
  Job *j;
  while ((j = g_async_queue_try_pop(l->jobs))) {
    g_free(j->path);
    g_free(j);
  }
  Done *d;
  while ((d = g_async_queue_try_pop(l->done)))
    done_free(d);
  g_source_destroy(l->source);
  g_source_unref(l->source);
  g_async_queue_unref(l->jobs);
  g_async_queue_unref(l->done);
  g_hash_table_unref(l->held);
  g_hash_table_unref(l->asked);
  g_ptr_array_unref(l->wanted);
  g_free(l);
}
