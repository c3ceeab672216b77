/* The people of the hub: households, rights, invites, memberships, consent and quiet hours, and
 * the household described for `household.state` and `admin list`. */
#define G_LOG_DOMAIN "vindu-hub"
#include "look_sharing.h"
#include "directory.h"

#include "tokens.h"
#include "clock.h"

#include <string.h>

static const char *const right_names[] = {
    "call",   "auto_answer",        "message", "reminders", "memory_book", "activities",
    "status", "quiet_hours_exempt", "admin",
};

static gboolean
right_from_name(const char *name, guint *bit)
{
  for (guint i = 0; i < G_N_ELEMENTS(right_names); i++) {
    if (g_strcmp0(name, right_names[i]) == 0) {
      *bit = 1u << i;
      return TRUE;
    }
  }
  return FALSE;
}

gboolean
hub_rights_parse(const char *list, guint *out)
{
  guint rights = 0;
  g_auto(GStrv) parts = g_strsplit(list ? list : "", ",", -1);
  for (char **p = parts; *p; p++) {
    g_strstrip(*p);
    if (!**p)
      continue;
    guint bit;
    if (!right_from_name(*p, &bit))
      return FALSE;
    rights |= bit;
  }
  *out = rights;
  return TRUE;
}

gboolean
hub_rights_from_json(JsonArray *array, guint *out)
{
  guint rights = 0;
  guint n = array ? json_array_get_length(array) : 0;
  for (guint i = 0; i < n; i++) {
    JsonNode *node = json_array_get_element(array, i);
    if (!JSON_NODE_HOLDS_VALUE(node) || json_node_get_value_type(node) != G_TYPE_STRING)
      return FALSE;
    guint bit;
    if (!right_from_name(json_node_get_string(node), &bit))
      return FALSE;
    rights |= bit;
  }
  *out = rights;
  return TRUE;
}

JsonArray *
hub_rights_to_json(guint rights)
{
  JsonArray *a = json_array_new();
  for (guint i = 0; i < G_N_ELEMENTS(right_names); i++)
    if (rights & (1u << i))
      json_array_add_string_element(a, right_names[i]);
  return a;
}

char *
hub_rights_to_string(guint rights)
{
  GString *s = g_string_new(NULL);
  for (guint i = 0; i < G_N_ELEMENTS(right_names); i++) {
    if (rights & (1u << i)) {
      if (s->len)
        g_string_append_c(s, ',');
      g_string_append(s, right_names[i]);
    }
  }
  return g_string_free(s, FALSE);
}

gboolean
hub_role_valid(const char *role)
{
  return g_strcmp0(role, "family") == 0 || g_strcmp0(role, "volunteer") == 0 ||
         g_strcmp0(role, "staff") == 0 || g_strcmp0(role, "coordinator") == 0;
}

gboolean
hub_language_valid(const char *language)
{
  return g_strcmp0(language, "nb") == 0 || g_strcmp0(language, "nn") == 0 ||
         g_strcmp0(language, "sv") == 0 || g_strcmp0(language, "en") == 0;
}

void
hub_membership_free(HubMembership *m)
{
  if (!m)
    return;
  g_free(m->household);
  g_free(m->resident);
  g_free(m->role);
  g_free(m->relationship);
  g_free(m);
}

gboolean
hub_household_exists(HubDb *db, const char *household)
{
  sqlite3_stmt *st = hub_db_prepare(db, "SELECT 1 FROM households WHERE id=?", NULL);
  if (!st)
    return FALSE;
  hub_db_bind_text(st, 1, household);
  gboolean found = sqlite3_step(st) == SQLITE_ROW;
  sqlite3_reset(st);
  return found;
}

gboolean
hub_household_create(HubDb *db, const char *resident, const char *language, char **id_out,
                     char **code_out, GError **error)
{
  g_autofree char *id = hub_id_new("h_");
  g_autofree char *code = hub_token_new(18);
  g_autofree char *hash = hub_token_hash(code);
  if (!hub_db_begin(db, error))
    return FALSE;
  gboolean ok = hub_db_run(db, error,
                           "INSERT INTO households(id, resident, language, provision_hash,"
                           " provision_expires_at, created_at) VALUES(?,?,?,?,?,?)",
                           "ttttii", id, resident, language ? language : "nb", hash,
                           hub_clock_now_s() + HUB_PROVISION_TTL_S, hub_clock_now_s());
  if (!hub_db_end(db, ok, error))
    return FALSE;
  *id_out = g_steal_pointer(&id);
  *code_out = g_steal_pointer(&code);
  return TRUE;
}

