/* vindu-web-pack SRC OUT: the web root the hub serves, made from web/ at build time.
 *  - every file is copied under its own name (served with validators, revalidated each visit);
 *  - each module, style sheet and icon also gets a content-hashed name (app.3f2a9c01b7.js) that
 *    the hub serves as immutable: its hash covers the file and everything it imports, so a change
 *    anywhere below gives a new name, and index.html and the modules refer to those names;
 *  - text files get .gz and .br twins for Content-Encoding;
 *  - shell.json lists what the page loads at start ("shell"), what it imports only when needed
 *    ("lazy") and the text files ("texts"): the list a service worker can cache. */
#include "compress.h"
#include "references.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

typedef struct {
  char *rel;
  GBytes *content;
  GPtrArray *refs; /* WebRef to hashable files */
  char *hashed;    /* base name with the hash, for hashable files */
} WebFile;

typedef struct {
  GHashTable *files; /* rel → WebFile */
  const char *out;
} Pack;

static void
web_file_free(WebFile *f)
{
  g_free(f->rel);
  g_bytes_unref(f->content);
  if (f->refs)
    g_ptr_array_unref(f->refs);
  g_free(f->hashed);
  g_free(f);
}

static gboolean
has_suffix_in(const char *name, const char *const *suffixes)
{
  for (; *suffixes; suffixes++)
    if (g_str_has_suffix(name, *suffixes))
      return TRUE;
  return FALSE;
}

static const char *const hashable_suffixes[] = {".js", ".mjs", ".css", ".svg", NULL};
static const char *const referring_suffixes[] = {".js", ".mjs", ".css", ".html", NULL};
static const char *const text_suffixes[] = {".html", ".js",          ".mjs", ".css", ".json",
                                            ".svg",  ".webmanifest", ".txt", NULL};

/* A service worker must keep its name (browsers update it in place). */
static gboolean
hashable(const char *rel)
{
  g_autofree char *base = g_path_get_basename(rel);
  return has_suffix_in(rel, hashable_suffixes) && !g_str_equal(base, "sw.js");
}

static gboolean
known_hashable(const char *target, gpointer data)
{
  Pack *pack = data;
  return g_hash_table_contains(pack->files, target) && hashable(target);
}

static gboolean
collect(Pack *pack, const char *root, const char *prefix, GError **error)
{
  g_autofree char *dir_path = prefix ? g_build_filename(root, prefix, NULL) : g_strdup(root);
  g_autoptr(GDir) dir = g_dir_open(dir_path, 0, error);
  if (!dir)
    return FALSE;
  const char *name;
  while ((name = g_dir_read_name(dir))) {
    g_autofree char *rel = prefix ? g_strjoin("/", prefix, name, NULL) : g_strdup(name);
    g_autofree char *path = g_build_filename(root, rel, NULL);
    if (!prefix && (g_str_equal(name, "pack") || g_str_equal(name, "CMakeLists.txt")))
      continue; /* this tool and the build script are not part of the site */
    if (name[0] == '.' || g_str_has_suffix(name, ".md"))
      continue;
    if (g_file_test(path, G_FILE_TEST_IS_DIR)) {
      if (!collect(pack, root, rel, error))
        return FALSE;
      continue;
    }
    char *data;
    gsize len;
    if (!g_file_get_contents(path, &data, &len, error))
      return FALSE;
    WebFile *f = g_new0(WebFile, 1);
    f->rel = g_strdup(rel);
    f->content = g_bytes_new_take(data, len);
    g_hash_table_insert(pack->files, f->rel, f);
  }
  return TRUE;
}

static void
find_refs(Pack *pack)
{
  GHashTableIter it;
  gpointer value;
  g_hash_table_iter_init(&it, pack->files);
  while (g_hash_table_iter_next(&it, NULL, &value)) {
    WebFile *f = value;
    gsize len;
    const char *text = g_bytes_get_data(f->content, &len);
    f->refs = has_suffix_in(f->rel, referring_suffixes)
                  ? web_refs_find(f->rel, text, len, known_hashable, pack)
                  : g_ptr_array_new_with_free_func((GDestroyNotify)web_ref_free);
  }
}

/* Everything `rel` loads, itself included; with `dynamic` FALSE only what it imports statically. */
static void
closure(Pack *pack, const char *rel, gboolean dynamic, GHashTable *seen)
{
  if (g_hash_table_contains(seen, rel))
    return;
  WebFile *f = g_hash_table_lookup(pack->files, rel);
  g_hash_table_add(seen, (gpointer)f->rel);
  for (guint i = 0; i < f->refs->len; i++) {
    const WebRef *ref = f->refs->pdata[i];
    if (dynamic || !ref->dynamic)
      closure(pack, ref->target, dynamic, seen);
  }
}

