/* The web root's files, chosen, encoded and given cache validators (web_root.h). */
#include "web_root.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const char *
web_root_mime_for(const char *path)
{
  static const char *const table[][2] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".webmanifest", "application/manifest+json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".webp", "image/webp"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".ogg", "audio/ogg"},
      {".opus", "audio/ogg"},
      {".wav", "audio/wav"},
      {".txt", "text/plain; charset=utf-8"},
  };
  for (guint i = 0; i < G_N_ELEMENTS(table); i++)
    if (g_str_has_suffix(path, table[i][0]))
      return table[i][1];
  return "application/octet-stream";
}

gboolean
web_root_accepts(const char *accept_encoding, const char *coding)
{
  if (!accept_encoding)
    return FALSE;
  g_auto(GStrv) items = g_strsplit(accept_encoding, ",", 32);
  for (char **item = items; *item; item++) {
    g_auto(GStrv) parts = g_strsplit(*item, ";", 2);
    if (g_ascii_strcasecmp(g_strstrip(parts[0]), coding) != 0)
      continue;
    if (!parts[1])
      return TRUE;
    const char *q = strstr(parts[1], "q=");
    return !q || g_ascii_strtod(q + 2, NULL) > 0;
  }
  return FALSE;
}

gboolean
web_root_etag_matches(const char *if_none_match, const char *etag)
{
  if (!if_none_match || !*if_none_match)
    return FALSE;
  g_auto(GStrv) tags = g_strsplit(if_none_match, ",", 64);
  for (char **tag = tags; *tag; tag++) {
    const char *t = g_strstrip(*tag);
    if (g_str_has_prefix(t, "W/"))
      t += 2;
    if (g_str_equal(t, "*") || g_str_equal(t, etag))
      return TRUE;
  }
  return FALSE;
}

/* vindu-web-pack's names: stem.<10 lowercase hex>.ext */
static gboolean
content_hashed(const char *path)
{
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  const char *ext = strrchr(base, '.');
  if (!ext || ext - base < 12 || ext[-11] != '.')
    return FALSE;
  for (const char *c = ext - 10; c < ext; c++)
    if (!g_ascii_isdigit(*c) && !(*c >= 'a' && *c <= 'f'))
      return FALSE;
  return TRUE;
}

static char *
inside_root(const char *root, const char *path)
{
  g_autofree char *real = realpath(path, NULL);
  gsize rl = strlen(root);
  if (!real || strncmp(real, root, rl) != 0 || (real[rl] != '/' && real[rl] != '\0') ||
      !g_file_test(real, G_FILE_TEST_IS_REGULAR))
    return NULL;
  return g_steal_pointer(&real);
}

/* The smallest body the client can take: brotli, then gzip, then the file itself. */
static void
choose_encoding(const char *root, const char *real, const char *accept_encoding,
                WebRootAnswer *answer)
{
  static const struct {
    const char *coding, *suffix;
  } twins[] = {{"br", ".br"}, {"gzip", ".gz"}};
  for (guint i = 0; i < G_N_ELEMENTS(twins); i++) {
    g_autofree char *candidate = g_strconcat(real, twins[i].suffix, NULL);
    g_autofree char *twin = inside_root(root, candidate);
    if (!twin)
      continue;
    answer->varies = TRUE;
    if (!answer->encoding && web_root_accepts(accept_encoding, twins[i].coding)) {
      answer->encoding = twins[i].coding;
      g_free(answer->path);
      answer->path = g_steal_pointer(&twin);
    }
  }
}

gboolean
web_root_answer(const char *root_dir, const char *uri, const char *accept_encoding,
                const char *if_none_match, WebRootAnswer *answer)
{
  memset(answer, 0, sizeof *answer);
  if (!uri || uri[0] != '/' || strstr(uri, "..") || strchr(uri, '\\'))
    return FALSE;
  g_autofree char *root = realpath(root_dir, NULL);
  if (!root)
    return FALSE;
  g_autofree char *joined = g_build_filename(root, uri, NULL);
  if (g_file_test(joined, G_FILE_TEST_IS_DIR)) {
    char *with_index = g_build_filename(joined, "index.html", NULL);
    g_free(joined);
    joined = with_index;
  }
  g_autofree char *real = inside_root(root, joined);
  if (!real)
    return FALSE;
  answer->mime = web_root_mime_for(real);
  answer->path = g_strdup(real);
  choose_encoding(root, real, accept_encoding, answer);
  struct stat st;
  if (stat(answer->path, &st) != 0) {
    web_root_answer_clear(answer);
    return FALSE;
  }
  /* size and modification time: changes whenever a build writes the file anew */
  answer->etag =
      g_strdup_printf("\"%jx-%jx%s%s\"", (uintmax_t)st.st_size,
                      (uintmax_t)(st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec),
                      answer->encoding ? "-" : "", answer->encoding ? answer->encoding : "");
  answer->immutable = content_hashed(real);
  answer->cache_control = answer->immutable ? "public, max-age=31536000, immutable" : "no-cache";
  answer->not_modified = web_root_etag_matches(if_none_match, answer->etag);
  return TRUE;
}

void
web_root_answer_clear(WebRootAnswer *answer)
{
  g_clear_pointer(&answer->path, g_free);
  g_clear_pointer(&answer->etag, g_free);
}
