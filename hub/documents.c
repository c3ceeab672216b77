/* Plugin documents: a per-household store keyed by (kind, doc) with revisions. A put is
 * accepted only against the current revision (`base_rev`), committed with one delivery per
 * kiosk of the household (the kiosk's own doc sequence), and delivered like messages: in order,
 * windowed, until acknowledged with `doc.ack`. */
#define G_LOG_DOMAIN "vindu-hub"
#include "hub.h"
#include "storage_full.h"

#include "doc_bodies.h"
#include "doc_store.h"
#include "quota.h"
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

/* The body of the document as stored now (not deleted), or NULL. */
static JsonNode *
stored_body(HubDb *db, const char *household, const char *kind, const char *doc)
{
  sqlite3_stmt *st = hub_db_prepare(
      db, "SELECT body FROM documents WHERE household_id=? AND kind=? AND doc=? AND deleted=0",
      NULL);
  if (!st)
    return NULL;
  hub_db_bind_text(st, 1, household);
  hub_db_bind_text(st, 2, kind);
  hub_db_bind_text(st, 3, doc);
  JsonNode *body = NULL;
  if (sqlite3_step(st) == SQLITE_ROW)
    body = json_from_string((const char *)sqlite3_column_text(st, 0), NULL);
  sqlite3_reset(st);
  return body;
}

/* Everything about one put that does not touch the database: the household, the kind, the
 * writer's right there and the body (stamped with its author). Answers the error itself. */
gboolean
documents_put_allowed(Conn *c, const char *re, const DocWrite *w, JsonNode *body,
                      const char *household_field)
{
  if (!conn_member(c, w->household, NULL)) {
    conn_send_field_error(c, re, VP_ERROR_NOT_FOUND, household_field,
                          "There is no such household for you.");
    return FALSE;
  }
  const HubKind *plugin_kind = hub_manifests_kind(c->hub->manifests, w->kind);
  if (!plugin_kind && g_strcmp0(w->kind, "checkin") != 0) {
    conn_send_error(c, re, VP_ERROR_UNKNOWN_KIND,
                    "No plugin on this hub keeps documents of this kind.");
    return FALSE;
  }
  if (!may_put(c, w->household, w->kind)) {
    conn_send_field_error(c, re, VP_ERROR_FORBIDDEN, household_field,
                          "You do not have the right to change these.");
    return FALSE;
  }
  const char *household = w->household;
  gboolean deleted = w->deleted;
  if (deleted)
    return TRUE;
  if (!plugin_kind)
    return checkin_body_valid(c, re, household, body);
  g_autoptr(JsonNode) before = stored_body(c->hub->db, household, w->kind, w->doc);
  hub_body_stamp_author(plugin_kind->fields, body, c->self_id, before);
  return plugin_body_valid(c, re, household, plugin_kind, body);
}

/* The stored text of a body: NULL (and the error answered) when it is too large. */
char *
documents_body_text(Conn *c, const char *re, JsonNode *body, gboolean deleted)
{
  if (deleted)
    return g_strdup("{}");
  char *text = body ? vp_json_text(body, FALSE, NULL) : g_strdup("{}");
  if (strlen(text) > DOC_BODY_MAX) {
    g_free(text);
    conn_send_error(c, re, VP_ERROR_TOO_LARGE, "The document is larger than 32,768 bytes.");
    return NULL;
  }
  return text;
}

void
documents_flush_household(Hub *hub, const char *household)
{
  g_autoptr(GPtrArray) kiosks = hub_household_kiosks(hub->db, household);
  for (guint i = 0; i < kiosks->len; i++) {
    GPtrArray *list = hub_subject_conns(hub, kiosks->pdata[i]);
    for (guint k = 0; list && k < list->len; k++)
      documents_flush(list->pdata[k]);
  }
}

void
documents_send_conflict(Conn *c, const char *re, gint64 current)
{
  g_autofree char *sentence = g_strdup_printf(
      "Someone changed this first: the current revision is %" G_GINT64_FORMAT ".", current);
  conn_send_error(c, re, VP_ERROR_CONFLICT, sentence);
}

/* doc.accepted for one put (its own function: no cleanup variable between put's gotos). */
static void
send_doc_accepted(Conn *c, const char *re, const DocWrite *w, gint64 rev)
{
  g_autoptr(VpMessage) a = vp_message_new(VP_DOC_ACCEPTED);
  vp_message_set_string(a, "re", re);
  vp_message_set_string(a, "kind", w->kind);
  vp_message_set_string(a, "doc", w->doc);
  vp_message_set_int(a, "rev", rev);
  conn_send(c, a);
}

static void
put(Conn *c, VpMessage *m)
{
  HubDb *db = c->hub->db;
  const char *re = vp_message_id(m);
  DocWrite w = {
      .household = vp_message_get_string(m, "household"),
      .kind = vp_message_get_string(m, "kind"),
      .doc = vp_message_get_string(m, "doc"),
      .base_rev = vp_message_get_int(m, "base_rev", -1),
      .deleted = vp_message_get_bool(m, "deleted", FALSE),
      .author = c->self_id,
  };
  JsonNode *body_node = json_object_get_member(vp_message_object(m), "body");
  if (!documents_put_allowed(c, re, &w, body_node, NULL))
    return;
  g_autofree char *body = documents_body_text(c, re, body_node, w.deleted);
  if (!body)
    return;
  w.body = body;
  g_autoptr(GError) error = NULL;
  gint64 rev = 0;
  if (!hub_db_begin(db, &error))
    goto fail;
  DocStored r = documents_store(db, &w, &rev, &error);
  if (r == DOC_CONFLICT) {
    hub_db_rollback(db);
    documents_send_conflict(c, re, rev);
    return;
  }
  if (r != DOC_STORED || !hub_db_commit(db, &error))
    goto fail;
  send_doc_accepted(c, re, &w, rev);
  documents_flush_household(c->hub, w.household);
  return;
fail:
  hub_db_rollback(db);
  g_warning("document not stored: %s", error ? error->message : "?");
  const char *sentence = "The hub could not store the document; try again.";
  VpErrorCode code = storage_error_code(error, &sentence); /* sets sentence */
  conn_send_error(c, re, code, sentence);
}

