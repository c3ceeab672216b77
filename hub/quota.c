/* Quotas per person and per household (quota.h). */
#define G_LOG_DOMAIN "vindu-hub"
#include "quota.h"

#define WINDOW_US (60 * G_USEC_PER_SEC)

typedef struct {
  gint64 window_start_us;
  guint count;
} Window;

struct _HubQuota {
  GHashTable *posts; /* person/kiosk id or household id -> Window: msg.post in the last minute */
};

HubQuota *
hub_quota_new(void)
{
  HubQuota *q = g_new0(HubQuota, 1);
  q->posts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  return q;
}

void
hub_quota_free(HubQuota *q)
{
  if (!q)
    return;
  g_hash_table_destroy(q->posts);
  g_free(q);
}

/* A fixed one-minute window per key: would one more post stay within `limit`? */
static gboolean
window_take(GHashTable *table, const char *key, guint limit, gint64 now_us, gboolean commit)
{
  Window *w = g_hash_table_lookup(table, key);
  if (!w || now_us - w->window_start_us >= WINDOW_US) {
    if (!commit)
      return limit >= 1;
    if (!w) {
      w = g_new0(Window, 1);
      g_hash_table_insert(table, g_strdup(key), w);
    }
    w->window_start_us = now_us;
    w->count = 0;
  }
  if (w->count >= limit)
    return FALSE;
  if (commit)
    w->count++;
  return TRUE;
}

static gboolean
admit_post(Conn *c, VpMessage *m)
{
  Hub *hub = c->hub;
  HubConfig *cfg = hub->config;
  const char *household = vp_message_get_string(m, "household");
  g_autofree char *household_key = g_strconcat("household:", household ? household : "", NULL);
  gint64 now = g_get_monotonic_time();
  if (!window_take(hub->quota->posts, c->self_id, (guint)cfg->person_messages_per_minute, now,
                   FALSE)) {
    conn_send_error(c, vp_message_id(m), VP_ERROR_QUOTA_MESSAGES,
                    "You have sent many messages in the last minute; wait a minute and send "
                    "again.");
    return FALSE;
  }
  if (!window_take(hub->quota->posts, household_key, (guint)cfg->household_messages_per_minute, now,
                   FALSE)) {
    conn_send_error(c, vp_message_id(m), VP_ERROR_QUOTA_MESSAGES,
                    "Many messages were sent to this household in the last minute; wait a "
                    "minute and send again.");
    return FALSE;
  }
  window_take(hub->quota->posts, c->self_id, G_MAXUINT, now, TRUE);
  window_take(hub->quota->posts, household_key, G_MAXUINT, now, TRUE);
  return TRUE;
}

static gint64
count_of(HubDb *db, const char *sql, const char *a, const char *b, const char *c)
{
  sqlite3_stmt *st = hub_db_prepare(db, sql, NULL);
  if (!st)
    return 0;
  hub_db_bind_text(st, 1, a);
  if (b)
    hub_db_bind_text(st, 2, b);
  if (c)
    hub_db_bind_text(st, 3, c);
  gint64 n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
  sqlite3_reset(st);
  return n;
}

gboolean
quota_document_ok(Hub *hub, const DocQuotaAsk *q, const char **sentence)
{
  if (!q->household || !q->kind || !q->doc || q->deleted ||
      count_of(hub->db, "SELECT COUNT(*) FROM documents WHERE household_id=? AND kind=? AND doc=?",
               q->household, q->kind, q->doc) > 0)
    return TRUE;
  if (count_of(hub->db,
               "SELECT COUNT(*) FROM documents WHERE household_id=? AND updated_by=? AND"
               " deleted=0",
               q->household, q->writer, NULL) >= hub->config->person_documents) {
    *sentence = "You keep as many reminders, pages and plans here as one person may; remove one "
                "first.";
    return FALSE;
  }
  if (count_of(hub->db, "SELECT COUNT(*) FROM documents WHERE household_id=? AND deleted=0",
               q->household, NULL, NULL) >= hub->config->household_documents) {
    *sentence = "This household keeps as many reminders, pages and plans as it may; remove one "
                "first.";
    return FALSE;
  }
  return TRUE;
}

/* A new document (not a new revision of one kept) counts; deleting never does. */
static gboolean
admit_document(Conn *c, VpMessage *m)
{
  DocQuotaAsk q = {vp_message_get_string(m, "household"), vp_message_get_string(m, "kind"),
                   vp_message_get_string(m, "doc"), c->self_id,
                   vp_message_get_bool(m, "deleted", FALSE)};
  const char *sentence = NULL;
  if (quota_document_ok(c->hub, &q, &sentence))
    return TRUE;
  conn_send_error(c, vp_message_id(m), VP_ERROR_QUOTA_DOCUMENTS, sentence);
  return FALSE;
}

gboolean
quota_admit(Conn *c, VpMessage *m)
{
  switch (vp_message_type(m)) {
  case VP_MSG_POST:
    return admit_post(c, m);
  case VP_DOC_PUT:
    return admit_document(c, m);
  default:
    return TRUE;
  }
}

gboolean
quota_storage_ok(Hub *hub, const char *household, const char *uploader, guint64 size,
                 const char **sentence)
{
  static const char *sql_person = "SELECT COALESCE(SUM(f.size),0) FROM file_households fh JOIN"
                                  " files f ON f.sha256=fh.sha256 WHERE fh.household_id=? AND"
                                  " fh.uploaded_by=?";
  static const char *sql_household = "SELECT COALESCE(SUM(f.size),0) FROM file_households fh"
                                     " JOIN files f ON f.sha256=fh.sha256 WHERE"
                                     " fh.household_id=?";
  guint64 mb = 1024 * 1024;
  if ((guint64)count_of(hub->db, sql_person, household, uploader, NULL) + size >
      (guint64)hub->config->person_stored_mb * mb) {
    *sentence = "You have sent as many photos and voice messages as one person may keep here.";
    return FALSE;
  }
  if ((guint64)count_of(hub->db, sql_household, household, NULL, NULL) + size >
      (guint64)hub->config->household_stored_mb * mb) {
    *sentence = "This household keeps as many photos and voice messages as it may.";
    return FALSE;
  }
  return TRUE;
}
