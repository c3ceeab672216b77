#define G_LOG_DOMAIN "vindu-hub"
#include "backup.h"

#include "archive.h"

#include <errno.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

static const char *const tls_files[] = {"tls/cert.pem", "tls/key.pem", NULL};

/* A stored file's name in the data directory and in the archive: files/xx/<sha256>. */
static char *
file_entry(const char *hash)
{
  return g_strdup_printf("files/%.2s/%s", hash, hash);
}

static gboolean
is_sha256_hex(const char *s)
{
  if (!s || strlen(s) != 64)
    return FALSE;
  for (int i = 0; i < 64; i++)
    if (!g_ascii_isxdigit(s[i]) || g_ascii_isupper(s[i]))
      return FALSE;
  return TRUE;
}

static gboolean
sqlite_fail(sqlite3 *sql, GError **error, const char *what)
{
  g_set_error(error, HUB_DB_ERROR, HUB_DB_ERROR_SQL, "%s: %s", what, sqlite3_errmsg(sql));
  return FALSE;
}

/* Copy the live database into `dest` in one step of the backup API: one read transaction, so
 * the copy is one moment of the database however much the hub writes meanwhile. */
static gboolean
snapshot_database(HubDb *db, const char *dest, GError **error)
{
  sqlite3 *out = NULL;
  if (sqlite3_open(dest, &out) != SQLITE_OK) {
    sqlite_fail(out, error, "cannot create the copy");
    sqlite3_close(out);
    return FALSE;
  }
  sqlite3_busy_timeout(out, 5000);
  sqlite3_backup *b = sqlite3_backup_init(out, "main", hub_db_handle(db), "main");
  int rc = b ? sqlite3_backup_step(b, -1) : SQLITE_ERROR;
  for (int tries = 0; b && (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) && tries < 100; tries++) {
    sqlite3_sleep(50);
    rc = sqlite3_backup_step(b, -1);
  }
  if (b)
    sqlite3_backup_finish(b);
  gboolean ok = rc == SQLITE_DONE;
  if (!ok)
    sqlite_fail(out, error, "backup of the database");
  /* one self-contained file: no -wal beside it in the archive */
  else if (sqlite3_exec(out, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL) != SQLITE_OK)
    ok = sqlite_fail(out, error, "backup of the database");
  sqlite3_close(out);
  return ok;
}

/* The stored files the copy refers to (files is the table of every stored file). */
static GPtrArray *
snapshot_files(const char *copy, GError **error)
{
  sqlite3 *sql = NULL;
  sqlite3_stmt *st = NULL;
  GPtrArray *hashes = g_ptr_array_new_with_free_func(g_free);
  if (sqlite3_open_v2(copy, &sql, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2(sql, "SELECT sha256 FROM files ORDER BY sha256", -1, &st, NULL) !=
          SQLITE_OK) {
    sqlite_fail(sql, error, "reading the copy");
    g_clear_pointer(&hashes, g_ptr_array_unref);
  }
  while (hashes && sqlite3_step(st) == SQLITE_ROW)
    g_ptr_array_add(hashes, g_strdup((const char *)sqlite3_column_text(st, 0)));
  sqlite3_finalize(st);
  sqlite3_close(sql);
  return hashes;
}

static char *
backup_note(const char *copy, guint files)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc();
  g_autofree char *when = g_date_time_format_iso8601(now);
  return g_strdup_printf("Vindu hub backup\nmade: %s\nhub: %s\nfiles: %u\n\n"
                         "Restore with: vindu-hub admin --data-dir EMPTY_DIR restore THIS_FILE\n",
                         when, VINDU_VERSION, files);
}

gboolean
hub_backup_write(HubDb *db, const char *data_dir, const char *path, guint *files, GError **error)
{
  g_autofree char *tmp = g_dir_make_tmp("vindu-backup-XXXXXX", error);
  if (!tmp)
    return FALSE;
  g_autofree char *copy = g_build_filename(tmp, "hub.db", NULL);
  g_autoptr(HubTarWriter) w = NULL;
  g_autoptr(GPtrArray) hashes = NULL;
  gboolean ok = snapshot_database(db, copy, error) && (hashes = snapshot_files(copy, error)) &&
                (w = hub_tar_writer_new(path, error)) && hub_tar_add_file(w, "hub.db", copy, error);
  for (guint i = 0; ok && i < hashes->len; i++) {
    g_autofree char *entry = file_entry(hashes->pdata[i]);
    g_autofree char *src = g_build_filename(data_dir, entry, NULL);
    ok = hub_tar_add_file(w, entry, src, error);
  }
  /* the self-signed certificate the hub made, if that is what it uses: same identity after */
  for (guint i = 0; ok && tls_files[i]; i++) {
    g_autofree char *src = g_build_filename(data_dir, tls_files[i], NULL);
    if (g_file_test(src, G_FILE_TEST_IS_REGULAR))
      ok = hub_tar_add_file(w, tls_files[i], src, error);
  }
  if (ok) {
    g_autofree char *note = backup_note(copy, hashes->len);
    ok = hub_tar_add(w, "BACKUP.txt", note, strlen(note), 0644, error) && hub_tar_finish(w, error);
    *files = hashes->len;
  }
  g_unlink(copy);
  g_rmdir(tmp);
  return ok;
}

