/* String formats the protocol names: identifiers, file hashes, clock times. */
#include "protocol.h"

#include <string.h>

static gboolean
is_name_char(char c)
{
  return g_ascii_isalnum(c) || c == '_' || c == '-';
}

static gboolean
is_name_of_length(const char *s, gsize min, gsize max)
{
  if (!s)
    return FALSE;
  gsize n = 0;
  for (; s[n]; n++) {
    if (!is_name_char(s[n]) || n >= max)
      return FALSE;
  }
  return n >= min;
}

gboolean
vp_is_identifier(const char *s)
{
  return is_name_of_length(s, 3, 64);
}

/* Document ids may be short ("walk"), so they allow 1-64. */
gboolean
vp_is_document_name(const char *s)
{
  return is_name_of_length(s, 1, 64);
}

gboolean
vp_is_file_hash(const char *s)
{
  if (!s)
    return FALSE;
  gsize n = 0;
  for (; s[n]; n++) {
    if (n >= 64 || !(g_ascii_isdigit(s[n]) || (s[n] >= 'a' && s[n] <= 'f')))
      return FALSE;
  }
  return n == 64;
}

gboolean
vp_is_clock_time(const char *s)
{
  if (!s || strlen(s) != 5 || s[2] != ':')
    return FALSE;
  if (!g_ascii_isdigit(s[0]) || !g_ascii_isdigit(s[1]) || !g_ascii_isdigit(s[3]) ||
      !g_ascii_isdigit(s[4]))
    return FALSE;
  int hours = (s[0] - '0') * 10 + (s[1] - '0');
  int minutes = (s[3] - '0') * 10 + (s[4] - '0');
  return hours < 24 && minutes < 60;
}

/* Document kinds are open (each plugin's manifest declares its own), so the wire checks only
 * their shape: lowercase, starting with a letter, short enough for a column and a file name. */
gboolean
vp_is_document_kind(const char *s)
{
  if (!s || !g_ascii_islower(s[0]))
    return FALSE;
  gsize n = 1;
  for (; s[n]; n++) {
    if (n >= 32 || !(g_ascii_islower(s[n]) || g_ascii_isdigit(s[n]) || s[n] == '_'))
      return FALSE;
  }
  return TRUE;
}
