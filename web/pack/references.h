/* References from one web file to another, found in its text and rewritten to new names. */
#pragma once

#include <glib.h>

typedef struct {
  gsize start, end; /* the value between the quotes: text[start..end) */
  char *target;     /* the file it names, relative to the web root ("vendor/qrcode.mjs") */
  gboolean dynamic; /* an `import(…)`: fetched only when that code runs */
} WebRef;

typedef gboolean (*WebRefKnown)(const char *target, gpointer data);
typedef const char *(*WebRefRename)(const char *target, gpointer data); /* the new base name */

void web_ref_free(WebRef *ref);
/* the root-relative path `value` names when written in file `from`; NULL if none */
char *web_ref_resolve(const char *from, const char *value);
/* every quoted value in `text` that names a file `known` accepts, in order (transfer full) */
GPtrArray *web_refs_find(const char *from, const char *text, gsize len, WebRefKnown known,
                         gpointer data);
/* `text` with each reference's base name replaced by rename(target) (transfer full) */
GString *web_refs_rewrite(const char *text, gsize len, GPtrArray *refs, WebRefRename rename,
                          gpointer data);
