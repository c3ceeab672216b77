/* `doc.put_many`: one document written into several households at once, as a coordinator
 * invites the residents of each household where they hold the kind's right. All or nothing:
 * every target is checked (membership, right, body, quota) before anything is written, and the
 * writes share one transaction, so a refusal for one household leaves every household as it
 * was. Each household then gets its own revision and its own deliveries, as with `doc.put`. */
#define G_LOG_DOMAIN "vindu-hub"
#include "doc_store.h"
#include "quota.h"

#include <string.h>

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

void
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
