/* Uploaded files: checked by content (not by name or declared type), stored once under their
 * SHA-256 in DATA_DIR/files/xx/<sha256>, and linked to the households they were uploaded for;
 * only members of such a household may fetch them. */
#define G_LOG_DOMAIN "vindu-hub"
#include "hub.h"

#include "protocol/image_size.h"
#include "upload.h"
#include "clock.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#define PHOTO_MAX (20u * 1024 * 1024)
#define VOICE_MAX (5u * 1024 * 1024)
#define VOICE_MAX_S 300
#define HEAD_BYTES (256u * 1024) /* magic, WebM header, and a JPEG's segments up to its frame */
#define TAIL_BYTES 70000u        /* more than one Ogg page (at most 65,307 bytes) */

/* What the checks read of a file: its start, its end and its size (an upload is on disk). */
typedef struct {
  const guint8 *head;
  gsize head_len;
  const guint8 *tail;
  gsize tail_len;
  guint64 size;
} FileProbe;

static guint64
le64(const guint8 *p)
{
  guint64 v = 0;
  for (int i = 7; i >= 0; i--)
    v = (v << 8) | p[i];
  return v;
}

/* Ogg Opus: the first page carries OpusHead; the last page's granule position minus the
 * pre-skip, at 48 kHz, is the duration. */
static gboolean
ogg_opus_duration(const FileProbe *p, double *seconds)
{
  const guint8 *d = p->head;
  gsize len = p->head_len;
  if (len < 27 + 19 || memcmp(d, "OggS", 4) != 0 || d[4] != 0)
    return FALSE;
  gsize segs = d[26];
  gsize head = 27 + segs;
  if (len < head + 19 || memcmp(d + head, "OpusHead", 8) != 0)
    return FALSE;
  guint pre_skip = d[head + 10] | (d[head + 11] << 8);
  const guint8 *t = p->tail;
  for (gsize i = p->tail_len >= 27 ? p->tail_len - 27 : 0; p->tail_len >= 27; i--) {
    if (t[i] == 'O' && memcmp(t + i, "OggS", 4) == 0 && t[i + 4] == 0) {
      guint64 granule = le64(t + i + 6);
      if (granule != G_MAXUINT64) {
        *seconds = granule > pre_skip ? (double)(granule - pre_skip) / 48000.0 : 0.0;
        return TRUE;
      }
    }
    if (i == 0)
      break;
  }
  return FALSE;
}

static gboolean
contains(const guint8 *d, gsize len, const char *needle)
{
  return memmem(d, len, needle, strlen(needle)) != NULL;
}

/* WebM (Matroska) with an Opus track. When the Segment Info carries a Duration element
 * (0x4489, float in TimecodeScale units, default 1 ms) it is checked; recordings made by a
 * browser's MediaRecorder often have none, and then the 5 MB size cap is the limit. */
static gboolean
webm_duration(const guint8 *d, gsize len, double *seconds)
{
  const guint8 *p = memmem(d, MIN(len, (gsize)65536), "\x44\x89", 2);
  if (!p || p + 3 > d + len)
    return FALSE;
  guint8 size = p[2];
  if (size == 0x84 && p + 7 <= d + len) {
    guint32 u = ((guint32)p[3] << 24) | (p[4] << 16) | (p[5] << 8) | p[6];
    float f;
    memcpy(&f, &u, sizeof f);
    *seconds = f / 1000.0;
    return TRUE;
  }
  if (size == 0x88 && p + 11 <= d + len) {
    guint64 u = 0;
    for (int i = 0; i < 8; i++)
      u = (u << 8) | p[3 + i];
    double f;
    memcpy(&f, &u, sizeof f);
    *seconds = f / 1000.0;
    return TRUE;
  }
  return FALSE;
}

/* A photo's declared size, before anyone decodes it (a small file can declare a huge image). */
static gboolean
photo_size_ok(const FileProbe *p, VpErrorCode *code, const char **sentence)
{
  guint w = 0, h = 0;
  if (!vp_image_size(p->head, p->head_len, &w, &h) || w == 0 || h == 0) {
    *code = VP_ERROR_BAD_FORMAT;
    *sentence = "The photo's size in pixels cannot be read; send it again as JPEG or PNG.";
    return FALSE;
  }
  if (!vp_image_size_allowed(w, h)) {
    *code = VP_ERROR_TOO_LARGE;
    *sentence = "A photo can be at most 12000 pixels on a side and 40 megapixels.";
    return FALSE;
  }
  return TRUE;
}