static int
compare_paths(gconstpointer a, gconstpointer b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static GPtrArray *
sorted_keys(GHashTable *set)
{
  GPtrArray *keys = g_ptr_array_new();
  GHashTableIter it;
  gpointer key;
  g_hash_table_iter_init(&it, set);
  while (g_hash_table_iter_next(&it, &key, NULL))
    g_ptr_array_add(keys, key);
  g_ptr_array_sort(keys, compare_paths);
  return keys;
}

/* name.<10 hex of SHA-256 over the paths and bytes of everything it loads>.ext */
static void
name_by_hash(Pack *pack, WebFile *f)
{
  g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
  closure(pack, f->rel, TRUE, seen);
  g_autoptr(GPtrArray) paths = sorted_keys(seen);
  g_autoptr(GChecksum) sum = g_checksum_new(G_CHECKSUM_SHA256);
  for (guint i = 0; i < paths->len; i++) {
    WebFile *dep = g_hash_table_lookup(pack->files, paths->pdata[i]);
    gsize len;
    const guint8 *data = g_bytes_get_data(dep->content, &len);
    g_checksum_update(sum, (const guint8 *)dep->rel, strlen(dep->rel) + 1);
    g_checksum_update(sum, data, len);
  }
  g_autofree char *base = g_path_get_basename(f->rel);
  const char *dot = strrchr(base, '.');
  f->hashed =
      g_strdup_printf("%.*s.%.10s%s", (int)(dot - base), base, g_checksum_get_string(sum), dot);
}

static const char *
hashed_name(const char *target, gpointer data)
{
  Pack *pack = data;
  WebFile *f = g_hash_table_lookup(pack->files, target);
  return f->hashed;
}

static char *
hashed_rel(const WebFile *f)
{
  g_autofree char *dir = g_path_get_dirname(f->rel);
  return g_str_equal(dir, ".") ? g_strdup(f->hashed) : g_strjoin("/", dir, f->hashed, NULL);
}

static gboolean
write_file(Pack *pack, const char *rel, const guint8 *data, gsize len, GError **error)
{
  g_autofree char *path = g_build_filename(pack->out, rel, NULL);
  g_autofree char *dir = g_path_get_dirname(path);
  if (g_mkdir_with_parents(dir, 0755) != 0) {
    g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno), "%s: %s", dir,
                g_strerror(errno));
    return FALSE;
  }
  if (!g_file_set_contents(path, (const char *)data, len, error))
    return FALSE;
  if (!has_suffix_in(rel, text_suffixes))
    return TRUE;
  struct {
    const char *suffix;
    GBytes *(*compress)(const guint8 *, gsize);
  } const encodings[] = {{".gz", web_gzip}, {".br", web_brotli}};
  for (guint i = 0; i < G_N_ELEMENTS(encodings); i++) {
    g_autoptr(GBytes) packed = encodings[i].compress(data, len);
    if (!packed || g_bytes_get_size(packed) >= len)
      continue; /* the hub then serves the file as it is */
    g_autofree char *twin = g_strconcat(path, encodings[i].suffix, NULL);
    if (!g_file_set_contents(twin, g_bytes_get_data(packed, NULL), g_bytes_get_size(packed), error))
      return FALSE;
  }
  return TRUE;
}

/* index.html names every module it will import, so that on a link with long round trips the
 * browser fetches them all at once instead of one level of imports per round trip. */
static GString *
with_module_preloads(Pack *pack, GString *html)
{
  const char *head_end = strstr(html->str, "</head>");
  if (!head_end)
    return html;
  g_autoptr(GHashTable) shell = g_hash_table_new(g_str_hash, g_str_equal);
  closure(pack, "index.html", FALSE, shell);
  g_autoptr(GPtrArray) paths = sorted_keys(shell);
  g_autoptr(GString) links = g_string_new(NULL);
  for (guint i = 0; i < paths->len; i++) {
    WebFile *f = g_hash_table_lookup(pack->files, paths->pdata[i]);
    if (!f->hashed || !(g_str_has_suffix(f->rel, ".js") || g_str_has_suffix(f->rel, ".mjs")))
      continue;
    g_autofree char *rel = hashed_rel(f);
    g_string_append_printf(links, "  <link rel=\"modulepreload\" href=\"%s\">\n", rel);
  }
  return g_string_insert(html, head_end - html->str, links->str);
}

/* Under its own name a file keeps its own text (its imports name the unhashed files, which are
 * all there); index.html is the exception, the entry that leads to the hashed names. */
