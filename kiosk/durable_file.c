#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/durable_file.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#define TEMP_MARK ".part-"

static gboolean
fail_errno(GError **error, const char *what, const char *path)
{
  int e = errno;
  g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(e), "%s %s: %s", what, path,
              g_strerror(e));
  return FALSE;
}

static gboolean
write_all(int fd, const guint8 *p, gsize len)
{
  while (len > 0) {
    ssize_t n = write(fd, p, len);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return FALSE;
    p += n;
    len -= (gsize)n;
  }
  return TRUE;
}

static void
sync_dir_of(const char *path)
{
  g_autofree char *dir = g_path_get_dirname(path);
  int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    fsync(fd);
    close(fd);
  }
}

gboolean
vk_durable_write(const char *path, const void *data, gsize len, GError **error)
{
  g_autofree char *tmp = g_strconcat(path, TEMP_MARK "XXXXXX", NULL);
  int fd = g_mkstemp_full(tmp, O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0)
    return fail_errno(error, "cannot create", tmp);
  if (!write_all(fd, data, len) || fsync(fd) != 0) {
    fail_errno(error, "cannot write", tmp);
    close(fd);
    g_unlink(tmp);
    return FALSE;
  }
  if (close(fd) != 0 || g_rename(tmp, path) != 0) {
    fail_errno(error, "cannot keep", path);
    g_unlink(tmp);
    return FALSE;
  }
  sync_dir_of(path);
  return TRUE;
}

gboolean
vk_durable_file_matches(const char *path, const char *hash)
{
  g_autoptr(GMappedFile) f = g_mapped_file_new(path, FALSE, NULL);
  if (!f || !hash)
    return FALSE;
  gsize len = g_mapped_file_get_length(f);
  if (len == 0)
    return FALSE; /* an empty file is a write a power cut interrupted, never a photo */
  g_autofree char *sum = g_compute_checksum_for_data(
      G_CHECKSUM_SHA256, (const guchar *)g_mapped_file_get_contents(f), len);
  return g_ascii_strcasecmp(sum, hash) == 0;
}

/* A name the cache gives a file: 64 hex digits (its SHA-256). Others are not checked. */
static gboolean
is_content_name(const char *name)
{
  if (strlen(name) != 64)
    return FALSE;
  for (const char *p = name; *p; p++)
    if (!g_ascii_isxdigit(*p))
      return FALSE;
  return TRUE;
}

GPtrArray *
vk_durable_sweep(const char *dir)
{
  GPtrArray *removed = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
  const char *name;
  while (d && (name = g_dir_read_name(d))) {
    g_autofree char *path = g_build_filename(dir, name, NULL);
    if (strstr(name, TEMP_MARK)) {
      g_unlink(path); /* a write a power cut interrupted */
      continue;
    }
    if (!is_content_name(name) || vk_durable_file_matches(path, name))
      continue;
    g_message("a stored file does not match its name (cut short?): removed, to be fetched again");
    g_unlink(path);
    g_ptr_array_add(removed, g_steal_pointer(&path));
  }
  return removed;
}

static void
model_forget(VkModel *model, const char *path)
{
  for (guint i = 0; i < model->messages->len; i++) {
    VkMessage *msg = model->messages->pdata[i];
    if (g_strcmp0(msg->media_path, path) == 0)
      g_clear_pointer(&msg->media_path, g_free);
  }
  for (guint i = model->photos->len; i > 0; i--)
    if (g_strcmp0(model->photos->pdata[i - 1], path) == 0)
      g_ptr_array_remove_index(model->photos, i - 1);
}

void
vk_durable_sweep_cache(VkCache *cache, VkModel *model)
{
  g_autofree char *any = vk_cache_file_path(cache, "x");
  g_autofree char *dir = g_path_get_dirname(any);
  g_autoptr(GPtrArray) removed = vk_durable_sweep(dir);
  for (guint i = 0; i < removed->len; i++) {
    g_autoptr(GError) err = NULL;
    if (!vk_cache_forget_file(cache, removed->pdata[i], &err))
      g_warning("cannot forget a broken file: %s", err->message);
    model_forget(model, removed->pdata[i]);
  }
}
