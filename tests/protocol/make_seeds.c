/* Writes each example of docs/protocol.md into a fuzz seed corpus directory. */
#include "doc_examples.h"

#include <stdio.h>
#include <string.h>

int
main(int argc, char **argv)
{
  if (argc != 2) {
    fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
    return 2;
  }
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) examples = doc_examples_load(&error);
  if (!examples || g_mkdir_with_parents(argv[1], 0755) != 0) {
    fprintf(stderr, "cannot make seeds: %s\n", error ? error->message : "mkdir failed");
    return 1;
  }
  for (guint i = 0; i < examples->len; i++) {
    g_autofree char *name = g_strdup_printf("%s/doc-%03u.json", argv[1], i);
    if (!g_file_set_contents(name, examples->pdata[i], -1, &error)) {
      fprintf(stderr, "cannot write %s: %s\n", name, error->message);
      return 1;
    }
  }
  printf("%u seeds in %s\n", examples->len, argv[1]);
  return 0;
}
