/* Uploads streamed to disk (upload.h). */
#define G_LOG_DOMAIN "vindu-hub"
#include "upload.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <unistd.h>

struct _HubUpload {
  int fd;
  char *path;
  GChecksum *sha;
  char *hex;
  guint64 size;
  gboolean over;
  gboolean kept;
};

static gboolean
fail_errno(GError **error, const char *what)
{
  int e = errno;
  g_set_error(error, G_IO_ERROR, g_io_error_from_errno(e), "%s: %s", what, g_strerror(e));
  return FALSE;
}

HubUpload *
hub_upload_new(const char *dir, GError **error)
{
  if (g_mkdir_with_parents(dir, 0700) != 0) {
    fail_errno(error, "cannot create the upload directory");
    return NULL;
  }
  g_autofree char *path = g_build_filename(dir, "upload-XXXXXX", NULL);
  int fd = g_mkstemp_full(path, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0) {
    fail_errno(error, "cannot create an upload file");
    return NULL;
  }
  HubUpload *u = g_new0(HubUpload, 1);
  u->fd = fd;
  u->path = g_steal_pointer(&path);
  u->sha = g_checksum_new(G_CHECKSUM_SHA256);
  return u;
}

gboolean
hub_upload_write(HubUpload *u, const void *data, gsize len, gsize limit, GError **error)
{
  u->size += len;
  if (u->over || u->size > limit) {
    u->over = TRUE; /* keep counting, stop storing */
    return TRUE;
  }
  g_checksum_update(u->sha, data, (gssize)len);
  const guint8 *p = data;
  while (len > 0) {
    ssize_t n = write(u->fd, p, len);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return fail_errno(error, "cannot write an upload");
    p += n;
    len -= (gsize)n;
  }
  return TRUE;
}

gboolean
hub_upload_over(const HubUpload *u)
{
  return u->over;
}

guint64
hub_upload_size(const HubUpload *u)
{
  return u->size;
}

int
hub_upload_fd(const HubUpload *u)
{
  return u->fd;
}

const char *
hub_upload_sha256(HubUpload *u)
{
  if (!u->hex)
    u->hex = g_strdup(g_checksum_get_string(u->sha));
  return u->hex;
}

gboolean
hub_upload_keep(HubUpload *u, const char *path, GError **error)
{
  if (g_file_test(path, G_FILE_TEST_EXISTS))
    return TRUE; /* stored once by content: the temporary copy goes in hub_upload_free */
  if (fsync(u->fd) != 0)
    return fail_errno(error, "cannot flush an upload");
  if (g_rename(u->path, path) != 0)
    return fail_errno(error, "cannot store an upload");
  u->kept = TRUE;
  return TRUE;
}

void
hub_upload_free(HubUpload *u)
{
  if (!u)
    return;
  close(u->fd);
  if (!u->kept)
    g_unlink(u->path);
  g_free(u->path);
  g_free(u->hex);
  g_checksum_free(u->sha);
  g_free(u);
}

void
hub_upload_clean_dir(const char *dir)
{
  g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
  const char *name;
  while (d && (name = g_dir_read_name(d)))
    if (g_str_has_prefix(name, "upload-")) {
      g_autofree char *path = g_build_filename(dir, name, NULL);
      g_unlink(path);
    }
}
