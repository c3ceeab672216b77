/* What kiosk/cache.c shares with the files that keep one table each (kiosk/cache_outbox.c):
 * the connection and the small helpers around it. Not for anyone else. */
#pragma once

#include <glib.h>
#include <sqlite3.h>

/* the same as kiosk/cache.h's (C11 allows it twice), without including it back */
typedef struct VkCache VkCache;

struct VkCache {
  sqlite3 *db;
  char *dir;
  char *files_dir;
};

/* Sets error from the connection's last error; always FALSE. */
gboolean cache_fail(VkCache *c, GError **error, const char *what);
/* A fresh statement (the caller finalizes it), or NULL with error. */
sqlite3_stmt *cache_prepare(VkCache *c, const char *sql, GError **error);
/* Runs st to its end and finalizes it. */
gboolean cache_step_done(VkCache *c, sqlite3_stmt *st, GError **error);
/* Binds text or NULL. */
void cache_bind_text(sqlite3_stmt *st, int i, const char *s);
/* Runs an UPDATE or DELETE with one optional text value (NULL: none) and then the row's key. */
gboolean cache_update_one(VkCache *c, const char *sql, const char *value, const char *id,
                          GError **error);
