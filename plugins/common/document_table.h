/* Each plugin in this tree keeps its documents in a table by document id that owns both the ids
 * and the parsed values; the plugin's close() is document_table_close. */
#pragma once

#include <glib.h>

static inline GHashTable *
document_table_new(GDestroyNotify free_value)
{
  return g_hash_table_new_full(g_str_hash, g_str_equal, g_free, free_value);
}

static inline void
document_table_close(void *table)
{
  g_hash_table_unref(table);
}
