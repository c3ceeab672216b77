#define G_LOG_DOMAIN "vindu-kiosk"
/* The outbox table of the cache: what the resident sent until the hub accepts it. */
#include "kiosk/cache.h"
#include "kiosk/cache_internal.h"

/* --- the outbox --------------------------------------------------------------------------- */

const char *
vk_cache_dir(VkCache *c)
{
  return c->dir;
}

void
vk_outbox_item_free(VkOutboxItem *it)
{
  if (!it)
    return;
  g_free(it->client_msg_id);
  g_free(it->to_id);
  g_free(it->kind);
  g_free(it->text);
  g_free(it->path);
  g_free(it->file_hash);
  g_free(it);
}

gboolean
vk_cache_outbox_add(VkCache *c, const VkOutboxItem *it, GError **error)
{
  sqlite3_stmt *st = cache_prepare(c,
                                   "INSERT INTO outbox (client_msg_id, to_id, kind, text, path, "
                                   "duration_ms, file_hash, held) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                                   error);
  if (!st)
    return FALSE;
  cache_bind_text(st, 1, it->client_msg_id);
  cache_bind_text(st, 2, it->to_id);
  cache_bind_text(st, 3, it->kind);
  cache_bind_text(st, 4, it->text);
  cache_bind_text(st, 5, it->path);
  sqlite3_bind_int64(st, 6, it->duration_ms);
  cache_bind_text(st, 7, it->file_hash);
  sqlite3_bind_int(st, 8, it->held);
  return cache_step_done(c, st, error);
}

static GPtrArray *
select_items(VkCache *c, const char *where)
{
  GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)vk_outbox_item_free);
  g_autofree char *sql = g_strconcat("SELECT client_msg_id, to_id, kind, text, path, duration_ms, "
                                     "file_hash, held FROM outbox WHERE ",
                                     where, " ORDER BY seq", NULL);
  sqlite3_stmt *st = cache_prepare(c, sql, NULL);
  if (!st)
    return out;
  while (sqlite3_step(st) == SQLITE_ROW) {
    VkOutboxItem *it = g_new0(VkOutboxItem, 1);
    it->client_msg_id = g_strdup((const char *)sqlite3_column_text(st, 0));
    it->to_id = g_strdup((const char *)sqlite3_column_text(st, 1));
    it->kind = g_strdup((const char *)sqlite3_column_text(st, 2));
    it->text = g_strdup((const char *)sqlite3_column_text(st, 3));
    it->path = g_strdup((const char *)sqlite3_column_text(st, 4));
    it->duration_ms = (guint)sqlite3_column_int64(st, 5);
    it->file_hash = g_strdup((const char *)sqlite3_column_text(st, 6));
    it->held = sqlite3_column_int(st, 7);
    g_ptr_array_add(out, it);
  }
  sqlite3_finalize(st);
  return out;
}

GPtrArray *
vk_cache_outbox_waiting(VkCache *c)
{
  return select_items(c, "refused IS NULL AND held = 0");
}

GPtrArray *
vk_cache_outbox_held(VkCache *c)
{
  return select_items(c, "held != 0");
}

gboolean
vk_cache_outbox_hold(VkCache *c, const char *path, int held, guint duration_ms, GError **error)
{
  sqlite3_stmt *st =
      cache_prepare(c, "UPDATE outbox SET held = ?, duration_ms = ? WHERE path = ?", error);
  if (!st)
    return FALSE;
  sqlite3_bind_int(st, 1, held);
  sqlite3_bind_int64(st, 2, duration_ms);
  cache_bind_text(st, 3, path);
  return cache_step_done(c, st, error);
}

gboolean
vk_cache_outbox_remove_path(VkCache *c, const char *path, GError **error)
{
  return cache_update_one(c, "DELETE FROM outbox WHERE path = ?", NULL, path, error);
}

gboolean
vk_cache_outbox_keeps(VkCache *c, const char *path)
{
  sqlite3_stmt *st = cache_prepare(c, "SELECT 1 FROM outbox WHERE path = ?", NULL);
  if (!st)
    return TRUE; /* cannot tell: keep the file */
  cache_bind_text(st, 1, path);
  gboolean found = sqlite3_step(st) == SQLITE_ROW;
  sqlite3_finalize(st);
  return found;
}

gboolean
vk_cache_outbox_set_file(VkCache *c, const char *client_msg_id, const char *hash, GError **error)
{
  return cache_update_one(c, "UPDATE outbox SET file_hash = ? WHERE client_msg_id = ?", hash,
                          client_msg_id, error);
}

gboolean
vk_cache_outbox_refuse(VkCache *c, const char *client_msg_id, const char *code, GError **error)
{
  return cache_update_one(c, "UPDATE outbox SET refused = ? WHERE client_msg_id = ?",
                          code ? code : "refused", client_msg_id, error);
}

guint
vk_cache_outbox_refused_count(VkCache *c)
{
  sqlite3_stmt *st =
      cache_prepare(c, "SELECT COUNT(*) FROM outbox WHERE refused IS NOT NULL", NULL);
  if (!st)
    return 0;
  guint n = sqlite3_step(st) == SQLITE_ROW ? (guint)sqlite3_column_int(st, 0) : 0;
  sqlite3_finalize(st);
  return n;
}

gboolean
vk_cache_outbox_remove(VkCache *c, const char *client_msg_id, GError **error)
{
  return cache_update_one(c, "DELETE FROM outbox WHERE client_msg_id = ?", NULL, client_msg_id,
                          error);
}
