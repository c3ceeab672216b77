/* What kiosks report about their plugins: the inventory (`kiosk.plugins`: which plugins run,
 * which documents are set aside) kept per kiosk, and plugins' answers (`plugin.answer`), stored
 * once per idempotency key and delivered live (`doc.answer`) to the document's last writer and to
 * the people holding the kind's right. What readers see of them (household.state, doc.list) is
 * plugin_state.c's. */
#define G_LOG_DOMAIN "vindu-hub"
#include "look_sharing.h"
#include "hub.h"

#include "doc_bodies.h"
#include "clock.h"

/* Answers kept per document: a daily reminder's last three months; older ones go when a new one
 * comes, so a screen answering for years does not grow the database without end. */
#define ANSWERS_KEPT_PER_DOC 100

static void
store_inventory(Conn *c, VpMessage *m)
{
  const char *re = vp_message_id(m);
  JsonObject *o = json_object_new();
  json_object_set_member(o, "plugins", json_object_dup_member(vp_message_object(m), "plugins"));
  json_object_set_member(o, "quarantined",
                         json_object_dup_member(vp_message_object(m), "quarantined"));
  g_autoptr(JsonNode) node = json_node_init_object(json_node_alloc(), o);
  json_object_unref(o);
  g_autofree char *text = json_to_string(node, FALSE);
  sqlite3_stmt *st = hub_db_prepare(c->hub->db,
                                    "INSERT OR REPLACE INTO kiosk_plugins(kiosk_id, household_id,"
                                    " inventory, updated_at) VALUES(?,?,?,?)",
                                    NULL);
  int rc = SQLITE_ERROR;
  if (st) {
    hub_db_bind_text(st, 1, c->self_id);
    hub_db_bind_text(st, 2, c->household);
    hub_db_bind_text(st, 3, text);
    sqlite3_bind_int64(st, 4, hub_clock_now_s());
    rc = sqlite3_step(st);
    sqlite3_reset(st);
  }
  if (rc != SQLITE_DONE) {
    conn_send_error(c, re, VP_ERROR_INTERNAL, "The hub could not keep the list; try again.");
    return;
  }
  if (re)
    conn_send_ok(c, re);
  household_send_state(c->hub, c->household, NULL, NULL); /* forms and set-aside notes follow */
}

/* Who last wrote the document (its author for the answer), or NULL when the household has no
 * such document. transfer full */
static char *
document_writer(HubDb *db, const char *household, const char *kind, const char *doc)
{
  sqlite3_stmt *st = hub_db_prepare(db,
                                    "SELECT COALESCE(updated_by, '') FROM documents WHERE"
                                    " household_id=? AND kind=? AND doc=?",
                                    NULL);
  if (!st)
    return NULL;
  hub_db_bind_text(st, 1, household);
  hub_db_bind_text(st, 2, kind);
  hub_db_bind_text(st, 3, doc);
  char *who = sqlite3_step(st) == SQLITE_ROW ? g_strdup(hub_db_col_text(st, 0)) : NULL;
  sqlite3_reset(st);
  return who;
}

/* INSERT OR IGNORE: a retried answer (same kiosk, same key) changes nothing. *fresh says if
 * this one was new. */
static gboolean
store_answer(Conn *c, VpMessage *m, const char *body, gint64 at, gboolean *fresh)
{
  sqlite3_stmt *st = hub_db_prepare(c->hub->db,
                                    "INSERT OR IGNORE INTO plugin_answers(kiosk_id, answer,"
                                    " household_id, kind, doc, rev, body, at)"
                                    " VALUES(?,?,?,?,?,?,?,?)",
                                    NULL);
  if (!st)
    return FALSE;
  hub_db_bind_text(st, 1, c->self_id);
  hub_db_bind_text(st, 2, vp_message_get_string(m, "answer"));
  hub_db_bind_text(st, 3, c->household);
  hub_db_bind_text(st, 4, vp_message_get_string(m, "kind"));
  hub_db_bind_text(st, 5, vp_message_get_string(m, "doc"));
  sqlite3_bind_int64(st, 6, vp_message_get_int(m, "rev", 0));
  hub_db_bind_text(st, 7, body);
  sqlite3_bind_int64(st, 8, at);
  int rc = sqlite3_step(st);
  sqlite3_reset(st);
  *fresh = sqlite3_changes(hub_db_handle(c->hub->db)) > 0;
  return rc == SQLITE_DONE;
}

