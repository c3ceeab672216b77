#include "push_b64.h"

#include <string.h>

char *
push_b64url_encode(const guint8 *data, gsize len)
{
  char *b64 = g_base64_encode(data, len);
  gsize n = strlen(b64);
  for (gsize i = 0; i < n; i++)
    b64[i] = b64[i] == '+' ? '-' : b64[i] == '/' ? '_' : b64[i];
  while (n > 0 && b64[n - 1] == '=')
    b64[--n] = '\0';
  return b64;
}

GBytes *
push_b64url_decode(const char *text)
{
  gsize n = strlen(text);
  while (n > 0 && text[n - 1] == '=')
    n--;
  if (n % 4 == 1)
    return NULL;
  GString *std = g_string_sized_new(n + 3);
  for (gsize i = 0; i < n; i++) {
    char ch = text[i];
    if (ch == '-')
      ch = '+';
    else if (ch == '_')
      ch = '/';
    else if (!g_ascii_isalnum(ch)) {
      g_string_free(std, TRUE);
      return NULL;
    }
    g_string_append_c(std, ch);
  }
  while (std->len % 4)
    g_string_append_c(std, '=');
  gsize out_len = 0;
  guchar *out = g_base64_decode(std->str, &out_len);
  g_string_free(std, TRUE);
  return g_bytes_new_take(out, out_len);
}
