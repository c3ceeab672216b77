#define G_LOG_DOMAIN "vindu-hub"
#include "export.h"

#include "archive.h"
#include "protocol.h"

#include <json-glib/json-glib.h>
#include <string.h>

/* Tables written in their own readable form below; internal bookkeeping (delivery queues,
 * pairing codes, the event log) is not the household's data. Any other table with a
 * household_id column (one added later) is exported as it is, under tables/. */
static const char *const known_tables[] = {
    "households", "people",   "memberships",    "kiosks",        "consents",
    "calls",      "messages", "documents",      "files",         "file_households",
    "deliveries", "events",   "doc_deliveries", "pairing_codes", NULL};

static const char *const readme =
    "Everything the Vindu hub keeps about one household.\n\n"
    "household.json  the household, its people (with their relationship, role and rights), its\n"
    "                kiosks, the consents recorded for auto-answer, and the calls\n"
    "messages.json   every message, oldest first; a photo or voice message names its file\n"
    "documents/      reminders, memory book entries, activities and other plugin documents,\n"
    "                one JSON file each (KIND/NAME.json)\n"
    "files/          the photos and voice messages, named by their SHA-256\n"
    "tables/         any other records the hub keeps for the household\n\n"
    "Times are UTC (ISO 8601). Passwords, tokens and codes are never stored in clear and are\n"
    "not included.\n";

static void
set_column(JsonObject *o, sqlite3_stmt *st, int i)
{
  const char *name = sqlite3_column_name(st, i);
  int type = sqlite3_column_type(st, i);
  if (type == SQLITE_NULL) {
    json_object_set_null_member(o, name);
  } else if (type == SQLITE_INTEGER && g_str_has_suffix(name, "_at")) {
    g_autoptr(GDateTime) t = g_date_time_new_from_unix_utc(sqlite3_column_int64(st, i));
    g_autofree char *iso = t ? g_date_time_format_iso8601(t) : NULL;
    json_object_set_string_member(o, name, iso ? iso : "");
  } else if (type == SQLITE_INTEGER) {
    json_object_set_int_member(o, name, sqlite3_column_int64(st, i));
  } else if (type == SQLITE_FLOAT) {
    json_object_set_double_member(o, name, sqlite3_column_double(st, i));
  } else if (g_str_equal(name, "body")) { /* documents keep JSON: show it as JSON */
    JsonNode *n = json_from_string((const char *)sqlite3_column_text(st, i), NULL);
    if (n)
      json_object_set_member(o, name, n);
    else
      json_object_set_string_member(o, name, (const char *)sqlite3_column_text(st, i));
  } else if (type == SQLITE_TEXT) {
    json_object_set_string_member(o, name, (const char *)sqlite3_column_text(st, i));
  }
}

/* Rows of `sql` (one "?" for the household) as an array of objects; columns holding hashes of
 * secrets are left out. */
static JsonArray *
rows(HubDb *db, const char *sql, const char *household, GError **error)
{
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(hub_db_handle(db), sql, -1, &st, NULL) != SQLITE_OK) {
    hub_db_fail(db, error, "export");
    return NULL;
  }
  sqlite3_bind_text(st, 1, household, -1, SQLITE_TRANSIENT);
  JsonArray *a = json_array_new();
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    JsonObject *o = json_object_new();
    for (int i = 0; i < sqlite3_column_count(st); i++)
      if (!g_str_has_suffix(sqlite3_column_name(st, i), "_hash"))
        set_column(o, st, i);
    json_array_add_object_element(a, o);
  }
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE) {
    json_array_unref(a);
    hub_db_fail(db, error, "export");
    return NULL;
  }
  return a;
}

static gboolean
add_json(HubTarWriter *w, const char *name, JsonNode *node, GError **error)
{
  gsize len = 0;
  g_autofree char *text = vp_json_text(node, TRUE, &len);
  g_autofree char *with_newline = g_strconcat(text, "\n", NULL);
  return hub_tar_add(w, name, with_newline, len + 1, 0644, error);
}

static gboolean
add_array(HubTarWriter *w, const char *name, JsonArray *a, GError **error)
{
  g_autoptr(JsonNode) n = json_node_init_array(json_node_alloc(), a);
  return add_json(w, name, n, error);
}

static gboolean
add_household(HubTarWriter *w, HubDb *db, const char *household, GError **error)
{
  static const struct {
    const char *member, *sql;
  } parts[] = {
      {"people", "SELECT p.id, p.name, m.relationship, m.role, m.rights, m.created_at, "
                 "m.invite_redeemed_at, m.revoked_at FROM memberships m JOIN people p ON "
                 "p.id=m.person_id WHERE m.household_id=? ORDER BY m.created_at"},
      {"kiosks", "SELECT id, created_at, last_seen_at, revoked_at FROM kiosks WHERE "
                 "household_id=? ORDER BY created_at"},
      {"consents", "SELECT * FROM consents WHERE household_id=? ORDER BY at"},
      {"calls", "SELECT * FROM calls WHERE household_id=? ORDER BY started_at"},
  };
  g_autoptr(JsonArray) h = rows(db,
                                "SELECT id, resident, language, address, quiet_start, "
                                "quiet_end, created_at FROM households WHERE id=?",
                                household, error);
  if (!h)
    return FALSE;
  if (json_array_get_length(h) == 0) {
    g_set_error(error, HUB_DB_ERROR, HUB_DB_ERROR_NOT_FOUND, "no such household");
    return FALSE;
  }
  JsonObject *o = json_array_get_object_element(h, 0);
  for (guint i = 0; i < G_N_ELEMENTS(parts); i++) {
    JsonArray *a = rows(db, parts[i].sql, household, error);
    if (!a)
      return FALSE;
    json_object_set_array_member(o, parts[i].member, a);
  }
  g_autoptr(JsonNode) n = json_node_init_object(json_node_alloc(), o);
  return add_json(w, "household.json", n, error);
}

