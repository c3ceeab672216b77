/* Durable messages. A post is committed (message + one delivery row per recipient with the
 * recipient's next sequence number) before `msg.accepted`; deliveries are sent in sequence
 * order, at most HUB_DELIVERY_WINDOW unacknowledged per connection, and leave the queue only
 * when the recipient acknowledges them (`msg.ack up_to`). On every sign-in the unacknowledged
 * ones are sent again, in order. */
#define G_LOG_DOMAIN "vindu-hub"
#include "hub.h"
#include "storage_full.h"
#include "message_reach.h"

#include "tokens.h"
#include "clock.h"

static VpMessage *
deliver_from_row(sqlite3_stmt *st)
{
  /* columns: seq, id, household, sender, sender_name, kind, text, file, caption, duration_ms,
   * sent_at */
  VpMessage *d = vp_message_new(VP_MSG_DELIVER);
  vp_message_set_int(d, "seq", sqlite3_column_int64(st, 0));
  JsonObject *msg = json_object_new();
  json_object_set_string_member(msg, "id", hub_db_col_text(st, 1));
  json_object_set_string_member(msg, "household", hub_db_col_text(st, 2));
  JsonObject *from = json_object_new();
  json_object_set_string_member(from, "id", hub_db_col_text(st, 3));
  json_object_set_string_member(from, "name", hub_db_col_text(st, 4));
  json_object_set_object_member(msg, "from", from);
  json_object_set_string_member(msg, "kind", hub_db_col_text(st, 5));
  if (hub_db_col_text(st, 6))
    json_object_set_string_member(msg, "text", hub_db_col_text(st, 6));
  if (hub_db_col_text(st, 7))
    json_object_set_string_member(msg, "file", hub_db_col_text(st, 7));
  if (hub_db_col_text(st, 8))
    json_object_set_string_member(msg, "caption", hub_db_col_text(st, 8));
  if (sqlite3_column_type(st, 9) != SQLITE_NULL)
    json_object_set_int_member(msg, "duration_ms", sqlite3_column_int64(st, 9));
  json_object_set_int_member(msg, "sent_at", sqlite3_column_int64(st, 10));
  vp_message_take_object(d, "msg", msg);
  return d;
}

void
messages_flush(Conn *c)
{
  if (c->closing || c->msg_inflight >= HUB_DELIVERY_WINDOW)
    return;
  Hub *hub = c->hub;
  sqlite3_stmt *st = hub_db_prepare(
      hub->db,
      "SELECT d.seq, m.id, m.household_id, m.sender, m.sender_name, m.kind, m.text, m.file,"
      " m.caption, m.duration_ms, m.sent_at FROM deliveries d JOIN messages m ON"
      " m.id=d.message_id WHERE d.recipient=? AND d.acked_at IS NULL AND d.seq>? ORDER BY d.seq"
      " LIMIT ?",
      NULL);
  if (!st)
    return;
  hub_db_bind_text(st, 1, c->self_id);
  sqlite3_bind_int64(st, 2, c->msg_sent_seq);
  sqlite3_bind_int(st, 3, (int)(HUB_DELIVERY_WINDOW - c->msg_inflight));
  while (sqlite3_step(st) == SQLITE_ROW) {
    g_autoptr(VpMessage) d = deliver_from_row(st);
    conn_send(c, d);
    c->msg_sent_seq = sqlite3_column_int64(st, 0);
    c->msg_inflight++;
  }
  sqlite3_reset(st);
}

/* A status sent while the sender was away would be lost: on every sign-in a person hears the
 * latest state of what they sent in the last days ("delivered" or "seen"), so the page that
 * says "Sent" learns that it was seen. */
#define STATUS_CATCH_UP_DAYS 14
#define STATUS_CATCH_UP_MAX 200

