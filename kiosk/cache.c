#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/cache.h"
#include "kiosk/cache_internal.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>

/* The quark name is stringified: spaces around its dashes would become part of it. */
/* clang-format off */
G_DEFINE_QUARK(vindu-kiosk-cache-error-quark, vk_cache_error)
/* clang-format on */

static const char schema[] =
    "CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS people (id TEXT PRIMARY KEY, position INTEGER NOT NULL, "
    "name TEXT NOT NULL, relationship TEXT, photo_path TEXT, reachable INTEGER NOT NULL DEFAULT 0, "
    "auto_answer INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE IF NOT EXISTS messages (id TEXT PRIMARY KEY, kind TEXT NOT NULL, "
    "from_id TEXT, text TEXT, file_hash TEXT, media_path TEXT, sent_at INTEGER NOT NULL, "
    "seen INTEGER NOT NULL DEFAULT 0, seq INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE IF NOT EXISTS docs (kind TEXT NOT NULL, doc TEXT NOT NULL, rev INTEGER NOT NULL, "
    "body TEXT NOT NULL, deleted INTEGER NOT NULL, PRIMARY KEY (kind, doc));"
    /* what the resident sent and the hub has not accepted yet, in the order it was sent */
    "CREATE TABLE IF NOT EXISTS outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, "
    "client_msg_id TEXT NOT NULL UNIQUE, to_id TEXT NOT NULL, kind TEXT NOT NULL, text TEXT, "
    "path TEXT, duration_ms INTEGER NOT NULL DEFAULT 0, file_hash TEXT, refused TEXT, "
    "held INTEGER NOT NULL DEFAULT 0);"
    /* plugins' answers the hub has not accepted yet, in the order they were given */
    "CREATE TABLE IF NOT EXISTS answers (seq INTEGER PRIMARY KEY AUTOINCREMENT, "
    "answer TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, doc TEXT NOT NULL, rev INTEGER NOT NULL, "
    "body TEXT NOT NULL, refused TEXT);";

gboolean
cache_fail(VkCache *c, GError **error, const char *what)
{
  g_set_error(error, VK_CACHE_ERROR, sqlite3_errcode(c->db), "cache: %s: %s", what,
              sqlite3_errmsg(c->db));
  return FALSE;
}

static gboolean
exec(VkCache *c, const char *sql, GError **error)
{
  char *msg = NULL;
  if (sqlite3_exec(c->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
    g_set_error(error, VK_CACHE_ERROR, 1, "cache: %s", msg ? msg : "?");
    sqlite3_free(msg);
    return FALSE;
  }
  return TRUE;
}

/* Columns added after caches were first made: messages' delivery sequence (0: unknown, ordered by
 * sent_at as before) and the outbox's held voice replies (0: ready, as every row was before). */
static gboolean
add_column(VkCache *c, const char *table, const char *column, GError **error)
{
  g_autofree char *probe = g_strdup_printf("SELECT %s FROM %s LIMIT 0", column, table);
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(c->db, probe, -1, &st, NULL) == SQLITE_OK) {
    sqlite3_finalize(st);
    return TRUE;
  }
  g_autofree char *alter =
      g_strdup_printf("ALTER TABLE %s ADD COLUMN %s INTEGER NOT NULL DEFAULT 0", table, column);
  return exec(c, alter, error);
}

VkCache *
vk_cache_open(const char *dir, GError **error)
{
  if (g_mkdir_with_parents(dir, 0700) != 0) {
    g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno), "cannot create %s", dir);
    return NULL;
  }
  VkCache *c = g_new0(VkCache, 1);
  c->dir = g_strdup(dir);
  c->files_dir = g_build_filename(dir, "files", NULL);
  g_mkdir_with_parents(c->files_dir, 0700);
  g_autofree char *path = g_build_filename(dir, "kiosk.db", NULL);
  if (sqlite3_open_v2(path, &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
      SQLITE_OK) {
    cache_fail(c, error, "open");
    vk_cache_close(c);
    return NULL;
  }
  g_chmod(path, 0600); /* it holds the kiosk's secret */
  sqlite3_busy_timeout(c->db, 2000);
  if (!exec(c, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;", error))
    goto bad;
  if (!exec(c, schema, error) || !add_column(c, "messages", "seq", error) ||
      !add_column(c, "outbox", "held", error))
    goto bad;
  return c;
bad:
  vk_cache_close(c);
  return NULL;
}

void
vk_cache_close(VkCache *c)
{
  if (!c)
    return;
  if (c->db)
    sqlite3_close(c->db);
  g_free(c->dir);
  g_free(c->files_dir);
  g_free(c);
}

sqlite3_stmt *
cache_prepare(VkCache *c, const char *sql, GError **error)
{
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK) {
    cache_fail(c, error, "prepare");
    return NULL;
  }
  return st;
}

gboolean
cache_step_done(VkCache *c, sqlite3_stmt *st, GError **error)
{
  int rc = sqlite3_step(st);
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE)
    return cache_fail(c, error, "write");
  return TRUE;
}