static void
forget_old_answers(HubDb *db, VpMessage *m, const char *household)
{
  sqlite3_stmt *st = hub_db_prepare(db,
                                    "DELETE FROM plugin_answers WHERE rowid IN (SELECT rowid FROM"
                                    " plugin_answers WHERE household_id=? AND kind=? AND doc=?"
                                    " ORDER BY at DESC, rowid DESC LIMIT -1 OFFSET ?)",
                                    NULL);
  if (!st)
    return;
  hub_db_bind_text(st, 1, household);
  hub_db_bind_text(st, 2, vp_message_get_string(m, "kind"));
  hub_db_bind_text(st, 3, vp_message_get_string(m, "doc"));
  sqlite3_bind_int(st, 4, ANSWERS_KEPT_PER_DOC);
  sqlite3_step(st);
  sqlite3_reset(st);
}

static void
deliver_answer(Hub *hub, VpMessage *m, const char *household, const HubKind *k, const char *writer,
               gint64 at)
{
  g_autoptr(VpMessage) d = vp_message_new(VP_DOC_ANSWER);
  vp_message_set_string(d, "household", household);
  vp_message_set_string(d, "kind", k->kind);
  vp_message_set_string(d, "doc", vp_message_get_string(m, "doc"));
  vp_message_set_string(d, "answer", vp_message_get_string(m, "answer"));
  vp_message_set_int(d, "rev", vp_message_get_int(m, "rev", 0));
  json_object_set_member(vp_message_object(d), "body",
                         json_object_dup_member(vp_message_object(m), "body"));
  vp_message_set_int(d, "at", at);
  GPtrArray *list = g_hash_table_lookup(hub->by_household, household);
  for (guint i = 0; list && i < list->len; i++) {
    Conn *c = list->pdata[i];
    guint rights = 0;
    if (c->closing || c->role != CONN_PERSON || !conn_member(c, household, &rights))
      continue;
    if (g_strcmp0(c->self_id, writer) == 0 || (rights & k->right_bit))
      conn_send(c, d);
  }
}

static void
take_answer(Conn *c, VpMessage *m)
{
  const char *re = vp_message_id(m);
  const char *household = vp_message_get_string(m, "household");
  const char *kind = vp_message_get_string(m, "kind");
  if (!conn_member(c, household, NULL)) {
    conn_send_error(c, re, VP_ERROR_NOT_FOUND, "There is no such household for you.");
    return;
  }
  const HubKind *k = hub_manifests_kind(c->hub->manifests, kind);
  if (!k) {
    conn_send_error(c, re, VP_ERROR_UNKNOWN_KIND, "No plugin on this hub keeps this kind.");
    return;
  }
  g_autofree char *writer =
      document_writer(c->hub->db, household, kind, vp_message_get_string(m, "doc"));
  if (!writer) {
    conn_send_error(c, re, VP_ERROR_NOT_FOUND, "There is no such document in this household.");
    return;
  }
  if (!hub_looks_welcome(c->hub->db, household, kind)) {
    conn_send_error(c, re, VP_ERROR_FORBIDDEN,
                    "This household does not share which photos were looked at.");
    return;
  }
  JsonNode *body = json_object_get_member(vp_message_object(m), "body");
  HubBodyError e = {0};
  if (k->answers->len && !hub_body_check(c->hub, household, k->answers, body, &e)) {
    conn_send_field_error(c, re, e.code, e.field, e.sentence);
    hub_body_error_clear(&e);
    return;
  }
  g_autofree char *text = json_to_string(body, FALSE);
  gint64 at = hub_clock_now_s();
  gboolean fresh = FALSE;
  if (!store_answer(c, m, text, at, &fresh)) {
    g_warning("answer not stored: %s", sqlite3_errmsg(hub_db_handle(c->hub->db)));
    conn_send_error(c, re, VP_ERROR_INTERNAL, "The hub could not store the answer; try again.");
    return;
  }
  g_autoptr(VpMessage) a = vp_message_new(VP_PLUGIN_ANSWER_ACCEPTED);
  vp_message_set_string(a, "re", re ? re : "-");
  vp_message_set_string(a, "answer", vp_message_get_string(m, "answer"));
  conn_send(c, a);
  if (fresh) {
    forget_old_answers(c->hub->db, m, household);
    deliver_answer(c->hub, m, household, k, writer, at);
  }
}

