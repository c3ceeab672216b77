/* Plugin documents: a per-household store keyed by (kind, doc) with revisions. A put is
 * accepted only against the current revision (`base_rev`), committed with one delivery per
 * kiosk of the household (the kiosk's own doc sequence), and delivered like messages: in order,
 * windowed, until acknowledged with `doc.ack`. */
#define G_LOG_DOMAIN "vindu-hub"
#include "hub.h"
#include "storage_full.h"

#include "doc_bodies.h"
#include "clock.h"

#include <string.h>

#define DOC_BODY_MAX 32768

static JsonNode *
parse_body(const char *text)
{
  JsonNode *n = json_from_string(text, NULL);
  if (!n)
    n = json_node_init_object(json_node_alloc(), json_object_new());
  return n;
}

void
documents_flush(Conn *c)
{
  if (c->closing || c->role != CONN_KIOSK || c->doc_inflight >= HUB_DELIVERY_WINDOW)
    return;
  Hub *hub = c->hub;
  sqlite3_stmt *st = hub_db_prepare(hub->db,
                                    "SELECT seq, household_id, kind, doc, rev, body, deleted FROM"
                                    " doc_deliveries WHERE kiosk_id=? AND acked_at IS NULL AND"
                                    " seq>? ORDER BY seq LIMIT ?",
                                    NULL);
  if (!st)
    return;
  hub_db_bind_text(st, 1, c->self_id);
  sqlite3_bind_int64(st, 2, c->doc_sent_seq);
  sqlite3_bind_int(st, 3, (int)(HUB_DELIVERY_WINDOW - c->doc_inflight));
  while (sqlite3_step(st) == SQLITE_ROW) {
    g_autoptr(VpMessage) d = vp_message_new(VP_DOC_DELIVER);
    vp_message_set_int(d, "seq", sqlite3_column_int64(st, 0));
    vp_message_set_string(d, "household", hub_db_col_text(st, 1));
    vp_message_set_string(d, "kind", hub_db_col_text(st, 2));
    vp_message_set_string(d, "doc", hub_db_col_text(st, 3));
    vp_message_set_int(d, "rev", sqlite3_column_int64(st, 4));
    json_object_set_member(vp_message_object(d), "body", parse_body(hub_db_col_text(st, 5)));
    vp_message_set_bool(d, "deleted", sqlite3_column_int(st, 6) != 0);
    conn_send(c, d);
    c->doc_sent_seq = sqlite3_column_int64(st, 0);
    c->doc_inflight++;
  }
  sqlite3_reset(st);
}

/* The right a kind's manifest names guards it; `checkin` is the hub's own (staff roles). */
static gboolean
may_put(Conn *c, const char *household, const char *kind)
{
  guint rights = 0;
  if (!conn_member(c, household, &rights))
    return FALSE;
  if (c->role == CONN_KIOSK)
    return TRUE;
  if (g_strcmp0(kind, "checkin") == 0) {
    HubMembership *m = conn_membership(c, household);
    return m && (g_str_equal(m->role, "staff") || g_str_equal(m->role, "coordinator"));
  }
  const HubKind *k = hub_manifests_kind(c->hub->manifests, kind);
  return k && (rights & k->right_bit);
}

/* A plugin kind's body against its manifest; answers the error itself. */
static gboolean
plugin_body_valid(Conn *c, const char *re, const char *household, const HubKind *k, JsonNode *body)
{
  HubBodyError e = {0};
  if (hub_body_check(c->hub, household, k->fields, body, &e))
    return TRUE;
  conn_send_field_error(c, re, e.code, e.field, e.sentence);
  hub_body_error_clear(&e);
  return FALSE;
}

/* A check-in's time must be a whole number of seconds: as a string SQLite would compare it
 * above every integer and the check-in would count as missed forever. 2000-2100 is wide
 * enough for any real appointment and keeps arithmetic on it from overflowing. */
#define CHECKIN_AT_MIN G_GINT64_CONSTANT(946684800)  /* 2000-01-01 */
#define CHECKIN_AT_MAX G_GINT64_CONSTANT(4102444800) /* 2100-01-01 */

/* The body of a `checkin`: `at` an integer time in range, `person` absent or a member of the
 * household. Answers the error itself. */
