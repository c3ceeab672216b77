/* Finding and rewriting the references between web files: a quoted string (' " or `) whose
 * value, taken relative to the file that holds it, names another file of the web root. In
 * index.html these are attribute values ("style.css"), in modules import specifiers
 * ("./ws.js"); a specifier right after `import(` is a dynamic import (loaded when needed). */
#include "references.h"

#include <string.h>

void
web_ref_free(WebRef *ref)
{
  g_free(ref->target);
  g_free(ref);
}

/* "a/b.js" + "../c/d.js" → "c/d.js"; NULL when the value leaves the root or is not a path. */
char *
web_ref_resolve(const char *from, const char *value)
{
  if (!*value || value[0] == '/' || strchr(value, ':') || strchr(value, '?') ||
      strchr(value, '#') || strchr(value, '$') || strchr(value, ' ') || strchr(value, '\n'))
    return NULL;
  g_autofree char *dir = g_path_get_dirname(from);
  g_autofree char *joined =
      g_strcmp0(dir, ".") == 0 ? g_strdup(value) : g_strjoin("/", dir, value, NULL);
  g_auto(GStrv) parts = g_strsplit(joined, "/", -1);
  GPtrArray *kept = g_ptr_array_new();
  for (char **p = parts; *p; p++) {
    if (!**p || g_str_equal(*p, "."))
      continue;
    if (g_str_equal(*p, "..")) {
      if (kept->len == 0) {
        g_ptr_array_free(kept, TRUE);
        return NULL;
      }
      g_ptr_array_remove_index(kept, kept->len - 1);
      continue;
    }
    g_ptr_array_add(kept, *p);
  }
  g_ptr_array_add(kept, NULL);
  char *out = g_strjoinv("/", (char **)kept->pdata);
  g_ptr_array_free(kept, TRUE);
  return out;
}

static gboolean
dynamic_before(const char *text, gsize at)
{
  gsize i = at;
  while (i > 0 && g_ascii_isspace(text[i - 1]))
    i--;
  return i >= 7 && strncmp(text + i - 7, "import(", 7) == 0;
}

GPtrArray *
web_refs_find(const char *from, const char *text, gsize len, WebRefKnown known, gpointer data)
{
  GPtrArray *refs = g_ptr_array_new_with_free_func((GDestroyNotify)web_ref_free);
  for (gsize i = 0; i < len; i++) {
    char q = text[i];
    if (q != '\'' && q != '"' && q != '`')
      continue;
    gsize j = i + 1;
    while (j < len && text[j] != q && text[j] != '\n' && j - i < 256)
      j++;
    if (j >= len || text[j] != q)
      continue;
    g_autofree char *value = g_strndup(text + i + 1, j - i - 1);
    g_autofree char *target = web_ref_resolve(from, value);
    if (target && known(target, data)) {
      WebRef *ref = g_new0(WebRef, 1);
      ref->start = i + 1;
      ref->end = j;
      ref->target = g_steal_pointer(&target);
      ref->dynamic = dynamic_before(text, i);
      g_ptr_array_add(refs, ref);
    }
    i = j; /* the closing quote is not the next opening one */
  }
  return refs;
}

GString *
web_refs_rewrite(const char *text, gsize len, GPtrArray *refs, WebRefRename rename, gpointer data)
{
  GString *out = g_string_sized_new(len + 64);
  gsize at = 0;
  for (guint i = 0; i < refs->len; i++) {
    const WebRef *ref = refs->pdata[i];
    g_autofree char *value = g_strndup(text + ref->start, ref->end - ref->start);
    const char *new_base = rename(ref->target, data);
    g_string_append_len(out, text + at, ref->start - at);
    const char *slash = strrchr(value, '/');
    if (slash)
      g_string_append_len(out, value, slash + 1 - value);
    g_string_append(out, new_base);
    at = ref->end;
  }
  g_string_append_len(out, text + at, len - at);
  return out;
}