static gboolean
write_all(Pack *pack, GError **error)
{
  GHashTableIter it;
  gpointer value;
  g_hash_table_iter_init(&it, pack->files);
  while (g_hash_table_iter_next(&it, NULL, &value)) {
    WebFile *f = value;
    gsize len;
    const char *text = g_bytes_get_data(f->content, &len);
    g_autoptr(GString) rewritten = web_refs_rewrite(text, len, f->refs, hashed_name, pack);
    gboolean entry = g_str_has_suffix(f->rel, ".html");
    if (g_str_equal(f->rel, "index.html"))
      rewritten = with_module_preloads(pack, rewritten);
    if (entry ? !write_file(pack, f->rel, (guint8 *)rewritten->str, rewritten->len, error)
              : !write_file(pack, f->rel, (const guint8 *)text, len, error))
      return FALSE;
    g_autofree char *rel = f->hashed ? hashed_rel(f) : NULL;
    if (rel && !write_file(pack, rel, (guint8 *)rewritten->str, rewritten->len, error))
      return FALSE;
  }
  return TRUE;
}

static void
append_list(GString *json, const char *name, Pack *pack, GHashTable *set, gboolean last)
{
  g_autoptr(GPtrArray) paths = sorted_keys(set);
  g_string_append_printf(json, "  \"%s\": [", name);
  for (guint i = 0; i < paths->len; i++) {
    WebFile *f = g_hash_table_lookup(pack->files, paths->pdata[i]);
    g_autofree char *rel = f->hashed ? hashed_rel(f) : g_strdup(f->rel);
    g_string_append_printf(json, "%s\"%s\"", i ? ", " : "", rel);
  }
  g_string_append_printf(json, "]%s\n", last ? "" : ",");
}

/* The page's shell: index.html and what it loads statically; lazy: what only import() loads. */
static gboolean
write_shell_list(Pack *pack, GError **error)
{
  if (!g_hash_table_contains(pack->files, "index.html"))
    return TRUE;
  g_autoptr(GHashTable) shell = g_hash_table_new(g_str_hash, g_str_equal);
  g_autoptr(GHashTable) all = g_hash_table_new(g_str_hash, g_str_equal);
  g_autoptr(GHashTable) texts = g_hash_table_new(g_str_hash, g_str_equal);
  closure(pack, "index.html", FALSE, shell);
  closure(pack, "index.html", TRUE, all);
  g_autoptr(GHashTable) lazy = g_hash_table_new(g_str_hash, g_str_equal);
  GHashTableIter it;
  gpointer key;
  g_hash_table_iter_init(&it, all);
  while (g_hash_table_iter_next(&it, &key, NULL))
    if (!g_hash_table_contains(shell, key))
      g_hash_table_add(lazy, key);
  g_hash_table_iter_init(&it, pack->files);
  while (g_hash_table_iter_next(&it, &key, NULL))
    if (g_str_has_prefix(key, "i18n/") && g_str_has_suffix(key, ".json"))
      g_hash_table_add(texts, key);
  g_autoptr(GString) json = g_string_new("{\n");
  append_list(json, "shell", pack, shell, FALSE);
  append_list(json, "lazy", pack, lazy, FALSE);
  append_list(json, "texts", pack, texts, TRUE);
  g_string_append(json, "}\n");
  return write_file(pack, "shell.json", (guint8 *)json->str, json->len, error);
}

static void
remove_tree(const char *path)
{
  if (g_file_test(path, G_FILE_TEST_IS_DIR) && !g_file_test(path, G_FILE_TEST_IS_SYMLINK)) {
    g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
    const char *name;
    while (dir && (name = g_dir_read_name(dir))) {
      g_autofree char *child = g_build_filename(path, name, NULL);
      remove_tree(child);
    }
    g_rmdir(path);
  } else {
    g_unlink(path);
  }
}

int
main(int argc, char **argv)
{
  if (argc != 3) {
    fprintf(stderr, "usage: vindu-web-pack SRC OUT\n");
    return 2;
  }
  Pack pack = {g_hash_table_new_full(g_str_hash, g_str_equal, NULL, (GDestroyNotify)web_file_free),
               argv[2]};
  g_autoptr(GError) error = NULL;
  remove_tree(argv[2]); /* no stale hashed names from an earlier build */
  gboolean ok = collect(&pack, argv[1], NULL, &error);
  if (ok) {
    find_refs(&pack);
    GHashTableIter it;
    gpointer value;
    g_hash_table_iter_init(&it, pack.files);
    while (g_hash_table_iter_next(&it, NULL, &value))
      if (hashable(((WebFile *)value)->rel))
        name_by_hash(&pack, value);
    ok = write_all(&pack, &error) && write_shell_list(&pack, &error);
  }
  g_hash_table_destroy(pack.files);
  if (!ok) {
    fprintf(stderr, "vindu-web-pack: %s\n", error->message);
    return 1;
  }
  return 0;
}