static gboolean
check_probe(const FileProbe *p, FileKind *kind, const char **mime, VpErrorCode *code,
            const char **sentence)
{
  const guint8 *d = p->head;
  gsize len = p->head_len;
  *kind = FILE_KIND_NONE;
  *code = VP_ERROR_BAD_FORMAT;
  *sentence = "Only JPEG, PNG or WebP photos and Opus voice recordings can be sent.";
  if (len >= 4 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF) {
    *kind = FILE_KIND_PHOTO;
    *mime = "image/jpeg";
  } else if (len >= 24 && memcmp(d, "\x89PNG\r\n\x1a\n", 8) == 0 &&
             memcmp(d + 12, "IHDR", 4) == 0) {
    *kind = FILE_KIND_PHOTO;
    *mime = "image/png";
  } else if (len >= 16 && memcmp(d, "RIFF", 4) == 0 && memcmp(d + 8, "WEBPVP8", 7) == 0) {
    *kind = FILE_KIND_PHOTO;
    *mime = "image/webp";
  } else if (len >= 4 && memcmp(d, "OggS", 4) == 0) {
    double s = 0;
    if (!ogg_opus_duration(p, &s))
      return FALSE;
    *kind = FILE_KIND_VOICE;
    *mime = "audio/ogg";
    if (s > VOICE_MAX_S + 0.5) {
      *code = VP_ERROR_TOO_LARGE;
      *sentence = "A voice message can be at most 5 minutes long.";
      return FALSE;
    }
  } else if (len >= 4 && memcmp(d, "\x1a\x45\xdf\xa3", 4) == 0) {
    if (!contains(d, MIN(len, (gsize)65536), "webm") ||
        !contains(d, MIN(len, (gsize)65536), "A_OPUS"))
      return FALSE;
    double s = 0;
    *kind = FILE_KIND_VOICE;
    *mime = "audio/webm";
    if (webm_duration(d, len, &s) && s > VOICE_MAX_S + 0.5) {
      *code = VP_ERROR_TOO_LARGE;
      *sentence = "A voice message can be at most 5 minutes long.";
      return FALSE;
    }
  } else {
    return FALSE;
  }
  if ((*kind == FILE_KIND_PHOTO && p->size > PHOTO_MAX) ||
      (*kind == FILE_KIND_VOICE && p->size > VOICE_MAX)) {
    *code = VP_ERROR_TOO_LARGE;
    *sentence = *kind == FILE_KIND_PHOTO ? "A photo can be at most 20 MB."
                                         : "A voice message can be at most 5 MB.";
    return FALSE;
  }
  return *kind != FILE_KIND_PHOTO || photo_size_ok(p, code, sentence);
}

gboolean
files_check(const guint8 *d, gsize len, FileKind *kind, const char **mime, VpErrorCode *code,
            const char **sentence)
{
  FileProbe p = {d, len, d, len, len};
  return check_probe(&p, kind, mime, code, sentence);
}

static gboolean
read_at(int fd, guint8 *buf, gsize len, guint64 offset)
{
  gsize done = 0;
  while (done < len) {
    ssize_t n = pread(fd, buf + done, len - done, (off_t)(offset + done));
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return FALSE;
    done += (gsize)n;
  }
  return TRUE;
}

gboolean
files_check_fd(int fd, guint64 size, FileKind *kind, const char **mime, VpErrorCode *code,
               const char **sentence)
{
  gsize head_len = (gsize)MIN(size, (guint64)HEAD_BYTES);
  gsize tail_len = (gsize)MIN(size, (guint64)TAIL_BYTES);
  g_autofree guint8 *head = g_malloc(head_len + 1);
  g_autofree guint8 *tail = g_malloc(tail_len + 1);
  if (!read_at(fd, head, head_len, 0) || !read_at(fd, tail, tail_len, size - tail_len)) {
    *kind = FILE_KIND_NONE;
    *code = VP_ERROR_INTERNAL;
    *sentence = "The hub could not read the file; try again.";
    return FALSE;
  }
  FileProbe p = {head, head_len, tail, tail_len, size};
  return check_probe(&p, kind, mime, code, sentence);
}

