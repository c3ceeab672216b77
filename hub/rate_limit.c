#define G_LOG_DOMAIN "vindu-hub"
#include "rate_limit.h"

gboolean
hub_bucket_take(HubBucket *b, double rate, double burst, gint64 now_us)
{
  if (b->last_us == 0) {
    b->tokens = burst;
    b->last_us = now_us;
  }
  b->tokens += (double)(now_us - b->last_us) / 1e6 * rate;
  if (b->tokens > burst)
    b->tokens = burst;
  b->last_us = now_us;
  if (b->tokens < 1.0)
    return FALSE;
  b->tokens -= 1.0;
  return TRUE;
}

typedef struct {
  GQueue times; /* gint64 seconds, oldest first */
} Entry;

struct _HubFailures {
  GHashTable *by_key; /* char* -> Entry* */
  guint limit;
  gint64 window_s;
};

static void
entry_free(Entry *e)
{
  g_queue_clear(&e->times);
  g_free(e);
}

HubFailures *
hub_failures_new(guint limit, gint64 window_s)
{
  HubFailures *f = g_new0(HubFailures, 1);
  f->by_key = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)entry_free);
  f->limit = limit;
  f->window_s = window_s;
  return f;
}

void
hub_failures_free(HubFailures *f)
{
  if (!f)
    return;
  g_hash_table_destroy(f->by_key);
  g_free(f);
}

static void
expire(HubFailures *f, Entry *e, gint64 now_s)
{
  while (!g_queue_is_empty(&e->times) &&
         GPOINTER_TO_SIZE(g_queue_peek_head(&e->times)) + f->window_s <= (gsize)now_s)
    g_queue_pop_head(&e->times);
}

gboolean
hub_failures_blocked(HubFailures *f, const char *key, gint64 now_s)
{
  Entry *e = g_hash_table_lookup(f->by_key, key);
  if (!e)
    return FALSE;
  expire(f, e, now_s);
  return g_queue_get_length(&e->times) >= f->limit;
}

void
hub_failures_add(HubFailures *f, const char *key, gint64 now_s)
{
  Entry *e = g_hash_table_lookup(f->by_key, key);
  if (!e) {
    e = g_new0(Entry, 1);
    g_hash_table_insert(f->by_key, g_strdup(key), e);
  }
  expire(f, e, now_s);
  g_queue_push_tail(&e->times, GSIZE_TO_POINTER((gsize)now_s));
}

void
hub_failures_prune(HubFailures *f, gint64 now_s)
{
  GHashTableIter it;
  gpointer key, value;
  g_hash_table_iter_init(&it, f->by_key);
  while (g_hash_table_iter_next(&it, &key, &value)) {
    expire(f, value, now_s);
    if (g_queue_is_empty(&((Entry *)value)->times))
      g_hash_table_iter_remove(&it);
  }
}

gint64
hub_failures_retry_after_s(HubFailures *f, const char *key, gint64 now_s)
{
  Entry *e = g_hash_table_lookup(f->by_key, key);
  if (!e)
    return 0;
  expire(f, e, now_s);
  guint n = g_queue_get_length(&e->times);
  if (n < f->limit)
    return 0;
  /* under the limit once the (n - limit + 1) oldest failures have left the window */
  gint64 t = (gint64)GPOINTER_TO_SIZE(g_queue_peek_nth(&e->times, n - f->limit));
  return MAX(t + f->window_s - now_s, 1);
}