void
messages_send_statuses(Conn *c)
{
  Hub *hub = c->hub;
  sqlite3_stmt *st = hub_db_prepare(
      hub->db,
      "SELECT m.id, MAX(d.acked_at), MAX(d.seen_at) FROM messages m JOIN deliveries d ON"
      " d.message_id=m.id WHERE m.sender=? AND m.sent_at>=? AND d.acked_at IS NOT NULL"
      " GROUP BY m.id ORDER BY m.sent_at DESC LIMIT ?",
      NULL);
  if (!st)
    return;
  hub_db_bind_text(st, 1, c->self_id);
  sqlite3_bind_int64(st, 2, hub_clock_now_s() - STATUS_CATCH_UP_DAYS * 24 * 3600);
  sqlite3_bind_int(st, 3, STATUS_CATCH_UP_MAX);
  while (sqlite3_step(st) == SQLITE_ROW) {
    gboolean seen = sqlite3_column_type(st, 2) != SQLITE_NULL;
    g_autoptr(VpMessage) s = vp_message_new(VP_MSG_STATUS);
    vp_message_set_string(s, "msg", hub_db_col_text(st, 0));
    vp_message_set_string(s, "state", seen ? "seen" : "delivered");
    vp_message_set_int(s, "at", sqlite3_column_int64(st, seen ? 2 : 1));
    conn_send(c, s);
  }
  sqlite3_reset(st);
}

static void
flush_subject(Hub *hub, const char *subject)
{
  GPtrArray *list = hub_subject_conns(hub, subject);
  for (guint i = 0; list && i < list->len; i++)
    messages_flush(list->pdata[i]);
}

static gboolean
add_delivery(HubDb *db, const char *recipient, const char *message_id, GError **error)
{
  gboolean kiosk = g_str_has_prefix(recipient, "k_");
  gint64 seq =
      hub_db_bump_seq(db,
                      kiosk ? "UPDATE kiosks SET msg_seq=msg_seq+1 WHERE id=? RETURNING msg_seq"
                            : "UPDATE people SET msg_seq=msg_seq+1 WHERE id=? RETURNING msg_seq",
                      recipient, "sequence", error);
  if (seq < 0)
    return FALSE;
  sqlite3_stmt *st =
      hub_db_prepare(db, "INSERT INTO deliveries(recipient, seq, message_id) VALUES(?,?,?)", error);
  if (!st)
    return FALSE;
  hub_db_bind_text(st, 1, recipient);
  sqlite3_bind_int64(st, 2, seq);
  hub_db_bind_text(st, 3, message_id);
  int rc = sqlite3_step(st);
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? TRUE : hub_db_fail(db, error, "delivery");
}

static void
accepted(Conn *c, const char *re, const char *msg_id, const char *client_msg_id)
{
  g_autoptr(VpMessage) a = vp_message_new(VP_MSG_ACCEPTED);
  vp_message_set_string(a, "re", re);
  vp_message_set_string(a, "msg", msg_id);
  vp_message_set_string(a, "client_msg_id", client_msg_id);
  conn_send(c, a);
}

typedef struct {
  Conn *conn;
  guint64 serial; /* the connection may have gone by commit time */
  char *re, *household, *client_msg_id, *kind, *text, *file, *caption, *sender, *sender_name;
  gboolean has_duration;
  gint64 duration_ms;
  GPtrArray *recipients;
} PendingPost;

typedef struct {
  Conn *conn;
  guint64 serial;
  char *recipient, *re;
  gint64 up_to;
  GPtrArray *done; /* message ids acknowledged by this ack */
} PendingAck;

static void
pending_ack_free(PendingAck *pa)
{
  g_free(pa->recipient);
  g_free(pa->re);
  if (pa->done)
    g_ptr_array_unref(pa->done);
  g_free(pa);
}