gboolean
hub_invite_create(HubDb *db, const char *household, const char *name, const char *relationship,
                  const char *role, guint rights, const char *link_base, char **person_out,
                  char **link_out, gint64 *expires_out, GError **error)
{
  g_autofree char *person = hub_id_new("p_");
  g_autofree char *token = hub_token_new(32);
  g_autofree char *hash = hub_token_hash(token);
  gint64 expires = hub_clock_now_s() + HUB_INVITE_TTL_S;
  g_autofree char *rights_s = hub_rights_to_string(rights);
  if (!hub_db_begin(db, error))
    return FALSE;
  if (!hub_household_exists(db, household)) {
    hub_db_rollback(db);
    return hub_db_not_found(error, "no such household");
  }
  sqlite3_stmt *st =
      hub_db_prepare(db, "INSERT INTO people(id, name, created_at) VALUES(?,?,?)", error);
  if (!st)
    goto fail;
  hub_db_bind_text(st, 1, person);
  hub_db_bind_text(st, 2, name);
  sqlite3_bind_int64(st, 3, hub_clock_now_s());
  if (!hub_db_step_done(db, st, error))
    goto fail;
  st = hub_db_prepare(db,
                      "INSERT INTO memberships(household_id, person_id, relationship, role, rights,"
                      " invite_hash, invite_expires_at, created_at) VALUES(?,?,?,?,?,?,?,?)",
                      error);
  if (!st)
    goto fail;
  hub_db_bind_text(st, 1, household);
  hub_db_bind_text(st, 2, person);
  hub_db_bind_text(st, 3, relationship);
  hub_db_bind_text(st, 4, role);
  hub_db_bind_text(st, 5, rights_s);
  hub_db_bind_text(st, 6, hash);
  sqlite3_bind_int64(st, 7, expires);
  sqlite3_bind_int64(st, 8, hub_clock_now_s());
  if (!hub_db_step_done(db, st, error) ||
      !hub_db_add_event(db, "household", household, person, error) || !hub_db_commit(db, error))
    goto fail;
  const char *base = link_base ? link_base : "";
  gsize bl = strlen(base);
  *link_out =
      g_strdup_printf("%.*s/#join=%s", (int)(bl && base[bl - 1] == '/' ? bl - 1 : bl), base, token);
  *person_out = g_steal_pointer(&person);
  if (expires_out)
    *expires_out = expires;
  return TRUE;
fail:
  hub_db_rollback(db);
  return FALSE;
}

static gboolean
update_membership(HubDb *db, const char *sql, const char *household, const char *person,
                  const char *text, const char *event, GError **error)
{
  if (!hub_db_begin(db, error))
    return FALSE;
  gboolean ok = text
                    ? hub_db_run(db, error, sql, "titt", text, hub_clock_now_s(), household, person)
                    : hub_db_run(db, error, sql, "itt", hub_clock_now_s(), household, person);
  ok =
      ok && (hub_db_changes(db) > 0 || hub_db_not_found(error, "no such person in that household"));
  ok = ok && hub_db_add_event(db, event, household, person, error);
  return hub_db_end(db, ok, error);
}

gboolean
hub_rights_set(HubDb *db, const char *household, const char *person, guint rights, GError **error)
{
  g_autofree char *s = hub_rights_to_string(rights);
  /* the ?2 (time) is unused here; keep one statement shape for update_membership */
  return update_membership(db,
                           "UPDATE memberships SET rights=?1 WHERE ?2>0 AND household_id=?3 AND"
                           " person_id=?4 AND revoked_at IS NULL",
                           household, person, s, "rights", error);
}

gboolean
hub_short_name_set(HubDb *db, const char *household, const char *person, const char *short_name,
                   GError **error)
{
  if (!hub_db_begin(db, error))
    return FALSE;
  gboolean ok = hub_db_run(db, error,
                           "UPDATE memberships SET short_name=NULLIF(?,'') WHERE household_id=? AND"
                           " person_id=? AND revoked_at IS NULL",
                           "ttt", short_name ? short_name : "", household, person);
  ok =
      ok && (hub_db_changes(db) > 0 || hub_db_not_found(error, "no such person in that household"));
  ok = ok && hub_db_add_event(db, "household", household, person, error);
  return hub_db_end(db, ok, error);
}