static gboolean
checkin_body_valid(Conn *c, const char *re, const char *household, JsonNode *body)
{
  JsonObject *o = body && JSON_NODE_HOLDS_OBJECT(body) ? json_node_get_object(body) : NULL;
  JsonNode *at = o ? json_object_get_member(o, "at") : NULL;
  if (!at) {
    conn_send_error(c, re, VP_ERROR_MISSING_FIELD, "A check-in needs its time (at).");
    return FALSE;
  }
  if (!JSON_NODE_HOLDS_VALUE(at) || json_node_get_value_type(at) != G_TYPE_INT64) {
    conn_send_error(c, re, VP_ERROR_WRONG_TYPE, "A check-in's time (at) is a whole number.");
    return FALSE;
  }
  gint64 when = json_node_get_int(at);
  if (when < CHECKIN_AT_MIN || when >= CHECKIN_AT_MAX) {
    conn_send_error(c, re, VP_ERROR_OUT_OF_RANGE, "A check-in's time is not a real date.");
    return FALSE;
  }
  JsonNode *person = json_object_get_member(o, "person");
  if (!person)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE(person) || json_node_get_value_type(person) != G_TYPE_STRING) {
    conn_send_error(c, re, VP_ERROR_WRONG_TYPE, "A check-in's person is a person's id.");
    return FALSE;
  }
  const char *pid = json_node_get_string(person);
  if (!vp_is_identifier(pid)) {
    conn_send_error(c, re, VP_ERROR_BAD_FORMAT, "A check-in's person is a person's id.");
    return FALSE;
  }
  HubMembership *mb = hub_membership_get(c->hub->db, household, pid);
  if (!mb) {
    conn_send_error(c, re, VP_ERROR_NOT_FOUND, "There is no such person in this household.");
    return FALSE;
  }
  hub_membership_free(mb);
  return TRUE;
}