static gboolean
apply_ack(HubDb *db, PendingAck *pa, GError **error)
{
  sqlite3_stmt *st = hub_db_prepare(db,
                                    "UPDATE deliveries SET acked_at=? WHERE recipient=? AND"
                                    " seq<=? AND acked_at IS NULL RETURNING message_id",
                                    error);
  if (!st)
    return FALSE;
  sqlite3_bind_int64(st, 1, hub_clock_now_s());
  hub_db_bind_text(st, 2, pa->recipient);
  sqlite3_bind_int64(st, 3, pa->up_to);
  pa->done = g_ptr_array_new_with_free_func(g_free);
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW)
    g_ptr_array_add(pa->done, g_strdup(hub_db_col_text(st, 0)));
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? TRUE : hub_db_fail(db, error, "ack");
}

static void status_to_sender(Hub *hub, const char *msg_id, const char *state);

/* After the commit: the acknowledging connection's window, statuses for the senders. */
static void
ack_done(Hub *hub, PendingAck *pa, gboolean ok)
{
  Conn *c = g_hash_table_contains(hub->conns, pa->conn) && pa->conn->serial == pa->serial ? pa->conn
                                                                                          : NULL;
  for (guint i = 0; ok && i < pa->done->len; i++)
    status_to_sender(hub, pa->done->pdata[i], "delivered");
  if (!c)
    return;
  sqlite3_stmt *st = hub_db_prepare(hub->db,
                                    "SELECT COUNT(*) FROM deliveries WHERE recipient=? AND seq<=?"
                                    " AND acked_at IS NULL",
                                    NULL);
  if (st) {
    hub_db_bind_text(st, 1, c->self_id);
    sqlite3_bind_int64(st, 2, c->msg_sent_seq);
    if (sqlite3_step(st) == SQLITE_ROW)
      c->msg_inflight = (guint)sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
  }
  if (pa->re) {
    if (ok)
      conn_send_ok(c, pa->re);
    else
      conn_send_error(c, pa->re, VP_ERROR_INTERNAL, "The hub failed; nothing was changed.");
  }
  messages_flush(c);
}

static void
pending_free(PendingPost *pp)
{
  g_free(pp->re);
  g_free(pp->household);
  g_free(pp->client_msg_id);
  g_free(pp->kind);
  g_free(pp->text);
  g_free(pp->file);
  g_free(pp->caption);
  g_free(pp->sender);
  g_free(pp->sender_name);
  g_ptr_array_unref(pp->recipients);
  g_free(pp);
}

static Conn *
pending_conn(Hub *hub, PendingPost *pp)
{
  return g_hash_table_contains(hub->conns, pp->conn) && pp->conn->serial == pp->serial ? pp->conn
                                                                                       : NULL;
}

/* Inside the batch transaction: store one post (or find the earlier one with the same
 * client_msg_id). Sets `msg_out` (transfer full). */
static gboolean
store_post(HubDb *db, PendingPost *pp, char **msg_out, gboolean *is_new, GError **error)
{
  g_autofree char *msg_id = NULL;
  sqlite3_stmt *st =
      hub_db_prepare(db, "SELECT id FROM messages WHERE sender=? AND client_msg_id=?", error);
  if (!st)
    return FALSE;
  hub_db_bind_text(st, 1, pp->sender);
  hub_db_bind_text(st, 2, pp->client_msg_id);
  if (sqlite3_step(st) == SQLITE_ROW)
    msg_id = g_strdup(hub_db_col_text(st, 0));
  sqlite3_reset(st);
  if (msg_id) {
    *is_new = FALSE;
    *msg_out = g_steal_pointer(&msg_id);
    return TRUE;
  }
  msg_id = hub_id_new("m_");
  st =
      hub_db_prepare(db,
                     "INSERT INTO messages(id, household_id, sender, sender_name, kind, text, file,"
                     " caption, duration_ms, client_msg_id, sent_at) VALUES(?,?,?,?,?,?,?,?,?,?,?)",
                     error);
  if (!st)
    return FALSE;
  hub_db_bind_text(st, 1, msg_id);
  hub_db_bind_text(st, 2, pp->household);
  hub_db_bind_text(st, 3, pp->sender);
  hub_db_bind_text(st, 4, pp->sender_name ? pp->sender_name : "");
  hub_db_bind_text(st, 5, pp->kind);
  hub_db_bind_text(st, 6, pp->text);
  hub_db_bind_text(st, 7, pp->file);
  hub_db_bind_text(st, 8, pp->caption);
  if (pp->has_duration)
    sqlite3_bind_int64(st, 9, pp->duration_ms);
  else
    sqlite3_bind_null(st, 9);
  hub_db_bind_text(st, 10, pp->client_msg_id);
  sqlite3_bind_int64(st, 11, hub_clock_now_s());
  int rc = sqlite3_step(st);
  sqlite3_reset(st);
  if (rc != SQLITE_DONE)
    return hub_db_fail(db, error, "message");
  for (guint i = 0; i < pp->recipients->len; i++)
    if (!add_delivery(db, pp->recipients->pdata[i], msg_id, error))
      return FALSE;
  *is_new = TRUE;
  *msg_out = g_steal_pointer(&msg_id);
  return TRUE;
}

