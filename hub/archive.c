#define G_LOG_DOMAIN "vindu-hub"
#include "archive.h"

#include "db.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define BLOCK 512
#define COPY_CHUNK (256u * 1024)

struct _HubTarWriter {
  FILE *f;
  char *path;
  char *partial;
};

static gboolean
io_error(GError **error, const char *what, const char *path)
{
  int e = errno;
  g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(e), "%s %s: %s", what, path,
              g_strerror(e));
  return FALSE;
}

HubTarWriter *
hub_tar_writer_new(const char *path, GError **error)
{
  g_autofree char *partial = g_strconcat(path, ".partial", NULL);
  FILE *f = fopen(partial, "wbx"); /* x: never reuse another run's leftover */
  if (!f && errno == EEXIST && g_unlink(partial) == 0)
    f = fopen(partial, "wbx");
  if (!f) {
    io_error(error, "cannot create", partial);
    return NULL;
  }
  HubTarWriter *w = g_new0(HubTarWriter, 1);
  w->f = f;
  w->path = g_strdup(path);
  w->partial = g_steal_pointer(&partial);
  return w;
}

void
hub_tar_writer_free(HubTarWriter *w)
{
  if (!w)
    return;
  if (w->f) {
    fclose(w->f);
    g_unlink(w->partial);
  }
  g_free(w->path);
  g_free(w->partial);
  g_free(w);
}

static gboolean
name_ok(const char *name)
{
  if (!*name || name[0] == '/' || strlen(name) > 250)
    return FALSE;
  g_auto(GStrv) parts = g_strsplit(name, "/", -1);
  for (int i = 0; parts[i]; i++)
    if (!*parts[i] || g_str_equal(parts[i], ".") || g_str_equal(parts[i], ".."))
      return FALSE;
  return TRUE;
}

/* ustar keeps 100 bytes of name and 155 of prefix, split at a '/'. */
static gboolean
split_name(const char *name, char prefix[156], char base[101])
{
  size_t len = strlen(name);
  memset(prefix, 0, 156);
  memset(base, 0, 101);
  if (len <= 100) {
    memcpy(base, name, len);
    return TRUE;
  }
  for (const char *slash = strchr(name, '/'); slash; slash = strchr(slash + 1, '/')) {
    size_t plen = slash - name;
    if (plen <= 155 && len - plen - 1 <= 100) {
      memcpy(prefix, name, plen);
      memcpy(base, slash + 1, len - plen - 1);
      return TRUE;
    }
  }
  return FALSE;
}

static void
octal(char *field, size_t width, guint64 value)
{
  g_snprintf(field, width, "%0*" G_GINT64_MODIFIER "o", (int)width - 1, value);
}

static gboolean
write_header(HubTarWriter *w, const char *name, guint64 len, guint mode, GError **error)
{
  char prefix[156], base[101];
  if (!name_ok(name) || !split_name(name, prefix, base)) {
    g_set_error(error, HUB_DB_ERROR, HUB_DB_ERROR_BAD_FORMAT, "cannot store the name %s", name);
    return FALSE;
  }
  guint8 h[BLOCK] = {0};
  memcpy(h, base, 100);
  octal((char *)h + 100, 8, mode);
  octal((char *)h + 108, 8, 0);
  octal((char *)h + 116, 8, 0);
  octal((char *)h + 124, 12, len);
  octal((char *)h + 136, 12, (guint64)(g_get_real_time() / G_USEC_PER_SEC));
  memset(h + 148, ' ', 8);
  h[156] = '0';
  memcpy(h + 257, "ustar", 6);
  memcpy(h + 263, "00", 2);
  memcpy(h + 345, prefix, 155);
  guint sum = 0;
  for (int i = 0; i < BLOCK; i++)
    sum += h[i];
  g_snprintf((char *)h + 148, 8, "%06o", sum);
  if (fwrite(h, 1, BLOCK, w->f) != BLOCK)
    return io_error(error, "cannot write", w->partial);
  return TRUE;
}

static gboolean
write_padding(HubTarWriter *w, guint64 len, GError **error)
{
  static const guint8 zeros[BLOCK] = {0};
  gsize pad = (BLOCK - len % BLOCK) % BLOCK;
  if (pad && fwrite(zeros, 1, pad, w->f) != pad)
    return io_error(error, "cannot write", w->partial);
  return TRUE;
}

gboolean
hub_tar_add(HubTarWriter *w, const char *name, const void *data, gsize len, guint mode,
            GError **error)
{
  if (!write_header(w, name, len, mode, error))
    return FALSE;
  if (len && fwrite(data, 1, len, w->f) != len)
    return io_error(error, "cannot write", w->partial);
  return write_padding(w, len, error);
}

gboolean
hub_tar_add_file(HubTarWriter *w, const char *name, const char *src, GError **error)
{
  FILE *in = fopen(src, "rb");
  struct stat st;
  if (!in || fstat(fileno(in), &st) != 0) {
    io_error(error, "cannot read", src);
    if (in)
      fclose(in);
    return FALSE;
  }
  gboolean ok = write_header(w, name, st.st_size, 0600, error);
  guint64 left = st.st_size;
  g_autofree char *buf = g_malloc(COPY_CHUNK);
  while (ok && left > 0) {
    size_t n = fread(buf, 1, MIN(left, COPY_CHUNK), in);
    if (n == 0) /* the file shrank under us: a stored file never does */
      ok = io_error(error, "cannot read", src);
    else if (fwrite(buf, 1, n, w->f) != n)
      ok = io_error(error, "cannot write", w->partial);
    left -= n;
  }
  fclose(in);
  return ok && write_padding(w, st.st_size, error);
}