static void
put(Conn *c, VpMessage *m)
{
  Hub *hub = c->hub;
  HubDb *db = hub->db;
  const char *re = vp_message_id(m);
  const char *household = vp_message_get_string(m, "household");
  const char *kind = vp_message_get_string(m, "kind");
  const char *doc = vp_message_get_string(m, "doc");
  gint64 base_rev = vp_message_get_int(m, "base_rev", -1);
  gboolean deleted = vp_message_get_bool(m, "deleted", FALSE);
  if (!conn_member(c, household, NULL)) {
    conn_send_error(c, re, VP_ERROR_NOT_FOUND, "There is no such household for you.");
    return;
  }
  const HubKind *plugin_kind = hub_manifests_kind(hub->manifests, kind);
  if (!plugin_kind && g_strcmp0(kind, "checkin") != 0) {
    conn_send_error(c, re, VP_ERROR_UNKNOWN_KIND,
                    "No plugin on this hub keeps documents of this kind.");
    return;
  }
  if (!may_put(c, household, kind)) {
    conn_send_error(c, re, VP_ERROR_FORBIDDEN, "You do not have the right to change these.");
    return;
  }
  JsonNode *body_node = json_object_get_member(vp_message_object(m), "body");
  if (!deleted && g_strcmp0(kind, "checkin") == 0 &&
      !checkin_body_valid(c, re, household, body_node))
    return;
  if (!deleted && plugin_kind)
    hub_body_stamp_author(plugin_kind->fields, body_node, c->self_id);
  if (!deleted && plugin_kind && !plugin_body_valid(c, re, household, plugin_kind, body_node))
    return;
  g_autofree char *body = body_node ? json_to_string(body_node, FALSE) : g_strdup("{}");
  if (strlen(body) > DOC_BODY_MAX) {
    conn_send_error(c, re, VP_ERROR_TOO_LARGE, "The document is larger than 32,768 bytes.");
    return;
  }
  if (deleted) {
    g_free(body);
    body = g_strdup("{}");
  }
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) kiosks = hub_household_kiosks(db, household);
  gint64 current = 0;
  if (!hub_db_begin(db, &error))
    goto fail;
  sqlite3_stmt *st = hub_db_prepare(
      db, "SELECT rev FROM documents WHERE household_id=? AND kind=? AND doc=?", &error);
  if (!st)
    goto fail;
  hub_db_bind_text(st, 1, household);
  hub_db_bind_text(st, 2, kind);
  hub_db_bind_text(st, 3, doc);
  if (sqlite3_step(st) == SQLITE_ROW)
    current = sqlite3_column_int64(st, 0);
  sqlite3_reset(st);
  if (current != base_rev) {
    hub_db_rollback(db);
    g_autofree char *sentence = g_strdup_printf(
        "Someone changed this first: the current revision is %" G_GINT64_FORMAT ".", current);
    conn_send_error(c, re, VP_ERROR_CONFLICT, sentence);
    return;
  }
  gint64 rev = current + 1;
  st = hub_db_prepare(db,
                      "INSERT OR REPLACE INTO documents(household_id, kind, doc, rev, body,"
                      " deleted, updated_by, updated_at) VALUES(?,?,?,?,?,?,?,?)",
                      &error);
  if (!st)
    goto fail;
  hub_db_bind_text(st, 1, household);
  hub_db_bind_text(st, 2, kind);
  hub_db_bind_text(st, 3, doc);
  sqlite3_bind_int64(st, 4, rev);
  hub_db_bind_text(st, 5, body);
  sqlite3_bind_int(st, 6, deleted);
  hub_db_bind_text(st, 7, c->self_id);
  sqlite3_bind_int64(st, 8, hub_clock_now_s());
  int rc = sqlite3_step(st);
  sqlite3_reset(st);
  if (rc != SQLITE_DONE) {
    hub_db_fail(db, &error, "document");
    goto fail;
  }
  for (guint i = 0; i < kiosks->len; i++) {
    st = hub_db_prepare(db, "UPDATE kiosks SET doc_seq=doc_seq+1 WHERE id=? RETURNING doc_seq",
                        &error);
    if (!st)
      goto fail;
    hub_db_bind_text(st, 1, kiosks->pdata[i]);
    gint64 seq = -1;
    if (sqlite3_step(st) == SQLITE_ROW)
      seq = sqlite3_column_int64(st, 0);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (seq < 0 || rc != SQLITE_DONE) {
      hub_db_fail(db, &error, "doc sequence");
      goto fail;
    }
    st = hub_db_prepare(db,
                        "INSERT INTO doc_deliveries(kiosk_id, seq, household_id, kind, doc, rev,"
                        " body, deleted) VALUES(?,?,?,?,?,?,?,?)",
                        &error);
    if (!st)
      goto fail;
    hub_db_bind_text(st, 1, kiosks->pdata[i]);
    sqlite3_bind_int64(st, 2, seq);
    hub_db_bind_text(st, 3, household);
    hub_db_bind_text(st, 4, kind);
    hub_db_bind_text(st, 5, doc);
    sqlite3_bind_int64(st, 6, rev);
    hub_db_bind_text(st, 7, body);
    sqlite3_bind_int(st, 8, deleted);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
      hub_db_fail(db, &error, "doc delivery");
      goto fail;
    }
  }
  if (!hub_db_commit(db, &error))
    goto fail;
  {
    g_autoptr(VpMessage) a = vp_message_new(VP_DOC_ACCEPTED);
    vp_message_set_string(a, "re", re);
    vp_message_set_string(a, "kind", kind);
    vp_message_set_string(a, "doc", doc);
    vp_message_set_int(a, "rev", rev);
    conn_send(c, a);
  }
  for (guint i = 0; i < kiosks->len; i++) {
    GPtrArray *list = hub_subject_conns(hub, kiosks->pdata[i]);
    for (guint k = 0; list && k < list->len; k++)
      documents_flush(list->pdata[k]);
  }
  return;
fail:
  hub_db_rollback(db);
  g_warning("document not stored: %s", error ? error->message : "?");
  const char *sentence = "The hub could not store the document; try again.";
  VpErrorCode code = storage_error_code(error, &sentence); /* sets sentence */
  conn_send_error(c, re, code, sentence);
}

/* One page of doc.list fits in one frame whatever the bodies (each up to 32 KB as JSON): items
 * are added while the answer stays under this, and `more` + `next` say where to go on. */
#define DOC_PAGE_BUDGET (VP_MAX_FRAME_BYTES - 2048)