static gboolean
write_seen(Hub *hub, GError **error)
{
  GHashTableIter it;
  gpointer key, value;
  g_hash_table_iter_init(&it, hub->pending_seen);
  while (g_hash_table_iter_next(&it, &key, &value)) {
    sqlite3_stmt *st =
        hub_db_prepare(hub->db, "UPDATE kiosks SET last_seen_at=? WHERE id=?", error);
    if (!st)
      return FALSE;
    sqlite3_bind_int64(st, 1, GPOINTER_TO_SIZE(value));
    hub_db_bind_text(st, 2, key);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
      return hub_db_fail(hub->db, error, "last seen");
  }
  g_hash_table_remove_all(hub->pending_seen);
  return TRUE;
}

/* Group commit: every post that arrived since the last loop iteration goes into one
 * transaction (one fsync); `msg.accepted` is sent only after COMMIT returned. */
void
messages_commit_pending(Hub *hub)
{
  GPtrArray *batch = hub->pending_posts;
  GPtrArray *acks = hub->pending_acks;
  if (batch->len == 0 && acks->len == 0 && g_hash_table_size(hub->pending_seen) == 0)
    return;
  hub->pending_posts = g_ptr_array_new();
  hub->pending_acks = g_ptr_array_new();
  HubDb *db = hub->db;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GArray) fresh = g_array_new(FALSE, FALSE, sizeof(gboolean));
  gint64 t0 = g_get_monotonic_time();
  gboolean ok = hub_db_begin(db, &error);
  for (guint i = 0; ok && i < batch->len; i++) {
    char *id = NULL;
    gboolean is_new = FALSE;
    ok = store_post(db, batch->pdata[i], &id, &is_new, &error);
    g_ptr_array_add(ids, id);
    g_array_append_val(fresh, is_new);
  }
  for (guint i = 0; ok && i < acks->len; i++)
    ok = apply_ack(db, acks->pdata[i], &error);
  if (ok)
    ok = write_seen(hub, &error);
  gint64 t1 = g_get_monotonic_time();
  ok = ok && hub_db_commit(db, &error);
  g_debug("group commit: %u posts, %u acks, %.1f ms writing, %.1f ms commit", batch->len, acks->len,
          (t1 - t0) / 1000.0, (g_get_monotonic_time() - t1) / 1000.0);
  if (!ok) {
    hub_db_rollback(db);
    g_warning("messages not stored: %s", error ? error->message : "?");
  }
  g_autoptr(GHashTable) to_flush = g_hash_table_new(g_str_hash, g_str_equal);
  for (guint i = 0; i < batch->len; i++) {
    PendingPost *pp = batch->pdata[i];
    Conn *c = pending_conn(hub, pp);
    if (c && ok)
      accepted(c, pp->re, ids->pdata[i], pp->client_msg_id);
    else if (c) {
      const char *sentence = "The hub could not store the message; try again.";
      VpErrorCode code = storage_error_code(error, &sentence); /* sets sentence */
      conn_send_error(c, pp->re, code, sentence);
    }
    if (ok && g_array_index(fresh, gboolean, i))
      for (guint r = 0; r < pp->recipients->len; r++) {
        g_hash_table_add(to_flush, pp->recipients->pdata[r]);
        message_reach_posted(hub, pp->sender, pp->sender_name, pp->household, ids->pdata[i],
                             pp->kind, pp->text, pp->recipients->pdata[r]);
      }
  }
  GHashTableIter it;
  gpointer key;
  g_hash_table_iter_init(&it, to_flush);
  while (g_hash_table_iter_next(&it, &key, NULL))
    flush_subject(hub, key);
  for (guint i = 0; i < acks->len; i++) {
    PendingAck *pa = acks->pdata[i];
    if (!pa->done)
      pa->done = g_ptr_array_new();
    ack_done(hub, pa, ok);
    pending_ack_free(pa);
  }
  g_ptr_array_unref(acks);
  for (guint i = 0; i < batch->len; i++)
    pending_free(batch->pdata[i]);
  g_ptr_array_unref(batch);
}