gboolean
hub_person_revoke(HubDb *db, const char *household, const char *person, GError **error)
{
  return update_membership(db,
                           "UPDATE memberships SET revoked_at=?1 WHERE household_id=?2 AND"
                           " person_id=?3 AND revoked_at IS NULL",
                           household, person, NULL, "revoke", error);
}

gboolean
hub_kiosk_revoke(HubDb *db, const char *household, const char *kiosk, GError **error)
{
  if (!hub_db_begin(db, error))
    return FALSE;
  gboolean ok = hub_db_run(
      db, error,
      "UPDATE kiosks SET revoked_at=? WHERE household_id=? AND id=? AND revoked_at IS NULL", "itt",
      hub_clock_now_s(), household, kiosk);
  ok = ok && (hub_db_changes(db) > 0 || hub_db_not_found(error, "no such kiosk in that household"));
  ok = ok && hub_db_add_event(db, "revoke", household, kiosk, error);
  return hub_db_end(db, ok, error);
}

gboolean
hub_consent_record(HubDb *db, const char *household, const char *person, const char *agreed_by,
                   const char *recorded_by, gboolean withdraw, GError **error)
{
  if (!hub_db_begin(db, error))
    return FALSE;
  HubMembership *m = hub_membership_get(db, household, person);
  if (!m) {
    hub_db_rollback(db);
    return hub_db_not_found(error, "no such person in that household");
  }
  hub_membership_free(m);
  sqlite3_stmt *st;
  if (withdraw) {
    st = hub_db_prepare(db,
                        "UPDATE consents SET withdrawn_at=?, withdrawn_by=? WHERE household_id=?"
                        " AND person_id=? AND withdrawn_at IS NULL",
                        error);
    if (!st)
      goto fail;
    sqlite3_bind_int64(st, 1, hub_clock_now_s());
    hub_db_bind_text(st, 2, recorded_by);
  } else {
    st = hub_db_prepare(db,
                        "INSERT INTO consents(agreed_by, recorded_by, household_id, person_id, at)"
                        " VALUES(?,?,?,?,strftime('%s','now'))",
                        error);
    if (!st)
      goto fail;
    hub_db_bind_text(st, 1, agreed_by);
    hub_db_bind_text(st, 2, recorded_by);
  }
  hub_db_bind_text(st, 3, household);
  hub_db_bind_text(st, 4, person);
  if (!hub_db_step_done(db, st, error) ||
      !hub_db_add_event(db, "household", household, person, error) || !hub_db_commit(db, error))
    goto fail;
  return TRUE;
fail:
  hub_db_rollback(db);
  return FALSE;
}

gboolean
hub_quiet_hours_set(HubDb *db, const char *household, const char *start, const char *end,
                    GError **error)
{
  if (!hub_db_begin(db, error))
    return FALSE;
  gboolean ok = hub_db_run(db, error, "UPDATE households SET quiet_start=?, quiet_end=? WHERE id=?",
                           "ttt", start, end, household);
  ok = ok && (hub_db_changes(db) > 0 || hub_db_not_found(error, "no such household"));
  ok = ok && hub_db_add_event(db, "household", household, NULL, error);
  return hub_db_end(db, ok, error);
}

static HubMembership *
membership_from_row(sqlite3_stmt *st)
{
  HubMembership *m = g_new0(HubMembership, 1);
  m->household = g_strdup(hub_db_col_text(st, 0));
  m->resident = g_strdup(hub_db_col_text(st, 1));
  m->role = g_strdup(hub_db_col_text(st, 2));
  m->relationship = g_strdup(hub_db_col_text(st, 3));
  if (!hub_rights_parse(hub_db_col_text(st, 4), &m->rights))
    m->rights = 0;
  return m;
}

#define MEMBERSHIP_COLUMNS                                                                         \
  "SELECT m.household_id, h.resident, m.role, m.relationship, m.rights FROM memberships m"         \
  " JOIN households h ON h.id=m.household_id"

GPtrArray *
hub_person_memberships(HubDb *db, const char *person)
{
  GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)hub_membership_free);
  sqlite3_stmt *st = hub_db_prepare(
      db, MEMBERSHIP_COLUMNS " WHERE m.person_id=? AND m.revoked_at IS NULL ORDER BY h.created_at",
      NULL);
  if (!st)
    return out;
  hub_db_bind_text(st, 1, person);
  while (sqlite3_step(st) == SQLITE_ROW)
    g_ptr_array_add(out, membership_from_row(st));
  sqlite3_reset(st);
  return out;
}

