/* JSON text that every strict parser accepts. json-glib 1.6 (Debian 12) escapes control
 * characters below U+001F but writes U+001F itself raw, which JSON.parse in every browser
 * refuses ("Bad control character in string literal"): one such character in a message would
 * make a whole household's page unreadable. Outside strings JSON has no control characters, so
 * every raw 0x1F byte in json-glib's output is inside a string and can be escaped as is. */
#include "protocol.h"

#include <string.h>

char *
vp_json_text(JsonNode *node, gboolean pretty, gsize *len_out)
{
  g_autoptr(JsonGenerator) generator = json_generator_new();
  json_generator_set_root(generator, node);
  json_generator_set_pretty(generator, pretty);
  gsize len = 0;
  g_autofree char *raw = json_generator_to_data(generator, &len);
  GString *out = g_string_sized_new(len + 1);
  for (const char *p = raw, *end = raw + len; p < end;) {
    const char *us = memchr(p, 0x1f, (gsize)(end - p));
    const char *stop = us ? us : end;
    g_string_append_len(out, p, stop - p);
    if (us)
      g_string_append(out, "\\u001f");
    p = us ? us + 1 : end;
  }
  if (len_out)
    *len_out = out->len;
  return g_string_free(out, FALSE);
}