gboolean
hub_tar_finish(HubTarWriter *w, GError **error)
{
  static const guint8 zeros[2 * BLOCK] = {0};
  if (fwrite(zeros, 1, sizeof zeros, w->f) != sizeof zeros || fflush(w->f) != 0 ||
      fsync(fileno(w->f)) != 0)
    return io_error(error, "cannot write", w->partial);
  int rc = fclose(w->f);
  w->f = NULL;
  if (rc != 0 || g_rename(w->partial, w->path) != 0) {
    io_error(error, "cannot finish", w->path);
    g_unlink(w->partial);
    return FALSE;
  }
  return TRUE;
}

static guint64
parse_octal(const guint8 *field, size_t width, gboolean *ok)
{
  guint64 v = 0;
  size_t i = 0;
  while (i < width && field[i] == ' ')
    i++;
  for (; i < width && field[i] >= '0' && field[i] <= '7'; i++)
    v = v * 8 + (field[i] - '0');
  if (i < width && field[i] != 0 && field[i] != ' ')
    *ok = FALSE;
  return v;
}

static gboolean
bad_archive(GError **error, const char *path, const char *why)
{
  g_set_error(error, HUB_DB_ERROR, HUB_DB_ERROR_BAD_FORMAT, "%s is not a good archive: %s", path,
              why);
  return FALSE;
}

static gboolean
header_ok(const guint8 *h)
{
  gboolean ok = TRUE;
  guint stored = parse_octal(h + 148, 8, &ok);
  guint sum = 0;
  for (int i = 0; i < BLOCK; i++)
    sum += (i >= 148 && i < 156) ? ' ' : h[i];
  return ok && stored == sum;
}

static char *
entry_name(const guint8 *h)
{
  g_autofree char *base = g_strndup((const char *)h, 100);
  g_autofree char *prefix = g_strndup((const char *)h + 345, 155);
  return *prefix ? g_strconcat(prefix, "/", base, NULL) : g_steal_pointer(&base);
}

gboolean
hub_tar_copy_out(FILE *in, guint64 size, const char *dest, GChecksum *checksum, GError **error)
{
  FILE *out = fopen(dest, "wbx");
  if (!out)
    return io_error(error, "cannot create", dest);
  fchmod(fileno(out), 0600);
  g_autofree char *buf = g_malloc(COPY_CHUNK);
  gboolean ok = TRUE;
  for (guint64 left = size; ok && left > 0;) {
    size_t n = fread(buf, 1, MIN(left, COPY_CHUNK), in);
    if (n == 0)
      ok = io_error(error, "cannot read the archive for", dest);
    else if (fwrite(buf, 1, n, out) != n)
      ok = io_error(error, "cannot write", dest);
    if (checksum && n)
      g_checksum_update(checksum, (const guchar *)buf, n);
    left -= n;
  }
  if (ok && (fflush(out) != 0 || fsync(fileno(out)) != 0))
    ok = io_error(error, "cannot write", dest);
  fclose(out);
  if (!ok)
    g_unlink(dest);
  return ok;
}

gboolean
hub_tar_read(const char *path, HubTarEntryFunc func, gpointer user_data, GError **error)
{
  FILE *f = fopen(path, "rb");
  if (!f)
    return io_error(error, "cannot open", path);
  gboolean ok = FALSE, ended = FALSE;
  guint8 h[BLOCK];
  while (fread(h, 1, BLOCK, f) == BLOCK) {
    static const guint8 zeros[BLOCK] = {0};
    if (memcmp(h, zeros, BLOCK) == 0) {
      ended = TRUE;
      break;
    }
    gboolean num_ok = TRUE;
    guint64 size = parse_octal(h + 124, 12, &num_ok);
    g_autofree char *name = entry_name(h);
    char type = h[156];
    if (!header_ok(h) || !num_ok) {
      bad_archive(error, path, "a damaged header");
      goto out;
    }
    g_autofree char *clean = g_strdup(name);
    if (g_str_has_suffix(clean, "/"))
      clean[strlen(clean) - 1] = 0;
    if (!name_ok(clean) || (type != '0' && type != 0 && type != '5')) {
      bad_archive(error, path, "an entry that is not a plain file or folder");
      goto out;
    }
    guint64 padded = (size + BLOCK - 1) / BLOCK * BLOCK;
    off_t start = ftello(f);
    struct stat st;
    if (start < 0 || fstat(fileno(f), &st) != 0 || (guint64)st.st_size < start + padded) {
      bad_archive(error, path, "it ends in the middle of a file");
      goto out;
    }
    if (type != '5' && !func(clean, size, f, user_data, error))
      goto out;
    if (fseeko(f, start + (off_t)padded, SEEK_SET) != 0) {
      io_error(error, "cannot read", path);
      goto out;
    }
  }
  ok = ended || bad_archive(error, path, "it has no end marker (cut short?)");
out:
  fclose(f);
  return ok;
}