static char *
file_path(Hub *hub, const char *hash)
{
  char dir[3] = {hash[0], hash[1], 0};
  return g_build_filename(hub->config->data_dir, "files", dir, hash, NULL);
}

char *
files_incoming_dir(Hub *hub)
{
  return g_build_filename(hub->config->data_dir, "files", "incoming", NULL);
}

/* The rows that make a stored file visible in a household. */
static gboolean
link_file(HubDb *db, const char *hash, FileKind kind, const char *mime, guint64 size,
          const char *household, const char *uploaded_by, GError **error)
{
  if (!hub_db_begin(db, error))
    return FALSE;
  sqlite3_stmt *st = hub_db_prepare(
      db, "INSERT OR IGNORE INTO files(sha256, kind, mime, size, created_at) VALUES(?,?,?,?,?)",
      error);
  if (!st)
    goto fail;
  hub_db_bind_text(st, 1, hash);
  hub_db_bind_text(st, 2, kind == FILE_KIND_PHOTO ? "photo" : "voice");
  hub_db_bind_text(st, 3, mime);
  sqlite3_bind_int64(st, 4, (gint64)size);
  sqlite3_bind_int64(st, 5, hub_clock_now_s());
  int rc = sqlite3_step(st);
  sqlite3_reset(st);
  if (rc != SQLITE_DONE)
    goto fail_sql;
  st = hub_db_prepare(db,
                      "INSERT OR IGNORE INTO file_households(sha256, household_id, uploaded_by)"
                      " VALUES(?,?,?)",
                      error);
  if (!st)
    goto fail;
  hub_db_bind_text(st, 1, hash);
  hub_db_bind_text(st, 2, household);
  hub_db_bind_text(st, 3, uploaded_by);
  rc = sqlite3_step(st);
  sqlite3_reset(st);
  if (rc != SQLITE_DONE)
    goto fail_sql;
  if (hub_db_commit(db, error))
    return TRUE;
  goto fail;
fail_sql:
  hub_db_fail(db, error, "files");
fail:
  hub_db_rollback(db);
  return FALSE;
}

gboolean
files_store_upload(Hub *hub, HubUpload *upload, FileKind kind, const char *mime,
                   const char *household, const char *uploaded_by, char **hash_out, GError **error)
{
  const char *hash = hub_upload_sha256(upload);
  g_autofree char *path = file_path(hub, hash);
  g_autofree char *dir = g_path_get_dirname(path);
  if (g_mkdir_with_parents(dir, 0700) != 0) {
    g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot create %s", dir);
    return FALSE;
  }
  if (!hub_upload_keep(upload, path, error) ||
      !link_file(hub->db, hash, kind, mime, hub_upload_size(upload), household, uploaded_by, error))
    return FALSE;
  *hash_out = g_strdup(hash);
  return TRUE;
}

gboolean
files_lookup(Hub *hub, const char *hash, const char *household, char **path_out, char **mime_out)
{
  if (!vp_is_file_hash(hash))
    return FALSE;
  sqlite3_stmt *st = hub_db_prepare(hub->db,
                                    "SELECT f.mime FROM files f JOIN file_households fh ON"
                                    " fh.sha256=f.sha256 WHERE f.sha256=? AND fh.household_id=?",
                                    NULL);
  if (!st)
    return FALSE;
  hub_db_bind_text(st, 1, hash);
  hub_db_bind_text(st, 2, household);
  gboolean found = FALSE;
  if (sqlite3_step(st) == SQLITE_ROW) {
    *mime_out = g_strdup(hub_db_col_text(st, 0));
    *path_out = file_path(hub, hash);
    found = TRUE;
  }
  sqlite3_reset(st);
  return found;
}

gboolean
files_in_household(Hub *hub, const char *hash, const char *household, const char *kind)
{
  sqlite3_stmt *st = hub_db_prepare(hub->db,
                                    "SELECT 1 FROM files f JOIN file_households fh ON"
                                    " fh.sha256=f.sha256 WHERE f.sha256=? AND fh.household_id=?"
                                    " AND f.kind=?",
                                    NULL);
  if (!st)
    return FALSE;
  hub_db_bind_text(st, 1, hash);
  hub_db_bind_text(st, 2, household);
  hub_db_bind_text(st, 3, kind);
  gboolean found = sqlite3_step(st) == SQLITE_ROW;
  sqlite3_reset(st);
  return found;
}