/* ---- doc.put_many: one document into several households, all or nothing --------------------
 * A coordinator invites the residents of each household where they hold the kind's right. Every
 * target is checked (membership, right, body, quota) before anything is written, and the writes
 * share one transaction, so a refusal for one household leaves every household as it was. */

/* Each target's household once: a household twice would be written twice in one request. */
static gboolean
targets_distinct(Conn *c, const char *re, JsonArray *targets)
{
  g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
  for (guint i = 0; i < json_array_get_length(targets); i++) {
    JsonObject *t = json_array_get_object_element(targets, i);
    const char *household = json_object_get_string_member(t, "household");
    if (!g_hash_table_add(seen, (gpointer)household)) {
      g_autofree char *field = g_strdup_printf("targets[%u].household", i);
      conn_send_field_error(c, re, VP_ERROR_OUT_OF_RANGE, field,
                            "The same household is named twice; name each household once.");
      return FALSE;
    }
  }
  return TRUE;
}

static DocWrite
target_write(Conn *c, VpMessage *m, JsonObject *target, const char *body)
{
  DocWrite w = {
      .household = json_object_get_string_member(target, "household"),
      .kind = vp_message_get_string(m, "kind"),
      .doc = vp_message_get_string(m, "doc"),
      .base_rev = json_object_get_int_member(target, "base_rev"),
      .body = body,
      .deleted = vp_message_get_bool(m, "deleted", FALSE),
      .author = c->self_id,
  };
  return w;
}

/* Rights, body and quota for every target before any write. */
static gboolean
all_allowed(Conn *c, VpMessage *m, JsonArray *targets, JsonNode *body)
{
  const char *re = vp_message_id(m);
  for (guint i = 0; i < json_array_get_length(targets); i++) {
    DocWrite w = target_write(c, m, json_array_get_object_element(targets, i), NULL);
    g_autofree char *field = g_strdup_printf("targets[%u].household", i);
    if (!documents_put_allowed(c, re, &w, body, field))
      return FALSE;
    DocQuotaAsk q = {w.household, w.kind, w.doc, c->self_id, w.deleted};
    const char *sentence = NULL;
    if (!quota_document_ok(c->hub, &q, &sentence)) {
      conn_send_field_error(c, re, VP_ERROR_QUOTA_DOCUMENTS, field, sentence);
      return FALSE;
    }
  }
  return TRUE;
}

static void
send_accepted(Conn *c, VpMessage *m, JsonArray *revs)
{
  g_autoptr(VpMessage) a = vp_message_new(VP_DOC_ACCEPTED_MANY);
  vp_message_set_string(a, "re", vp_message_id(m));
  vp_message_set_string(a, "kind", vp_message_get_string(m, "kind"));
  vp_message_set_string(a, "doc", vp_message_get_string(m, "doc"));
  vp_message_take_array(a, "revs", revs);
  conn_send(c, a);
}

static void
documents_put_many(Conn *c, VpMessage *m)
{
  HubDb *db = c->hub->db;
  const char *re = vp_message_id(m);
  JsonArray *targets = json_object_get_array_member(vp_message_object(m), "targets");
  JsonNode *body_node = json_object_get_member(vp_message_object(m), "body");
  if (!targets_distinct(c, re, targets) || !all_allowed(c, m, targets, body_node))
    return;
  g_autofree char *body =
      documents_body_text(c, re, body_node, vp_message_get_bool(m, "deleted", FALSE));
  if (!body)
    return;
  g_autoptr(GError) error = NULL;
  JsonArray *revs = json_array_new();
  if (!hub_db_begin(db, &error))
    goto fail;
  for (guint i = 0; i < json_array_get_length(targets); i++) {
    DocWrite w = target_write(c, m, json_array_get_object_element(targets, i), body);
    gint64 rev = 0;
    DocStored r = documents_store(db, &w, &rev, &error);
    if (r == DOC_CONFLICT) {
      hub_db_rollback(db);
      json_array_unref(revs);
      g_autofree char *field = g_strdup_printf("targets[%u].base_rev", i);
      g_autofree char *sentence =
          g_strdup_printf("Someone changed this first in one of the households: its current "
                          "revision is %" G_GINT64_FORMAT "; nothing was changed.",
                          rev);
      conn_send_field_error(c, re, VP_ERROR_CONFLICT, field, sentence);
      return;
    }
    if (r != DOC_STORED)
      goto fail;
    JsonObject *o = json_object_new();
    json_object_set_string_member(o, "household", w.household);
    json_object_set_int_member(o, "rev", rev);
    json_array_add_object_element(revs, o);
  }
  if (!hub_db_commit(db, &error))
    goto fail;
  send_accepted(c, m, revs);
  for (guint i = 0; i < json_array_get_length(targets); i++)
    documents_flush_household(c->hub, json_object_get_string_member(
                                          json_array_get_object_element(targets, i), "household"));
  return;
fail:
  hub_db_rollback(db);
  json_array_unref(revs);
  g_warning("documents not stored: %s", error ? error->message : "?");
  conn_send_error(c, re, VP_ERROR_INTERNAL, "The hub could not store the documents; try again.");
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
  case VP_DOC_PUT_MANY:
    documents_put_many(c, m);
    break;
  default:
    break;
  }
}
