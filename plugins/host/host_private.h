/* The plugin host's own state, shared by its files: plugin_host.c (the runners' lives and the
 * kiosk's face), host_lists.c (strip items and photos) and host_timers.c (timers on the kiosk's
 * clock). Not installed. Everything here runs on the kiosk's main loop. */
#pragma once

#include "fault_blame.h"
#include "plugin_host.h"
#include "plugin_storage.h"
#include "quarantine.h"
#include "runner_link.h"

typedef struct {
  VinduPluginHost *host;
  RunnerLink *link;
  char *name, *version, *description;
  GStrv kinds;                 /* NULL-terminated, empty until hello */
  GPtrArray *today;            /* VinduHostTodayItem* from its last answer */
  GPtrArray *photos;           /* VinduHostPhoto* */
  VinduPluginStorage *storage; /* named after the .so, so it is known before the runner starts */
  gint64 touched_us;           /* last action delivered (monotonic) */
  gboolean settled;            /* first start answered (or failed): the next may start */
  FaultBlame *blame;           /* which document a fault counts against */
} Plugin;

typedef struct {
  char *kind, *doc, *body;
  gint64 rev;
} Document;

struct _VinduPluginHost {
  VinduPluginHostOptions opts; /* strings owned */
  VinduPluginHostHooks hooks;
  GPtrArray *plugins; /* Plugin*, in name order */
  GHashTable *docs;   /* "kind\n doc" -> Document* */
  GHashTable *timers; /* "plugin index\n timer id" -> gint64 due (ms) */
  guint timer_source;
  VinduQuarantine *quarantine;
  char *language;
  gboolean quiet;
  JsonArray *people;
  gint64 today_from, today_to;
  GPtrArray *today, *photos; /* everyone's, sorted (transfer none of the items) */
  guint next_to_start;       /* start-up goes one plugin after the other */
};

static inline gint64
host_now_ms(VinduPluginHost *host)
{
  return host->hooks.now_ms ? host->hooks.now_ms(host->hooks.data) : g_get_real_time() / 1000;
}

static inline void
host_notify_changed(VinduPluginHost *host)
{
  if (host->hooks.changed)
    host->hooks.changed(host->hooks.data);
}

/* A request to a runner: {"call": call}, to which the caller adds its fields. */
static inline JsonNode *
host_request(const char *call)
{
  JsonObject *o = json_object_new();
  json_object_set_string_member(o, "call", call);
  JsonNode *node = json_node_new(JSON_NODE_OBJECT);
  json_node_take_object(node, o);
  return node;
}

/* For g_ptr_array_sort, which passes pointers to the elements. */
static inline gint
host_compare_strings(gconstpointer a, gconstpointer b)
{
  return g_strcmp0(*(char *const *)a, *(char *const *)b);
}
