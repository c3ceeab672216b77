/* vindu-plugin-runner: the process one plugin runs in (docs/plugins.md). It loads the plugin's
 * .so, answers the kiosk's requests on the socket it was given, one at a time, and turns the
 * plugin's host-service calls into lines for the kiosk. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "plugin_loader.h"

G_BEGIN_DECLS

typedef struct {
  int fd;                    /* the socket to the kiosk */
  VinduHost host;            /* host_data is this Runner */
  VinduLoadedPlugin *plugin; /* NULL until "open" */
  char *language;            /* "nb", ... */
  gint64 clock_offset_ms;    /* the kiosk's clock minus this machine's */
  gboolean quiet;            /* quiet hours on */
  JsonArray *people;         /* [{"id","name","relationship"}] */
  GHashTable *storage;       /* key -> value */
  gsize storage_bytes;       /* keys plus values */
  gboolean in_action;        /* inside action(): call_person may be honoured */
} Runner;

/* runner_host.c: the host table, and applying the kiosk's context to it. */
void runner_host_init(Runner *r);
void runner_host_apply_context(Runner *r, JsonObject *msg);
void runner_host_load_storage(Runner *r, JsonObject *storage);
/* Sends one line to the kiosk; a kiosk that went away ends the runner. */
void runner_send(Runner *r, JsonBuilder *builder);

/* sandbox.c: everything the runner can give up before plugin code runs. `fd` is kept (as fd
 * 3); returns it. memory_mb 0: no memory limit. */
int runner_sandbox(int fd, guint memory_mb, GError **error);

G_END_DECLS
