#include "doc_examples.h"

#include <json-glib/json-glib.h>
#include <string.h>

/* A ```json block holds either one object per line or one object over several lines. */
static gboolean
every_line_is_json(char **lines)
{
  for (char **line = lines; *line; line++) {
    g_autofree char *trimmed = g_strstrip(g_strdup(*line));
    g_autoptr(JsonParser) parser = json_parser_new();
    if (*trimmed && !json_parser_load_from_data(parser, trimmed, -1, NULL))
      return FALSE;
  }
  return TRUE;
}

static void
add_block(GPtrArray *examples, const char *block)
{
  g_auto(GStrv) lines = g_strsplit(block, "\n", -1);
  if (!every_line_is_json(lines)) {
    g_ptr_array_add(examples, g_strdup(block));
    return;
  }
  for (char **line = lines; *line; line++) {
    g_strstrip(*line);
    if (**line)
      g_ptr_array_add(examples, g_strdup(*line));
  }
}

GPtrArray *
doc_examples_load(GError **error)
{
  const char *top = g_getenv("VINDU_SOURCE_DIR");
  g_autofree char *path = g_build_filename(top ? top : ".", "docs", "protocol.md", NULL);
  g_autofree char *text = NULL;
  if (!g_file_get_contents(path, &text, NULL, error))
    return NULL;
  GPtrArray *examples = g_ptr_array_new_with_free_func(g_free);
  const char *cursor = text;
  const char *open;
  while ((open = strstr(cursor, "```json\n")) != NULL) {
    open += strlen("```json\n");
    const char *close = strstr(open, "```");
    if (!close)
      break;
    g_autofree char *block = g_strndup(open, close - open);
    add_block(examples, block);
    cursor = close + 3;
  }
  return examples;
}
