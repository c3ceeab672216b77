#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/voice_salvage.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

static guint64
le64(const guint8 *p)
{
  guint64 v = 0;
  for (int i = 7; i >= 0; i--)
    v = (v << 8) | p[i];
  return v;
}

/* Opus's pre-skip (samples at 48 kHz) from the OpusHead packet of the first page, or -1. */
static gint64
pre_skip(const guint8 *d, gsize len)
{
  if (len < 27 || memcmp(d, "OggS", 4) != 0)
    return -1;
  gsize body = 27 + (gsize)d[26];
  if (body + 12 > len || memcmp(d + body, "OpusHead", 8) != 0)
    return -1;
  return d[body + 10] | (d[body + 11] << 8);
}

/* Walks the whole pages: *end after the last whole one, *granule the last known position. */
static void
whole_pages(const guint8 *d, gsize len, gsize *end, guint64 *granule)
{
  gsize p = 0;
  *end = 0;
  *granule = 0;
  while (p + 27 <= len && memcmp(d + p, "OggS", 4) == 0) {
    gsize nsegs = d[p + 26];
    if (p + 27 + nsegs > len)
      return;
    gsize body = 0;
    for (gsize i = 0; i < nsegs; i++)
      body += d[p + 27 + i];
    if (p + 27 + nsegs + body > len)
      return;
    guint64 g = le64(d + p + 6);
    if (g != G_MAXUINT64)
      *granule = g;
    p += 27 + nsegs + body;
    *end = p;
  }
}

gboolean
vk_voice_salvage_file(const char *path, guint *duration_ms)
{
  g_autofree guint8 *d = NULL;
  gsize len = 0;
  if (!g_file_get_contents(path, (char **)&d, &len, NULL))
    return FALSE;
  gint64 skip = pre_skip(d, len);
  gsize end;
  guint64 granule;
  whole_pages(d, len, &end, &granule);
  if (skip < 0 || granule <= (guint64)skip)
    return FALSE;
  int fd = open(path, O_WRONLY);
  gboolean ok = fd >= 0 && (end == len || ftruncate(fd, (off_t)end) == 0) && fsync(fd) == 0;
  if (fd >= 0)
    close(fd);
  *duration_ms = (guint)((granule - (guint64)skip) / 48);
  return ok && *duration_ms > 0;
}

static void
lose(VkCache *c, VkOutboxItem *it, VkVoiceSalvage *out)
{
  g_autoptr(GError) err = NULL;
  if (!vk_cache_outbox_remove_path(c, it->path, &err))
    g_warning("%s", err->message);
  g_unlink(it->path);
  if (!out->lost++)
    out->lost_to = g_strdup(it->to_id);
}

/* Recordings in DIR/outbox that no row keeps. */
static void
remove_orphans(VkCache *c)
{
  g_autofree char *dir = g_build_filename(vk_cache_dir(c), "outbox", NULL);
  g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
  const char *name;
  while (d && (name = g_dir_read_name(d))) {
    g_autofree char *path = g_build_filename(dir, name, NULL);
    if (g_str_has_prefix(name, "voice-") && !vk_cache_outbox_keeps(c, path)) {
      g_message("removing a recording nothing refers to: %s", name);
      g_unlink(path);
    }
  }
}

void
vk_voice_salvage(VkCache *c, VkVoiceSalvage *out)
{
  memset(out, 0, sizeof *out);
  g_autoptr(GPtrArray) held = vk_cache_outbox_held(c);
  for (guint i = 0; i < held->len; i++) {
    VkOutboxItem *it = held->pdata[i];
    guint ms = 0;
    g_autoptr(GError) err = NULL;
    if (it->held == VK_OUTBOX_STOPPED && it->path && vk_voice_salvage_file(it->path, &ms) &&
        vk_cache_outbox_hold(c, it->path, VK_OUTBOX_READY, ms, &err)) {
      g_message("a voice reply stopped before a restart is kept (%u ms)", ms);
      out->kept++;
    } else {
      g_message("a voice reply cut off by a restart is lost%s%s", err ? ": " : "",
                err ? err->message : "");
      lose(c, it, out);
    }
  }
  remove_orphans(c);
}

void
vk_voice_salvage_clear(VkVoiceSalvage *s)
{
  g_clear_pointer(&s->lost_to, g_free);
}