HubMembership *
hub_membership_get(HubDb *db, const char *household, const char *person)
{
  sqlite3_stmt *st = hub_db_prepare(
      db, MEMBERSHIP_COLUMNS " WHERE m.household_id=? AND m.person_id=? AND m.revoked_at IS NULL",
      NULL);
  if (!st)
    return NULL;
  hub_db_bind_text(st, 1, household);
  hub_db_bind_text(st, 2, person);
  HubMembership *m = NULL;
  if (sqlite3_step(st) == SQLITE_ROW)
    m = membership_from_row(st);
  sqlite3_reset(st);
  return m;
}

gboolean
hub_kiosk_active(HubDb *db, const char *kiosk)
{
  sqlite3_stmt *st =
      hub_db_prepare(db, "SELECT 1 FROM kiosks WHERE id=? AND revoked_at IS NULL", NULL);
  if (!st)
    return FALSE;
  hub_db_bind_text(st, 1, kiosk);
  gboolean ok = sqlite3_step(st) == SQLITE_ROW;
  sqlite3_reset(st);
  return ok;
}

char *
hub_household_resident(HubDb *db, const char *household)
{
  sqlite3_stmt *st = hub_db_prepare(db, "SELECT resident FROM households WHERE id=?", NULL);
  if (!st)
    return NULL;
  hub_db_bind_text(st, 1, household);
  char *r = NULL;
  if (sqlite3_step(st) == SQLITE_ROW)
    r = g_strdup(hub_db_col_text(st, 0));
  sqlite3_reset(st);
  return r;
}

GPtrArray *
hub_household_kiosks(HubDb *db, const char *household)
{
  GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
  sqlite3_stmt *st = hub_db_prepare(
      db, "SELECT id FROM kiosks WHERE household_id=? AND revoked_at IS NULL ORDER BY created_at",
      NULL);
  if (!st)
    return out;
  hub_db_bind_text(st, 1, household);
  while (sqlite3_step(st) == SQLITE_ROW)
    g_ptr_array_add(out, g_strdup(hub_db_col_text(st, 0)));
  sqlite3_reset(st);
  return out;
}

void
hub_household_quiet_hours(HubDb *db, const char *household, char **start, char **end)
{
  *start = *end = NULL;
  sqlite3_stmt *st =
      hub_db_prepare(db, "SELECT quiet_start, quiet_end FROM households WHERE id=?", NULL);
  if (!st)
    return;
  hub_db_bind_text(st, 1, household);
  if (sqlite3_step(st) == SQLITE_ROW && hub_db_col_text(st, 0) && hub_db_col_text(st, 1)) {
    *start = g_strdup(hub_db_col_text(st, 0));
    *end = g_strdup(hub_db_col_text(st, 1));
  }
  sqlite3_reset(st);
}

gboolean
hub_consent_active(HubDb *db, const char *household, const char *person)
{
  sqlite3_stmt *st = hub_db_prepare(db,
                                    "SELECT 1 FROM consents WHERE household_id=? AND person_id=?"
                                    " AND withdrawn_at IS NULL",
                                    NULL);
  if (!st)
    return FALSE;
  hub_db_bind_text(st, 1, household);
  hub_db_bind_text(st, 2, person);
  gboolean ok = sqlite3_step(st) == SQLITE_ROW;
  sqlite3_reset(st);
  return ok;
}

static JsonNode *
consent_json(HubDb *db, const char *household, const char *person)
{
  sqlite3_stmt *st = hub_db_prepare(db,
                                    "SELECT agreed_by, recorded_by, at FROM consents WHERE"
                                    " household_id=? AND person_id=? AND withdrawn_at IS NULL"
                                    " ORDER BY id DESC LIMIT 1",
                                    NULL);
  JsonNode *node = json_node_new(JSON_NODE_NULL);
  if (!st)
    return node;
  hub_db_bind_text(st, 1, household);
  hub_db_bind_text(st, 2, person);
  if (sqlite3_step(st) == SQLITE_ROW) {
    JsonObject *o = json_object_new();
    json_object_set_string_member(o, "agreed_by", hub_db_col_text(st, 0));
    json_object_set_string_member(o, "recorded_by", hub_db_col_text(st, 1));
    json_object_set_int_member(o, "at", sqlite3_column_int64(st, 2));
    json_node_free(node);
    node = json_node_init_object(json_node_alloc(), o);
    json_object_unref(o);
  }
  sqlite3_reset(st);
  return node;
}