/* The memory-book page showing this photo now: its doc and revision, FALSE if none. */
static gboolean
page_of_file(HubDb *db, const char *household, const char *file, char **doc, gint64 *rev)
{
  sqlite3_stmt *st = hub_db_prepare(db,
                                    "SELECT doc, rev FROM documents WHERE household_id=? AND kind=?"
                                    " AND deleted=0 AND json_extract(body, '$.file')=?"
                                    " ORDER BY updated_at DESC LIMIT 1",
                                    NULL);
  if (!st)
    return FALSE;
  hub_db_bind_text(st, 1, household);
  hub_db_bind_text(st, 2, HUB_LOOK_KIND);
  hub_db_bind_text(st, 3, file);
  gboolean found = sqlite3_step(st) == SQLITE_ROW;
  if (found) {
    *doc = g_strdup(hub_db_col_text(st, 0));
    *rev = sqlite3_column_int64(st, 1);
  }
  sqlite3_reset(st);
  return found;
}

/* memory.look: kept as the page's answer {"looked_at": now}, like a plugin's answer (stored
 * once per key, told to those holding the book's right), only while the household shares looks. */
static void
take_look(Conn *c, VpMessage *m)
{
  const char *re = vp_message_id(m);
  const char *household = vp_message_get_string(m, "household");
  const HubKind *k = hub_manifests_kind(c->hub->manifests, HUB_LOOK_KIND);
  g_autofree char *doc = NULL;
  gint64 rev = 0;
  if (!conn_member(c, household, NULL) || !k ||
      !page_of_file(c->hub->db, household, vp_message_get_string(m, "file"), &doc, &rev)) {
    conn_send_error(c, re, VP_ERROR_NOT_FOUND, "There is no memory-book page with this photo.");
    return;
  }
  if (!hub_share_looks(c->hub->db, household)) {
    conn_send_error(c, re, VP_ERROR_FORBIDDEN,
                    "This household does not share which photos were looked at.");
    return;
  }
  gint64 at = hub_clock_now_s();
  g_autoptr(VpMessage) a = vp_message_new(VP_PLUGIN_ANSWER);
  vp_message_set_string(a, "answer", vp_message_get_string(m, "look"));
  vp_message_set_string(a, "kind", HUB_LOOK_KIND);
  vp_message_set_string(a, "doc", doc);
  vp_message_set_int(a, "rev", rev);
  JsonObject *body = json_object_new();
  json_object_set_int_member(body, "looked_at", at);
  json_object_set_object_member(vp_message_object(a), "body", body);
  g_autofree char *text = g_strdup_printf("{\"looked_at\":%" G_GINT64_FORMAT "}", at);
  gboolean fresh = FALSE;
  if (!store_answer(c, a, text, at, &fresh)) {
    conn_send_error(c, re, VP_ERROR_INTERNAL, "The hub could not store the look; try again.");
    return;
  }
  conn_send_ok(c, re);
  if (fresh) {
    forget_old_answers(c->hub->db, a, household);
    g_autofree char *writer = document_writer(c->hub->db, household, HUB_LOOK_KIND, doc);
    deliver_answer(c->hub, a, household, k, writer, at);
  }
}

void
plugin_reports_handle(Conn *c, VpMessage *m)
{
  if (c->role != CONN_KIOSK)
    return;
  if (vp_message_type(m) == VP_KIOSK_PLUGINS)
    store_inventory(c, m);
  else if (vp_message_type(m) == VP_PLUGIN_ANSWER)
    take_answer(c, m);
  else if (vp_message_type(m) == VP_MEMORY_LOOK)
    take_look(c, m);
}