static gboolean
messages_commit_pending_cb(gpointer data)
{
  Hub *hub = data;
  hub->commit_source = 0;
  messages_commit_pending(hub);
  return G_SOURCE_REMOVE;
}

/* Run the group commit at the next turn of the loop, after the frames already received. */
static void
schedule_commit(Hub *hub)
{
  if (!hub->commit_source)
    hub->commit_source = g_idle_add_full(G_PRIORITY_DEFAULT, messages_commit_pending_cb, hub, NULL);
}

static void
post(Conn *c, VpMessage *m)
{
  Hub *hub = c->hub;
  const char *re = vp_message_id(m);
  const char *household = vp_message_get_string(m, "household");
  const char *client_msg_id = vp_message_get_string(m, "client_msg_id");
  const char *kind = vp_message_get_string(m, "kind");
  const char *file = vp_message_get_string(m, "file");
  guint rights = 0;
  if (!conn_member(c, household, &rights)) {
    conn_send_error(c, re, VP_ERROR_NOT_FOUND, "There is no such household for you.");
    return;
  }
  if (c->role == CONN_PERSON && !(rights & HUB_RIGHT_MESSAGE)) {
    conn_send_error(c, re, VP_ERROR_FORBIDDEN,
                    "You do not have the right to send messages to this household.");
    return;
  }
  g_autoptr(GPtrArray) recipients = NULL;
  if (c->role == CONN_KIOSK) {
    const char *to = vp_message_get_string(m, "to");
    HubMembership *mb = to ? hub_membership_get(hub->db, household, to) : NULL;
    if (!mb) {
      conn_send_error(c, re, to ? VP_ERROR_NOT_FOUND : VP_ERROR_MISSING_FIELD,
                      "Say which person of this household the message is for.");
      return;
    }
    hub_membership_free(mb);
    recipients = g_ptr_array_new_with_free_func(g_free);
    g_ptr_array_add(recipients, g_strdup(to));
  } else {
    recipients = hub_household_kiosks(hub->db, household);
  }
  if (g_strcmp0(kind, "text") != 0) {
    const char *want = g_strcmp0(kind, "photo") == 0 ? "photo" : "voice";
    if (!file || !files_in_household(hub, file, household, want)) {
      conn_send_error(c, re, VP_ERROR_NOT_FOUND,
                      "Upload the file to this household first, then send the message.");
      return;
    }
  }
  PendingPost *pp = g_new0(PendingPost, 1);
  pp->conn = c;
  pp->serial = c->serial;
  pp->re = g_strdup(re);
  pp->household = g_strdup(household);
  pp->client_msg_id = g_strdup(client_msg_id);
  pp->kind = g_strdup(kind);
  pp->text = g_strdup(vp_message_get_string(m, "text"));
  pp->file = g_strdup(file);
  pp->caption = g_strdup(vp_message_get_string(m, "caption"));
  pp->has_duration = vp_message_has(m, "duration_ms");
  pp->duration_ms = vp_message_get_int(m, "duration_ms", 0);
  pp->sender = g_strdup(c->self_id);
  pp->sender_name =
      c->role == CONN_PERSON ? g_strdup(c->name) : hub_household_resident(hub->db, household);
  pp->recipients = g_steal_pointer(&recipients);
  g_ptr_array_add(hub->pending_posts, pp);
  schedule_commit(hub);
}