/* Restoring: each entry is written under the new folder; names are checked first. The SHA-256 a
 * stored file's entry must have, "" for the other parts of a hub, NULL for a name that is not
 * part of one. */
static const char *
expected_sum(const char *name, GStrv parts)
{
  if (g_str_equal(name, "hub.db") || g_strv_contains(tls_files, name))
    return "";
  if (g_strv_length(parts) == 3 && g_str_equal(parts[0], "files") && is_sha256_hex(parts[2]) &&
      strlen(parts[1]) == 2 && strncmp(parts[1], parts[2], 2) == 0)
    return parts[2];
  return NULL;
}

static gboolean
restore_entry(const char *name, guint64 size, FILE *data, gpointer user_data, GError **error)
{
  const char *dir = user_data;
  if (g_str_equal(name, "BACKUP.txt"))
    return TRUE;
  g_auto(GStrv) parts = g_strsplit(name, "/", -1);
  const char *want = expected_sum(name, parts);
  if (!want) {
    g_set_error(error, HUB_DB_ERROR, HUB_DB_ERROR_BAD_FORMAT,
                "the backup has %s, which is not part of a hub", name);
    return FALSE;
  }
  g_autofree char *target = g_build_filename(dir, name, NULL);
  g_autofree char *parent = g_path_get_dirname(target);
  if (g_mkdir_with_parents(parent, 0700) != 0) {
    g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno), "cannot create %s", parent);
    return FALSE;
  }
  g_autoptr(GChecksum) sum = g_checksum_new(G_CHECKSUM_SHA256);
  if (!hub_tar_copy_out(data, size, target, sum, error))
    return FALSE;
  if (*want && !g_str_equal(g_checksum_get_string(sum), want)) {
    g_set_error(error, HUB_DB_ERROR, HUB_DB_ERROR_BAD_FORMAT,
                "the stored file %s in the backup is damaged", want);
    return FALSE;
  }
  return TRUE;
}

static gboolean
folder_empty_or_absent(const char *dir)
{
  g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
  return !g_file_test(dir, G_FILE_TEST_EXISTS) || (d && g_dir_read_name(d) == NULL);
}

static gboolean
database_checks(const char *dir, GError **error)
{
  g_autofree char *db_path = g_build_filename(dir, "hub.db", NULL);
  if (!g_file_test(db_path, G_FILE_TEST_EXISTS)) {
    g_set_error(error, HUB_DB_ERROR, HUB_DB_ERROR_BAD_FORMAT, "the backup has no database");
    return FALSE;
  }
  g_autoptr(HubDb) db = hub_db_open(dir, error); /* migrates a backup of an older hub */
  if (!db)
    return FALSE;
  sqlite3_stmt *st = hub_db_prepare(db, "PRAGMA integrity_check", error);
  if (!st)
    return FALSE;
  gboolean ok = sqlite3_step(st) == SQLITE_ROW && g_str_equal(hub_db_col_text(st, 0), "ok");
  sqlite3_reset(st);
  if (!ok)
    g_set_error(error, HUB_DB_ERROR, HUB_DB_ERROR_BAD_FORMAT,
                "the database in the backup is damaged");
  if (ok)
    hub_db_checkpoint(db);
  return ok;
}

static void
remove_tree(const char *dir)
{
  g_autoptr(GFile) f = g_file_new_for_path(dir);
  g_autoptr(GFileEnumerator) e = g_file_enumerate_children(
      f, G_FILE_ATTRIBUTE_STANDARD_NAME, G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  GFileInfo *info;
  while (e && (info = g_file_enumerator_next_file(e, NULL, NULL))) {
    g_autofree char *child = g_build_filename(dir, g_file_info_get_name(info), NULL);
    if (g_file_info_get_file_type(info) == G_FILE_TYPE_DIRECTORY)
      remove_tree(child);
    else
      g_unlink(child);
    g_object_unref(info);
  }
  g_rmdir(dir);
}

gboolean
hub_backup_restore(const char *path, const char *data_dir, GError **error)
{
  if (!folder_empty_or_absent(data_dir)) {
    g_set_error(error, HUB_DB_ERROR, HUB_DB_ERROR_CONFLICT,
                "%s is not empty: restore into a new or empty data directory, with the hub "
                "stopped (move the old one aside first)",
                data_dir);
    return FALSE;
  }
  g_autofree char *staging = g_strconcat(data_dir, ".restoring", NULL);
  remove_tree(staging);
  if (g_mkdir_with_parents(staging, 0700) != 0) {
    g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno), "cannot create %s", staging);
    return FALSE;
  }
  gboolean ok =
      hub_tar_read(path, restore_entry, staging, error) && database_checks(staging, error);
  if (ok) {
    g_rmdir(data_dir); /* empty, e.g. made by systemd's StateDirectory= */
    if (g_rename(staging, data_dir) != 0) {
      g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno), "cannot rename %s to %s",
                  staging, data_dir);
      ok = FALSE;
    }
  }
  if (!ok)
    remove_tree(staging);
  return ok;
}
