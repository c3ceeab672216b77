/* A plugin built for a future ABI (as if against another version of include/vindu/plugin.h):
 * the host must refuse it before calling anything but its entry. */
#include "vindu/plugin.h"

#include <stdlib.h>

static void *
never_open(const char *language)
{
  abort(); /* the host must not get this far */
}

static int
never_put(void *self, const char *id, const char *body)
{
  abort();
}

static const VinduPlugin plugin = {
    .abi = VINDU_PLUGIN_ABI + 1,
    .struct_size = sizeof(VinduPlugin) + 16,
    .name = "from-the-future",
    .document_kind = "reminder",
    .open = never_open,
    .put_document = never_put,
};

const VinduPlugin *
vindu_plugin_v1(void)
{
  return &plugin;
}