static void
status_to_sender(Hub *hub, const char *msg_id, const char *state)
{
  sqlite3_stmt *st = hub_db_prepare(hub->db, "SELECT sender FROM messages WHERE id=?", NULL);
  if (!st)
    return;
  hub_db_bind_text(st, 1, msg_id);
  g_autofree char *sender = NULL;
  if (sqlite3_step(st) == SQLITE_ROW)
    sender = g_strdup(hub_db_col_text(st, 0));
  sqlite3_reset(st);
  if (!sender || !hub_subject_conns(hub, sender))
    return;
  g_autoptr(VpMessage) s = vp_message_new(VP_MSG_STATUS);
  vp_message_set_string(s, "msg", msg_id);
  vp_message_set_string(s, "state", state);
  vp_message_set_int(s, "at", hub_clock_now_s());
  hub_send_to_subject(hub, sender, s);
}

void
hub_note_seen(Hub *hub, const char *kiosk)
{
  g_hash_table_replace(hub->pending_seen, g_strdup(kiosk),
                       GSIZE_TO_POINTER((gsize)hub_clock_now_s()));
  if (!hub->stopping)
    schedule_commit(hub);
}

static void
ack(Conn *c, VpMessage *m)
{
  Hub *hub = c->hub;
  PendingAck *pa = g_new0(PendingAck, 1);
  pa->conn = c;
  pa->serial = c->serial;
  pa->recipient = g_strdup(c->self_id);
  pa->re = g_strdup(vp_message_id(m));
  /* never acknowledge what this connection was not given */
  pa->up_to = MIN(vp_message_get_int(m, "up_to", 0), c->msg_sent_seq);
  g_ptr_array_add(hub->pending_acks, pa);
  schedule_commit(hub);
}

static void
seen(Conn *c, VpMessage *m)
{
  Hub *hub = c->hub;
  const char *re = vp_message_id(m);
  const char *msg_id = vp_message_get_string(m, "msg");
  sqlite3_stmt *st = hub_db_prepare(
      hub->db,
      "UPDATE deliveries SET seen_at=COALESCE(seen_at, ?) WHERE recipient=? AND message_id=?",
      NULL);
  if (!st)
    return;
  sqlite3_bind_int64(st, 1, hub_clock_now_s());
  hub_db_bind_text(st, 2, c->self_id);
  hub_db_bind_text(st, 3, msg_id);
  sqlite3_step(st);
  sqlite3_reset(st);
  if (sqlite3_changes(hub_db_handle(hub->db)) == 0) {
    conn_send_error(c, re, VP_ERROR_NOT_FOUND, "There is no such message for you.");
    return;
  }
  status_to_sender(hub, msg_id, "seen");
  if (re)
    conn_send_ok(c, re);
}

void
messages_handle(Conn *c, VpMessage *m)
{
  switch (vp_message_type(m)) {
  case VP_MSG_POST:
    post(c, m);
    break;
  case VP_MSG_ACK:
    ack(c, m);
    break;
  case VP_MSG_SEEN:
    seen(c, m);
    break;
  default:
    break;
  }
}
