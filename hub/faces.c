#define G_LOG_DOMAIN "vindu-hub"
#include "faces.h"

#include "protocol/image_size.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

/* Enough of the file for any header vp_image_size reads (a JPEG's SOF may follow EXIF). */
#define HEAD_BYTES (64 * 1024)

static gboolean
face_size(const char *path, guint64 *bytes, guint *width, guint *height)
{
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return FALSE;
  guint8 *head = g_malloc(HEAD_BYTES);
  ssize_t n = pread(fd, head, HEAD_BYTES, 0);
  off_t end = lseek(fd, 0, SEEK_END);
  close(fd);
  gboolean ok = n > 0 && end >= 0 && vp_image_size(head, (gsize)n, width, height);
  g_free(head);
  *bytes = end >= 0 ? (guint64)end : 0;
  return ok;
}

gboolean
hub_face_check(Hub *hub, const char *household, const char *photo, VpErrorCode *code,
               const char **sentence)
{
  g_autofree char *path = NULL, *mime = NULL;
  if (!files_in_household(hub, photo, household, "photo") ||
      !files_lookup(hub, photo, household, &path, &mime)) {
    *code = VP_ERROR_NOT_FOUND;
    *sentence = "There is no such photo in this household; upload it first.";
    return FALSE;
  }
  guint64 bytes = 0;
  guint w = 0, h = 0;
  if (!face_size(path, &bytes, &w, &h)) {
    *code = VP_ERROR_BAD_FORMAT;
    *sentence = "The photo's size in pixels cannot be read; send it again as JPEG or PNG.";
    return FALSE;
  }
  if (bytes > HUB_FACE_MAX_BYTES || w > HUB_FACE_MAX_SIDE || h > HUB_FACE_MAX_SIDE) {
    *code = VP_ERROR_TOO_LARGE;
    *sentence = "A face photo can be at most 2048 pixels on a side and 2 MB.";
    return FALSE;
  }
  return TRUE;
}

static GPtrArray *
households_of(HubDb *db, const char *person)
{
  GPtrArray *list = g_ptr_array_new_with_free_func(g_free);
  sqlite3_stmt *st = hub_db_prepare(
      db, "SELECT household_id FROM memberships WHERE person_id=? AND revoked_at IS NULL", NULL);
  if (!st)
    return list;
  hub_db_bind_text(st, 1, person);
  while (sqlite3_step(st) == SQLITE_ROW)
    g_ptr_array_add(list, g_strdup(hub_db_col_text(st, 0)));
  sqlite3_reset(st);
  return list;
}

gboolean
hub_face_set(HubDb *db, const char *household, const char *person, const char *photo,
             GError **error)
{
  if (!hub_db_begin(db, error))
    return FALSE;
  gboolean ok = hub_db_run(db, error,
                           "UPDATE people SET photo=NULLIF(?1,'') WHERE id=?2 AND EXISTS(SELECT 1"
                           " FROM memberships WHERE person_id=?2 AND household_id=?3 AND"
                           " revoked_at IS NULL)",
                           "ttt", photo, person, household);
  ok =
      ok && (hub_db_changes(db) > 0 || hub_db_not_found(error, "no such person in that household"));
  g_autoptr(GPtrArray) households = households_of(db, person);
  for (guint i = 0; ok && i < households->len; i++) {
    if (*photo)
      ok = hub_db_run(db, error,
                      "INSERT OR IGNORE INTO file_households(sha256, household_id, uploaded_by)"
                      " VALUES(?,?,?)",
                      "ttt", photo, households->pdata[i], person);
    ok = ok && hub_db_add_event(db, "household", households->pdata[i], person, error);
  }
  return hub_db_end(db, ok, error);
}
