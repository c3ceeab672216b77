/* Storing one revision of a plugin document with one delivery per kiosk of its household (the
 * kiosk's own document sequence), inside the caller's transaction: the one write path of
 * `doc.put` and `doc.put_many` (documents.c). Database only; answering is the caller's. */
#define G_LOG_DOMAIN "vindu-hub"
#include "doc_store.h"

#include "clock.h"

/* One delivery of (household, kind, doc, rev) to a kiosk, on the kiosk's own sequence. */
static gboolean
add_delivery(HubDb *db, const char *kiosk, const DocWrite *w, gint64 rev, GError **error)
{
  gint64 seq =
      hub_db_bump_seq(db, "UPDATE kiosks SET doc_seq=doc_seq+1 WHERE id=? RETURNING doc_seq", kiosk,
                      "doc sequence", error);
  if (seq < 0)
    return FALSE;
  sqlite3_stmt *st =
      hub_db_prepare(db,
                     "INSERT INTO doc_deliveries(kiosk_id, seq, household_id, kind, doc, rev,"
                     " body, deleted) VALUES(?,?,?,?,?,?,?,?)",
                     error);
  if (!st)
    return FALSE;
  hub_db_bind_text(st, 1, kiosk);
  sqlite3_bind_int64(st, 2, seq);
  hub_db_bind_text(st, 3, w->household);
  hub_db_bind_text(st, 4, w->kind);
  hub_db_bind_text(st, 5, w->doc);
  sqlite3_bind_int64(st, 6, rev);
  hub_db_bind_text(st, 7, w->body);
  sqlite3_bind_int(st, 8, w->deleted);
  int rc = sqlite3_step(st);
  sqlite3_reset(st);
  if (rc != SQLITE_DONE)
    return hub_db_fail(db, error, "doc delivery");
  return TRUE;
}

DocStored
documents_store(HubDb *db, const DocWrite *w, gint64 *rev_out, GError **error)
{
  sqlite3_stmt *st = hub_db_prepare(
      db, "SELECT rev FROM documents WHERE household_id=? AND kind=? AND doc=?", error);
  if (!st)
    return DOC_FAILED;
  hub_db_bind_text(st, 1, w->household);
  hub_db_bind_text(st, 2, w->kind);
  hub_db_bind_text(st, 3, w->doc);
  gint64 current = 0;
  if (sqlite3_step(st) == SQLITE_ROW)
    current = sqlite3_column_int64(st, 0);
  sqlite3_reset(st);
  *rev_out = current;
  if (current != w->base_rev)
    return DOC_CONFLICT;
  st = hub_db_prepare(db,
                      "INSERT OR REPLACE INTO documents(household_id, kind, doc, rev, body,"
                      " deleted, updated_by, updated_at) VALUES(?,?,?,?,?,?,?,?)",
                      error);
  if (!st)
    return DOC_FAILED;
  hub_db_bind_text(st, 1, w->household);
  hub_db_bind_text(st, 2, w->kind);
  hub_db_bind_text(st, 3, w->doc);
  sqlite3_bind_int64(st, 4, current + 1);
  hub_db_bind_text(st, 5, w->body);
  sqlite3_bind_int(st, 6, w->deleted);
  hub_db_bind_text(st, 7, w->author);
  sqlite3_bind_int64(st, 8, hub_clock_now_s());
  int rc = sqlite3_step(st);
  sqlite3_reset(st);
  if (rc != SQLITE_DONE) {
    hub_db_fail(db, error, "document");
    return DOC_FAILED;
  }
  g_autoptr(GPtrArray) kiosks = hub_household_kiosks(db, w->household);
  for (guint i = 0; i < kiosks->len; i++)
    if (!add_delivery(db, kiosks->pdata[i], w, current + 1, error))
      return DOC_FAILED;
  *rev_out = current + 1;
  return DOC_STORED;
}