JsonObject *
hub_household_describe(HubDb *db, const char *household)
{
  sqlite3_stmt *st = hub_db_prepare(
      db, "SELECT resident, language, quiet_start, quiet_end FROM households WHERE id=?", NULL);
  if (!st)
    return NULL;
  hub_db_bind_text(st, 1, household);
  if (sqlite3_step(st) != SQLITE_ROW) {
    sqlite3_reset(st);
    return NULL;
  }
  JsonObject *o = json_object_new();
  json_object_set_string_member(o, "id", household);
  json_object_set_string_member(o, "resident", hub_db_col_text(st, 0));
  json_object_set_string_member(o, "language", hub_db_col_text(st, 1));
  if (hub_db_col_text(st, 2) && hub_db_col_text(st, 3)) {
    JsonObject *q = json_object_new();
    json_object_set_string_member(q, "start", hub_db_col_text(st, 2));
    json_object_set_string_member(q, "end", hub_db_col_text(st, 3));
    json_object_set_object_member(o, "quiet_hours", q);
  } else {
    json_object_set_null_member(o, "quiet_hours");
  }
  sqlite3_reset(st);
  json_object_set_boolean_member(o, "share_looks", hub_share_looks(db, household));

  JsonArray *people = json_array_new();
  st = hub_db_prepare(
      db,
      "SELECT p.id, p.name, m.relationship, m.role, p.photo, m.rights, m.short_name FROM"
      " memberships m JOIN people p ON p.id=m.person_id WHERE m.household_id=?"
      " AND m.revoked_at IS NULL ORDER BY m.created_at",
      NULL);
  if (st) {
    hub_db_bind_text(st, 1, household);
    while (sqlite3_step(st) == SQLITE_ROW) {
      JsonObject *p = json_object_new();
      const char *pid = hub_db_col_text(st, 0);
      json_object_set_string_member(p, "id", pid);
      json_object_set_string_member(p, "name", hub_db_col_text(st, 1));
      json_object_set_string_member(p, "relationship", hub_db_col_text(st, 2));
      json_object_set_string_member(p, "role", hub_db_col_text(st, 3));
      if (hub_db_col_text(st, 4))
        json_object_set_string_member(p, "photo", hub_db_col_text(st, 4));
      guint rights = 0;
      hub_rights_parse(hub_db_col_text(st, 5), &rights);
      json_object_set_array_member(p, "rights", hub_rights_to_json(rights));
      if (hub_db_col_text(st, 6))
        json_object_set_string_member(p, "short_name", hub_db_col_text(st, 6));
      json_array_add_object_element(people, p);
    }
    sqlite3_reset(st);
  }
  /* consent lookups use another statement: do them after the people loop */
  for (guint i = 0; i < json_array_get_length(people); i++) {
    JsonObject *p = json_array_get_object_element(people, i);
    json_object_set_member(p, "auto_answer_consent",
                           consent_json(db, household, json_object_get_string_member(p, "id")));
  }
  json_object_set_array_member(o, "people", people);

  JsonArray *kiosks = json_array_new();
  st = hub_db_prepare(db,
                      "SELECT id, last_seen_at FROM kiosks WHERE household_id=? AND revoked_at IS"
                      " NULL ORDER BY created_at",
                      NULL);
  if (st) {
    hub_db_bind_text(st, 1, household);
    while (sqlite3_step(st) == SQLITE_ROW) {
      JsonObject *k = json_object_new();
      json_object_set_string_member(k, "id", hub_db_col_text(st, 0));
      if (sqlite3_column_type(st, 1) != SQLITE_NULL)
        json_object_set_int_member(k, "last_seen_at", sqlite3_column_int64(st, 1));
      json_array_add_object_element(kiosks, k);
    }
    sqlite3_reset(st);
  }
  json_object_set_array_member(o, "kiosks", kiosks);
  return o;
}

JsonNode *
hub_directory_list(HubDb *db)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func(g_free);
  sqlite3_stmt *st = hub_db_prepare(db, "SELECT id FROM households ORDER BY created_at", NULL);
  if (st) {
    while (sqlite3_step(st) == SQLITE_ROW)
      g_ptr_array_add(ids, g_strdup(hub_db_col_text(st, 0)));
    sqlite3_reset(st);
  }
  JsonArray *households = json_array_new();
  for (guint i = 0; i < ids->len; i++) {
    JsonObject *h = hub_household_describe(db, ids->pdata[i]);
    if (h)
      json_array_add_object_element(households, h);
  }
  JsonObject *root = json_object_new();
  json_object_set_array_member(root, "households", households);
  JsonNode *node = json_node_init_object(json_node_alloc(), root);
  json_object_unref(root);
  return node;
}