void
cache_bind_text(sqlite3_stmt *st, int i, const char *s)
{
  if (s)
    sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null(st, i);
}

char *
vk_cache_get(VkCache *c, const char *key)
{
  sqlite3_stmt *st = cache_prepare(c, "SELECT value FROM kv WHERE key = ?", NULL);
  if (!st)
    return NULL;
  cache_bind_text(st, 1, key);
  char *v = NULL;
  if (sqlite3_step(st) == SQLITE_ROW)
    v = g_strdup((const char *)sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
  return v;
}

gboolean
vk_cache_set(VkCache *c, const char *key, const char *value, GError **error)
{
  sqlite3_stmt *st = cache_prepare(c,
                                   value ? "INSERT OR REPLACE INTO kv (key, value) VALUES (?, ?)"
                                         : "DELETE FROM kv WHERE key = ?",
                                   error);
  if (!st)
    return FALSE;
  cache_bind_text(st, 1, key);
  if (value)
    cache_bind_text(st, 2, value);
  return cache_step_done(c, st, error);
}

gint64
vk_cache_get_int(VkCache *c, const char *key, gint64 fallback)
{
  g_autofree char *v = vk_cache_get(c, key);
  return v ? g_ascii_strtoll(v, NULL, 10) : fallback;
}

gboolean
vk_cache_set_int(VkCache *c, const char *key, gint64 value, GError **error)
{
  g_autofree char *v = g_strdup_printf("%" G_GINT64_FORMAT, value);
  return vk_cache_set(c, key, v, error);
}

gboolean
vk_cache_set_people(VkCache *c, GPtrArray *people, GError **error)
{
  if (!exec(c, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (!exec(c, "DELETE FROM people", error))
    goto rollback;
  for (guint i = 0; i < people->len; i++) {
    VkPerson *p = people->pdata[i];
    sqlite3_stmt *st =
        cache_prepare(c,
                      "INSERT INTO people (id, position, name, relationship, photo_path, "
                      "reachable, auto_answer) VALUES (?, ?, ?, ?, ?, ?, ?)",
                      error);
    if (!st)
      goto rollback;
    cache_bind_text(st, 1, p->id);
    sqlite3_bind_int(st, 2, (int)i);
    cache_bind_text(st, 3, p->name ? p->name : "");
    cache_bind_text(st, 4, p->relationship);
    cache_bind_text(st, 5, p->photo_path);
    sqlite3_bind_int(st, 6, p->reachable);
    sqlite3_bind_int(st, 7, p->auto_answer);
    if (!cache_step_done(c, st, error))
      goto rollback;
  }
  return exec(c, "COMMIT", error);
rollback:
  exec(c, "ROLLBACK", NULL);
  return FALSE;
}

gboolean
vk_cache_set_presence(VkCache *c, const char *person_id, gboolean reachable, GError **error)
{
  sqlite3_stmt *st = cache_prepare(c, "UPDATE people SET reachable = ? WHERE id = ?", error);
  if (!st)
    return FALSE;
  sqlite3_bind_int(st, 1, reachable);
  cache_bind_text(st, 2, person_id);
  return cache_step_done(c, st, error);
}

gboolean
vk_cache_store_message(VkCache *c, const VkMessage *m, const char *file_hash, gboolean *is_new,
                       GError **error)
{
  sqlite3_stmt *st =
      cache_prepare(c,
                    "INSERT OR IGNORE INTO messages (id, kind, from_id, text, file_hash, "
                    "media_path, sent_at, seen, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    error);
  if (!st)
    return FALSE;
  cache_bind_text(st, 1, m->id);
  cache_bind_text(st, 2, vk_message_kind_name(m->kind));
  cache_bind_text(st, 3, m->from_id);
  cache_bind_text(st, 4, m->text);
  cache_bind_text(st, 5, file_hash);
  cache_bind_text(st, 6, m->media_path);
  sqlite3_bind_int64(st, 7, m->sent_at);
  sqlite3_bind_int(st, 8, m->seen);
  sqlite3_bind_int64(st, 9, m->seq);
  if (!cache_step_done(c, st, error))
    return FALSE;
  if (is_new)
    *is_new = sqlite3_changes(c->db) > 0;
  return TRUE;
}

static gboolean
update_message(VkCache *c, const char *sql, const char *a, const char *id, GError **error)
{
  sqlite3_stmt *st = cache_prepare(c, sql, error);
  if (!st)
    return FALSE;
  if (a) {
    cache_bind_text(st, 1, a);
    cache_bind_text(st, 2, id);
  } else {
    cache_bind_text(st, 1, id);
  }
  return cache_step_done(c, st, error);
}

gboolean
vk_cache_set_message_seen(VkCache *c, const char *id, GError **error)
{
  return update_message(c, "UPDATE messages SET seen = 1 WHERE id = ?", NULL, id, error);
}

gboolean
vk_cache_set_message_media(VkCache *c, const char *id, const char *path, GError **error)
{
  return update_message(c, "UPDATE messages SET media_path = ? WHERE id = ?", path, id, error);
}

/* durable_file.c: a stored file was found cut short and removed; its messages fetch it again */
gboolean
vk_cache_forget_file(VkCache *c, const char *path, GError **error)
{
  return update_message(c, "UPDATE messages SET media_path = NULL WHERE media_path = ?", NULL, path,
                        error);
}

gboolean
vk_cache_put_doc(VkCache *c, const char *kind, const char *doc, gint64 rev, const char *body,
                 gboolean deleted, GError **error)
{
  sqlite3_stmt *st =
      cache_prepare(c,
                    "INSERT INTO docs (kind, doc, rev, body, deleted) VALUES (?, ?, ?, ?, ?) "
                    "ON CONFLICT (kind, doc) DO UPDATE SET rev = excluded.rev, "
                    "body = excluded.body, deleted = excluded.deleted "
                    "WHERE excluded.rev >= docs.rev",
                    error);
  if (!st)
    return FALSE;
  cache_bind_text(st, 1, kind);
  cache_bind_text(st, 2, doc);
  sqlite3_bind_int64(st, 3, rev);
  cache_bind_text(st, 4, body ? body : "{}");
  sqlite3_bind_int(st, 5, deleted);
  return cache_step_done(c, st, error);
}

GPtrArray *
vk_cache_docs(VkCache *c, const char *kind)
{
  GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
  sqlite3_stmt *st =
      cache_prepare(c,
                    "SELECT kind, doc, body FROM docs WHERE (?1 IS NULL OR kind = ?1) "
                    "AND deleted = 0 ORDER BY kind, doc",
                    NULL);
  if (!st)
    return out;
  cache_bind_text(st, 1, kind);
  while (sqlite3_step(st) == SQLITE_ROW)
    for (int i = 0; i < 3; i++)
      g_ptr_array_add(out, g_strdup((const char *)sqlite3_column_text(st, i)));
  sqlite3_finalize(st);
  return out;
}

void
vk_cache_each_doc(VkCache *c, VkCacheDocFn fn, gpointer data)
{
  sqlite3_stmt *st = cache_prepare(
      c, "SELECT kind, doc, rev, body FROM docs WHERE deleted = 0 ORDER BY kind, doc", NULL);
  if (!st)
    return;
  while (sqlite3_step(st) == SQLITE_ROW)
    fn((const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1),
       sqlite3_column_int64(st, 2), (const char *)sqlite3_column_text(st, 3), data);
  sqlite3_finalize(st);
}

GPtrArray *
vk_cache_messages_missing_files(VkCache *c)
{
  GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
  sqlite3_stmt *st = cache_prepare(c,
                                   "SELECT id, file_hash FROM messages WHERE file_hash IS NOT NULL "
                                   "AND media_path IS NULL ORDER BY sent_at DESC LIMIT 50",
                                   NULL);
  if (!st)
    return out;
  while (sqlite3_step(st) == SQLITE_ROW)
    for (int i = 0; i < 2; i++)
      g_ptr_array_add(out, g_strdup((const char *)sqlite3_column_text(st, i)));
  sqlite3_finalize(st);
  return out;
}

char *
vk_cache_file_path(VkCache *c, const char *hash)
{
  return g_build_filename(c->files_dir, hash, NULL);
}

static VkMessageKind
kind_from_name(const char *s)
{
  if (g_strcmp0(s, "photo") == 0)
    return VK_MSG_PHOTO;
  if (g_strcmp0(s, "voice") == 0)
    return VK_MSG_VOICE;
  if (g_strcmp0(s, "missed-call") == 0)
    return VK_MSG_MISSED_CALL;
  return VK_MSG_TEXT;
}

gboolean
vk_cache_load_model(VkCache *c, VkModel *m, GError **error)
{
  g_ptr_array_set_size(m->people, 0);
  g_ptr_array_set_size(m->messages, 0);
  g_ptr_array_set_size(m->photos, 0);
  g_ptr_array_set_size(m->today, 0);
  sqlite3_stmt *st =
      cache_prepare(c,
                    "SELECT id, name, relationship, photo_path, reachable, auto_answer "
                    "FROM people ORDER BY position LIMIT " G_STRINGIFY(VK_MAX_PEOPLE_KEPT),
                    error);
  if (!st)
    return FALSE;
  while (sqlite3_step(st) == SQLITE_ROW) {
    VkPerson *p = vk_person_new((const char *)sqlite3_column_text(st, 0),
                                (const char *)sqlite3_column_text(st, 1),
                                (const char *)sqlite3_column_text(st, 2));
    p->photo_path = g_strdup((const char *)sqlite3_column_text(st, 3));
    /* Presence is never trusted from the cache: it was true when written, maybe hours ago.
     * Whoever is online now is told by the hub after sign-in. */
    p->reachable = FALSE;
    p->auto_answer = sqlite3_column_int(st, 5);
    g_ptr_array_add(m->people, p);
  }
  sqlite3_finalize(st);
  st = cache_prepare(c,
                     "SELECT id, kind, from_id, text, media_path, sent_at, seen, seq FROM messages "
                     "ORDER BY rowid ASC", /* as they arrived; vk_model_add_message orders them */
                     error);
  if (!st)
    return FALSE;
  while (sqlite3_step(st) == SQLITE_ROW) {
    VkMessage *msg = vk_message_new((const char *)sqlite3_column_text(st, 0),
                                    kind_from_name((const char *)sqlite3_column_text(st, 1)),
                                    (const char *)sqlite3_column_text(st, 2));
    msg->text = g_strdup((const char *)sqlite3_column_text(st, 3));
    msg->media_path = g_strdup((const char *)sqlite3_column_text(st, 4));
    msg->sent_at = sqlite3_column_int64(st, 5);
    msg->seen = sqlite3_column_int(st, 6);
    msg->seq = sqlite3_column_int64(st, 7);
    vk_model_add_message(m, msg);
  }
  sqlite3_finalize(st);
  return TRUE;
}

gboolean
cache_update_one(VkCache *c, const char *sql, const char *value, const char *id, GError **error)
{
  sqlite3_stmt *st = cache_prepare(c, sql, error);
  if (!st)
    return FALSE;
  int i = 1;
  if (value)
    cache_bind_text(st, i++, value);
  cache_bind_text(st, i, id);
  return cache_step_done(c, st, error);
}

/* --- plugins' answers ----------------------------------------------------------------------- */

void
vk_answer_item_free(VkAnswerItem *it)
{
  if (!it)
    return;
  g_free(it->answer);
  g_free(it->kind);
  g_free(it->doc);
  g_free(it->body);
  g_free(it);
}

gboolean
vk_cache_answer_add(VkCache *c, const VkAnswerItem *it, GError **error)
{
  sqlite3_stmt *st = cache_prepare(
      c, "INSERT INTO answers (answer, kind, doc, rev, body) VALUES (?, ?, ?, ?, ?)", error);
  if (!st)
    return FALSE;
  cache_bind_text(st, 1, it->answer);
  cache_bind_text(st, 2, it->kind);
  cache_bind_text(st, 3, it->doc);
  sqlite3_bind_int64(st, 4, it->rev);
  cache_bind_text(st, 5, it->body);
  return cache_step_done(c, st, error);
}

GPtrArray *
vk_cache_answers_waiting(VkCache *c)
{
  GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)vk_answer_item_free);
  sqlite3_stmt *st = cache_prepare(c,
                                   "SELECT answer, kind, doc, rev, body FROM answers "
                                   "WHERE refused IS NULL ORDER BY seq",
                                   NULL);
  if (!st)
    return out;
  while (sqlite3_step(st) == SQLITE_ROW) {
    VkAnswerItem *it = g_new0(VkAnswerItem, 1);
    it->answer = g_strdup((const char *)sqlite3_column_text(st, 0));
    it->kind = g_strdup((const char *)sqlite3_column_text(st, 1));
    it->doc = g_strdup((const char *)sqlite3_column_text(st, 2));
    it->rev = sqlite3_column_int64(st, 3);
    it->body = g_strdup((const char *)sqlite3_column_text(st, 4));
    g_ptr_array_add(out, it);
  }
  sqlite3_finalize(st);
  return out;
}

gboolean
vk_cache_answer_done(VkCache *c, const char *answer, const char *refused_code, GError **error)
{
  if (refused_code)
    return cache_update_one(c, "UPDATE answers SET refused = ? WHERE answer = ?", refused_code,
                            answer, error);
  return cache_update_one(c, "DELETE FROM answers WHERE answer = ?", NULL, answer, error);
}