static const char *
extension(const char *mime)
{
  static const char *const map[][2] = {{"image/jpeg", "jpg"},
                                       {"image/png", "png"},
                                       {"image/webp", "webp"},
                                       {"audio/ogg", "ogg"},
                                       {"audio/webm", "webm"}};
  for (guint i = 0; i < G_N_ELEMENTS(map); i++)
    if (g_strcmp0(mime, map[i][0]) == 0)
      return map[i][1];
  return "bin";
}

/* The household's files, and a map from hash to their name in the archive. */
static gboolean
add_files(HubTarWriter *w, HubDb *db, const char *data_dir, const char *household,
          GHashTable *names, GError **error)
{
  g_autoptr(JsonArray) files = rows(db,
                                    "SELECT f.sha256, f.mime FROM file_households fh JOIN files "
                                    "f ON f.sha256=fh.sha256 WHERE fh.household_id=?",
                                    household, error);
  if (!files)
    return FALSE;
  for (guint i = 0; i < json_array_get_length(files); i++) {
    JsonObject *f = json_array_get_object_element(files, i);
    const char *hash = json_object_get_string_member(f, "sha256");
    char *name =
        g_strdup_printf("files/%s.%s", hash, extension(json_object_get_string_member(f, "mime")));
    g_autofree char *src = g_strdup_printf("%s/files/%.2s/%s", data_dir, hash, hash);
    g_hash_table_insert(names, g_strdup(hash), name);
    if (!hub_tar_add_file(w, name, src, error))
      return FALSE;
  }
  return TRUE;
}

static gboolean
add_messages(HubTarWriter *w, HubDb *db, const char *household, GHashTable *names, GError **error)
{
  g_autoptr(JsonArray) a = rows(db,
                                "SELECT id, sender, sender_name, kind, text, file, caption, "
                                "duration_ms, sent_at FROM messages WHERE household_id=? "
                                "ORDER BY sent_at, rowid",
                                household, error);
  if (!a)
    return FALSE;
  for (guint i = 0; i < json_array_get_length(a); i++) {
    JsonObject *m = json_array_get_object_element(a, i);
    const char *file = json_object_get_string_member_with_default(m, "file", NULL);
    if (file && g_hash_table_contains(names, file))
      json_object_set_string_member(m, "file", g_hash_table_lookup(names, file));
  }
  return add_array(w, "messages.json", a, error);
}

static gboolean
add_documents(HubTarWriter *w, HubDb *db, const char *household, GError **error)
{
  g_autoptr(JsonArray) a = rows(db,
                                "SELECT kind, doc, rev, deleted, updated_by, updated_at, body "
                                "FROM documents WHERE household_id=? ORDER BY kind, doc",
                                household, error);
  if (!a)
    return FALSE;
  for (guint i = 0; i < json_array_get_length(a); i++) {
    JsonObject *d = json_array_get_object_element(a, i);
    g_autofree char *kind =
        g_uri_escape_string(json_object_get_string_member(d, "kind"), NULL, TRUE);
    g_autofree char *doc = g_uri_escape_string(json_object_get_string_member(d, "doc"), NULL, TRUE);
    g_autofree char *name = g_strdup_printf("documents/%s/%s.json", kind, doc);
    g_autoptr(JsonNode) n = json_node_init_object(json_node_alloc(), d);
    if (!add_json(w, name, n, error))
      return FALSE;
  }
  return TRUE;
}

/* Tables this file does not know that hold rows of the household (added by later features). */
static gboolean
add_other_tables(HubTarWriter *w, HubDb *db, const char *household, GError **error)
{
  sqlite3_stmt *st = NULL;
  sqlite3_prepare_v2(hub_db_handle(db),
                     "SELECT m.name FROM sqlite_master m, pragma_table_info(m.name) c "
                     "WHERE m.type='table' AND c.name='household_id' ORDER BY m.name",
                     -1, &st, NULL);
  g_autoptr(GPtrArray) tables = g_ptr_array_new_with_free_func(g_free);
  while (st && sqlite3_step(st) == SQLITE_ROW)
    g_ptr_array_add(tables, g_strdup((const char *)sqlite3_column_text(st, 0)));
  sqlite3_finalize(st);
  for (guint i = 0; i < tables->len; i++) {
    const char *t = tables->pdata[i];
    if (g_strv_contains(known_tables, t))
      continue;
    g_autofree char *sql = g_strdup_printf("SELECT * FROM \"%s\" WHERE household_id=?", t);
    g_autofree char *name = g_strdup_printf("tables/%s.json", t);
    g_autoptr(JsonArray) a = rows(db, sql, household, error);
    if (!a || !add_array(w, name, a, error))
      return FALSE;
  }
  return TRUE;
}

gboolean
hub_export_household(HubDb *db, const char *data_dir, const char *household, const char *path,
                     GError **error)
{
  /* one read transaction: the archive is one moment of the household */
  if (!hub_db_exec(db, "BEGIN", error))
    return FALSE;
  g_autoptr(GHashTable) names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(HubTarWriter) w = hub_tar_writer_new(path, error);
  gboolean ok = w && add_household(w, db, household, error) &&
                hub_tar_add(w, "README.txt", readme, strlen(readme), 0644, error) &&
                add_files(w, db, data_dir, household, names, error) &&
                add_messages(w, db, household, names, error) &&
                add_documents(w, db, household, error) &&
                add_other_tables(w, db, household, error) && hub_tar_finish(w, error);
  hub_db_exec(db, "COMMIT", NULL);
  return ok;
}