static JsonObject *
item_of_row(Hub *hub, const char *household, const char *kind, sqlite3_stmt *st, gsize *json_len)
{
  JsonObject *o = json_object_new();
  json_object_set_string_member(o, "doc", hub_db_col_text(st, 0));
  json_object_set_int_member(o, "rev", sqlite3_column_int64(st, 1));
  json_object_set_member(o, "body", parse_body(hub_db_col_text(st, 2)));
  json_object_set_boolean_member(o, "deleted", sqlite3_column_int(st, 3) != 0);
  plugin_answers_attach(hub, household, kind, o); /* counted in the page's budget too */
  g_autoptr(JsonNode) n = json_node_init_object(json_node_alloc(), o);
  g_autofree char *text = json_to_string(n, FALSE);
  *json_len = strlen(text) + 1; /* and a comma */
  return o;
}

static void
list(Conn *c, VpMessage *m)
{
  Hub *hub = c->hub;
  const char *re = vp_message_id(m);
  const char *household = vp_message_get_string(m, "household");
  const char *kind = vp_message_get_string(m, "kind");
  const char *after = vp_message_get_string(m, "after");
  if (!conn_member(c, household, NULL)) {
    conn_send_error(c, re, VP_ERROR_NOT_FOUND, "There is no such household for you.");
    return;
  }
  sqlite3_stmt *st = hub_db_prepare(hub->db,
                                    "SELECT doc, rev, body, deleted FROM documents WHERE"
                                    " household_id=? AND kind=? AND doc>? ORDER BY doc",
                                    NULL);
  if (!st) {
    conn_send_error(c, re, VP_ERROR_INTERNAL, "The hub failed; nothing was changed.");
    return;
  }
  hub_db_bind_text(st, 1, household);
  hub_db_bind_text(st, 2, kind);
  hub_db_bind_text(st, 3, after ? after : "");
  JsonArray *items = json_array_new();
  gsize used = 0;
  g_autofree char *last = NULL;
  gboolean more = FALSE;
  while (sqlite3_step(st) == SQLITE_ROW) {
    gsize len = 0;
    JsonObject *o = item_of_row(hub, household, kind, st, &len);
    if (used + len > DOC_PAGE_BUDGET && json_array_get_length(items) > 0) {
      json_object_unref(o);
      more = TRUE;
      break;
    }
    used += len;
    g_free(last);
    last = g_strdup(json_object_get_string_member(o, "doc"));
    json_array_add_object_element(items, o);
  }
  sqlite3_reset(st);
  g_autoptr(VpMessage) a = vp_message_new(VP_DOC_ITEMS);
  vp_message_set_string(a, "re", re);
  vp_message_set_string(a, "kind", kind);
  vp_message_take_array(a, "items", items);
  if (more) {
    vp_message_set_bool(a, "more", TRUE);
    vp_message_set_string(a, "next", last);
  }
  conn_send(c, a);
}

static void
ack(Conn *c, VpMessage *m)
{
  Hub *hub = c->hub;
  gint64 up_to = MIN(vp_message_get_int(m, "up_to", 0), c->doc_sent_seq);
  sqlite3_stmt *st = hub_db_prepare(hub->db,
                                    "UPDATE doc_deliveries SET acked_at=? WHERE kiosk_id=? AND"
                                    " seq<=? AND acked_at IS NULL",
                                    NULL);
  if (!st)
    return;
  sqlite3_bind_int64(st, 1, hub_clock_now_s());
  hub_db_bind_text(st, 2, c->self_id);
  sqlite3_bind_int64(st, 3, up_to);
  sqlite3_step(st);
  sqlite3_reset(st);
  st = hub_db_prepare(hub->db,
                      "SELECT COUNT(*) FROM doc_deliveries WHERE kiosk_id=? AND seq<=? AND"
                      " acked_at IS NULL",
                      NULL);
  if (st) {
    hub_db_bind_text(st, 1, c->self_id);
    sqlite3_bind_int64(st, 2, c->doc_sent_seq);
    if (sqlite3_step(st) == SQLITE_ROW)
      c->doc_inflight = (guint)sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
  }
  if (vp_message_id(m))
    conn_send_ok(c, vp_message_id(m));
  documents_flush(c);
}

void
documents_handle(Conn *c, VpMessage *m)
{
  switch (vp_message_type(m)) {
  case VP_DOC_PUT:
    put(c, m);
    break;
  case VP_DOC_LIST:
    list(c, m);
    break;
  case VP_DOC_ACK:
    ack(c, m);
    break;
  default:
    break;
  }
}
